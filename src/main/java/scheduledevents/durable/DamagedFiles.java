package scheduledevents.durable;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * What the agent does with a state file it cannot read (bytes changed by a disk error, a write cut short by a power
 * loss): it keeps the file beside the original as {@code <name>.corrupt-<UTC time>} for an operator to look at, and
 * goes on with what it could read, instead of refusing to start. The copy never overwrites an earlier one.
 */
public final class DamagedFiles {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_SAME_SECOND = 1000;

    private DamagedFiles() {
    }

    /** Renames {@code file} to its {@code .corrupt-<time>} name: the agent then goes on as if it were missing. */
    public static Path moveAside(Path file, Clock clock) throws IOException {
        // no REPLACE_EXISTING: an earlier copy is never lost; same folder, so a rename
        return aside(file, clock, Files::move);
    }

    /** Copies {@code file} to its {@code .corrupt-<time>} name, for a file the agent then repairs in place. */
    public static Path copyAside(Path file, Clock clock) throws IOException {
        return aside(file, clock, Files::copy);
    }

    private interface Transfer {
        Path to(Path from, Path to) throws IOException;
    }

    private static Path aside(Path file, Clock clock, Transfer transfer) throws IOException {
        for (int n = 0; n < MAX_SAME_SECOND; n++) {
            try {
                return transfer.to(file, asideName(file, clock.instant(), n));
            } catch (FileAlreadyExistsException taken) {
                // another copy made in the same second: take the next name
            }
        }
        throw new IOException("too many copies of " + file + " already");
    }

    static Path asideName(Path file, Instant at, int n) {
        return file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(at) + (n == 0 ? "" : "-" + n));
    }
}
