package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container commands as README's "Deploy" section gives them, read from README.md, so that what a user copies
 * is what {@link ContainerIT} runs: the {@code docker build} and {@code docker run} lines of its first bash block,
 * and the options it lists in backquotes.
 */
final class ReadmeDeploy {
    private final String section;
    private final List<List<String>> commands = new ArrayList<>();

    private ReadmeDeploy(String readme) {
        int start = readme.indexOf("\n## Deploy\n");
        assertTrue(start >= 0, "README has a Deploy section");
        int end = readme.indexOf("\n## ", start + 1);
        section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher block = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find(), "a bash block in README's Deploy section");
        for (String line : block.group(1).replace("\\\n", " ").split("\n")) {
            if (!line.isBlank()) {
                // plain words only: what the test runs is exactly what the shell would
                assertFalse(line.matches(".*[\"'$`].*"), "no quoting or expansion in README's commands: " + line);
                commands.add(Arrays.asList(line.trim().split("\\s+")));
            }
        }
    }

    static ReadmeDeploy read() {
        try {
            return new ReadmeDeploy(Files.readString(Path.of("README.md")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The words of the command that starts {@code docker <verb>}. */
    List<String> command(String verb) {
        return commands.stream().filter(c -> c.size() > 1 && c.get(0).equals("docker") && c.get(1).equals(verb))
                .findFirst().orElseThrow(() -> new AssertionError("README's Deploy block has no docker " + verb));
    }

    /** The image the README builds and runs ({@code docker build -t NAME}). */
    String image() {
        List<String> build = command("build");
        return build.get(build.indexOf("-t") + 1);
    }

    /**
     * The words of an option the README lists in backquotes, e.g. {@code -v HOST:/opt/...routes:ro}, found by a
     * piece of its text (a path in the container).
     */
    List<String> option(String containing) {
        Matcher code = Pattern.compile("`(-[ve] [^`]*)`").matcher(section);
        while (code.find()) {
            if (code.group(1).contains(containing)) {
                return Arrays.asList(code.group(1).split("\\s+"));
            }
        }
        throw new AssertionError("README's Deploy section lists no option with " + containing);
    }
}
