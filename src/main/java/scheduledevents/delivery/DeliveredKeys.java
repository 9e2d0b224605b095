package scheduledevents.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.durable.DamagedFiles;
import scheduledevents.record.RecordKey;

/**
 * A sink's persistent idempotent repository: the keys (see {@link RecordKey}) of the records it accepted, one
 * per line in a file under {@code agent.state.dir/delivered/}: Camel's file repository, one per queue
 * ({@link DeliveredKeyStores}).
 *
 * <p>Camel reads that file strictly, at start and again whenever a key is added, so a few bad bytes (a disk error, a
 * crash) would stop the agent, or every delivery, with a MalformedInputException that names no file. So at start the
 * file is checked: lines that cannot be a key are dropped, the damaged file is kept beside it as
 * {@code <name>.corrupt-<time>}, and one warning says so, and that the records whose keys were lost may be delivered
 * once more.
 *
 * <p>Keys in memory: Camel's default 1,000 (was 10,000). A new key is never in memory, so every record's check reads
 * the file anyway, and a key that left memory is still found there; 10,000 per repository (five on a VM with every
 * sink and hooks on) only grew the heap through a maintenance wave (bench/README.md, "Maintenance wave").
 */
public class DeliveredKeys extends FileIdempotentRepository {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveredKeys.class);
    private static final int CACHE_SIZE = 1_000;
    /** Keys are printable ASCII (percent-encoded, or a hash) of about 210 characters at most: a longer line is no key. */
    static final int MAX_LINE_BYTES = 1024;

    private final Clock clock;

    public DeliveredKeys(String path) {
        this(path, Clock.systemUTC());
    }

    DeliveredKeys(String path, Clock clock) {
        this.clock = clock;
        setFileStore(new File(path));
        setCacheSize(CACHE_SIZE);
    }

    @Override
    protected void doStart() throws Exception {
        String warning = repair(getFileStore().toPath(), clock);
        if (warning != null) {
            LOG.warn(warning);
        }
        super.doStart();
    }

    /**
     * Makes the key store readable for Camel: keeps the lines that can be keys (printable ASCII, not too long), ends a
     * last line cut short by a crash, and keeps a damaged file as {@code <name>.corrupt-<time>}. Reads the file as a
     * stream: a damaged file may be large, and the agent runs in 64 MiB of heap.
     *
     * @return the warning to log when lines were dropped, else null (an intact or missing store is left as it is)
     */
    public static String repair(Path file, Clock clock) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Scan scan;
        try {
            scan = scan(file, null);
        } catch (IOException e) {
            // no cause: the agent prints the innermost message at start-up, and this one names the file
            throw new IOException("cannot read key store " + file + ": " + e);
        }
        if (scan.dropped() == 0) {
            if (scan.unterminated()) {
                // Camel writes a key, then its line end: a kill -9 in between would glue the next key to this one
                Files.write(file, new byte[] {'\n'}, StandardOpenOption.APPEND);
                LOG.info("Key store {}: ended its last line, cut short by a crash", file);
            }
            return null;
        }
        try {
            Path repaired = file.resolveSibling("." + file.getFileName() + ".repair.tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(repaired))) {
                scan(file, out);
            }
            try (FileChannel channel = FileChannel.open(repaired, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Path copy = DamagedFiles.copyAside(file, clock);
            try {
                Files.move(repaired, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(repaired, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return "Key store " + file + " was damaged: " + scan.dropped() + " unreadable line(s) dropped, "
                    + scan.kept() + " keys kept; the damaged file is kept as " + copy + ". Records whose keys were"
                    + " unreadable may be delivered again (once each) if they are queued again";
        } catch (IOException e) {
            throw new IOException("cannot repair damaged key store " + file + " (" + scan.dropped()
                    + " unreadable lines): " + e + "; move it aside and start again (records may then be delivered"
                    + " again, once each)");
        }
    }

    private record Scan(long kept, long dropped, boolean unterminated) {
    }

    /** Counts the lines that can be keys and those that cannot, writing the former to {@code out} when it is set. */
    private static Scan scan(Path file, OutputStream out) throws IOException {
        long kept = 0;
        long dropped = 0;
        byte[] line = new byte[MAX_LINE_BYTES];
        int length = 0;
        boolean bad = false;
        boolean any = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            for (int b = in.read(); ; b = in.read()) {
                if (b == '\n' || b == -1) {
                    if (any && bad) {
                        dropped++;
                    } else if (any) {
                        kept++;
                        if (out != null) {
                            out.write(line, 0, length);
                            out.write('\n');
                        }
                    }
                    if (b == -1) {
                        return new Scan(kept, dropped, any);
                    }
                    length = 0;
                    bad = false;
                    any = false;
                } else {
                    any = true;
                    if (!bad && (b < 0x20 || b > 0x7E || length == MAX_LINE_BYTES)) {
                        bad = true;
                    } else if (!bad) {
                        line[length++] = (byte) b;
                    }
                }
            }
        }
    }
}
