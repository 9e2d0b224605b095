package scheduledevents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The IMDS fixtures in {@code src/test/resources/fixtures/imds/} (real shapes and quirks, and {@code malformed/}
 * bad input; facts in its README), read in place relative to the project root (surefire runs in the Maven basedir),
 * so that a clone of this repository alone runs every test.
 */
public final class Fixtures {
    public static final Path PROJECT_ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    public static final Path IMDS = PROJECT_ROOT.resolve("src/test/resources/fixtures/imds");
    public static final Path MALFORMED = IMDS.resolve("malformed");
    /** Event Grid payloads: published records, webhook deliveries, the platform topic, hostile input. */
    public static final Path EVENTGRID = PROJECT_ROOT.resolve("src/test/resources/fixtures/eventgrid");

    private Fixtures() {
    }

    /** @param name relative to fixtures/imds, e.g. "02-freeze-scheduled.json" or "malformed/truncated.json" */
    public static String read(String name) {
        try {
            return Files.readString(IMDS.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file in fixtures/imds and fixtures/imds/malformed, as names relative to fixtures/imds. */
    public static List<String> allFiles() {
        return Stream.concat(list(IMDS), list(MALFORMED))
                .map(p -> IMDS.relativize(p).toString().replace('\\', '/'))
                .sorted()
                .toList();
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("fixtures not found at " + dir, e);
        }
    }
}
