package scheduledevents.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;

/**
 * README's "Fleet responder" settings table and responder/responder.properties in step: every key of the file is
 * listed once, with the file's value, and nothing else is.
 */
class ResponderSettingsDocumentationTest {
    private static final Path PROPERTIES = Fixtures.PROJECT_ROOT.resolve("responder/responder.properties");
    private static final Path README = Fixtures.PROJECT_ROOT.resolve("README.md");
    /** A settings row: | `responder.key` | default | meaning | (camel.main.* keys of the file too) */
    private static final Pattern ROW = Pattern.compile("^\\| `((?:responder|camel)\\.[^`]+)` \\| ([^|]*) \\|");

    @Test
    void readmesFleetResponderTableListsEveryKeyOnceWithTheFilesValue() throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES, StandardCharsets.UTF_8)) {
            file.load(in);
        }
        Map<String, String> listed = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        for (String line : section().split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find() && listed.put(m.group(1), m.group(2).strip()) != null) {
                twice.add(m.group(1));
            }
        }
        assertEquals(List.of(), twice, "keys listed twice in README's Fleet responder section");
        assertEquals(new TreeMap<>(file).keySet(), listed.keySet(), "README's table and responder.properties");
        Map<String, String> wrong = new TreeMap<>();
        listed.forEach((key, readme) -> {
            String value = file.getProperty(key).strip();
            String expected = value.isEmpty() ? "(empty)" : "`" + value + "`";
            if (!readme.equals(expected)) {
                wrong.put(key, "README " + readme + ", responder.properties " + expected);
            }
        });
        assertEquals(Map.of(), wrong);
    }

    private static String section() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("\n## Fleet responder\n");
        assertTrue(start >= 0, "README has a Fleet responder section");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }
}
