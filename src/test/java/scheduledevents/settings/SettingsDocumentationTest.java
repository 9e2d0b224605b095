package scheduledevents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.app.AgentSettings;
import scheduledevents.sink.mail.MailSettings;
import scheduledevents.sink.webhook.WebhookSettings;

/**
 * Keeps the code, application.properties (the documented defaults, packaged into the jar), the YAML routes'
 * placeholders and README's settings tables in step: a key is read by the code or a route exactly when the file has
 * it with a comment and README lists it with the file's value.
 */
class SettingsDocumentationTest {
    private static final Path PROPERTIES = Fixtures.PROJECT_ROOT.resolve("application.properties");
    private static final Path ROUTES = Fixtures.PROJECT_ROOT.resolve("routes");
    private static final Path README = Fixtures.PROJECT_ROOT.resolve("README.md");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(agent\\.[^}:\\s]+)");
    /** A settings row of a README table: | `agent.key` | default | meaning | */
    private static final Pattern README_ROW = Pattern.compile("^\\| `(agent\\.[^`]+)` \\| ([^|]*) \\|");

    @TempDir
    Path stateDir;

    private static List<String> lines() throws IOException {
        return Files.readAllLines(PROPERTIES, StandardCharsets.UTF_8);
    }

    /** The key of a property line, or null for blank and comment lines. */
    private static String keyOf(String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#") || t.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < t.length() && "=: \t".indexOf(t.charAt(end)) < 0) {
            end++;
        }
        return t.substring(0, end);
    }

    private static Set<String> agentKeysInFile() {
        Set<String> keys = new TreeSet<>();
        TestSettings.shipped().keySet().stream().filter(k -> k.startsWith("agent.")).forEach(keys::add);
        return keys;
    }

    /**
     * Every key the code reads: each feature's settings read with every sink on (values that pass the checks for the
     * keys that must be set), through a lookup that records each key asked for.
     */
    private Set<String> keysReadByCode() {
        Map<String, String> values = TestSettings.shipped();
        values.put("agent.state.dir", stateDir.toString());
        values.put("agent.sinks", "log,eventgrid,mail,webhook");
        values.put("agent.eventgrid.endpoint", "https://t.westeurope-1.eventgrid.azure.net/api/events");
        values.put("agent.eventgrid.key", "k");
        values.put("agent.mail.host", "smtp.example.com");
        values.put("agent.mail.from", "alerts@example.com");
        values.put("agent.mail.to", "ops@example.com");
        values.put("agent.webhook.url", "https://hooks.example.com/T0KEN");
        Set<String> read = new TreeSet<>();
        Function<String, String> recording = key -> {
            read.add(key);
            return values.get(key);
        };
        AgentSettings.read(recording);
        AgentSettings.readEventGrid(recording);
        MailSettings.read(new SettingsReader(recording));
        WebhookSettings.read(new SettingsReader(recording));
        return read;
    }

    private static Set<String> placeholdersInRoutes() throws IOException {
        List<Path> routeFiles;
        try (Stream<Path> files = Files.list(ROUTES)) {
            routeFiles = files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(routeFiles.isEmpty(), "no route files under " + ROUTES);
        Set<String> used = new TreeSet<>();
        for (Path file : routeFiles) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        return used;
    }

    @Test
    void everyKeyTheCodeReadsIsInApplicationPropertiesWithACommentDirectlyAbove() throws Exception {
        List<String> lines = lines();
        List<String> undocumented = new ArrayList<>();
        Set<String> read = keysReadByCode();
        assertTrue(read.contains("agent.eventgrid.batch.max-bytes") && read.contains("agent.mail.password"), read.toString());
        for (String key : read) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (key.equals(keyOf(lines.get(i)))) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                undocumented.add(key + " (missing)");
            } else if (at == 0 || !lines.get(at - 1).strip().startsWith("#")) {
                undocumented.add(key + " (no comment line directly above)");
            }
        }
        assertEquals(List.of(), undocumented);
    }

    @Test
    void everyAgentKeyInApplicationPropertiesIsReadByTheCodeOrARoute() throws Exception {
        Set<String> unused = agentKeysInFile();
        unused.removeAll(keysReadByCode());
        unused.removeAll(placeholdersInRoutes());
        assertEquals(Set.of(), unused, "keys in application.properties that nothing reads");
    }

    @Test
    void everyAgentPlaceholderInRoutesIsInApplicationProperties() throws Exception {
        Set<String> used = placeholdersInRoutes();
        assertFalse(used.isEmpty(), "expected the routes to use agent.* placeholders");
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(agentKeysInFile());
        assertEquals(Set.of(), missing, "route placeholders without a value in application.properties");
    }

    @Test
    void readmeListsEveryAgentKeyOnceWithTheValueOfApplicationProperties() throws Exception {
        Map<String, String> shipped = TestSettings.shipped();
        Map<String, String> listed = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        for (String line : Files.readAllLines(README, StandardCharsets.UTF_8)) {
            Matcher m = README_ROW.matcher(line);
            if (m.find() && listed.put(m.group(1), m.group(2).strip()) != null) {
                twice.add(m.group(1));
            }
        }
        assertEquals(List.of(), twice, "keys listed twice in README.md");
        assertEquals(agentKeysInFile(), listed.keySet(), "README.md's settings tables and application.properties");
        Map<String, String> wrong = new TreeMap<>();
        listed.forEach((key, readme) -> {
            String file = shipped.get(key).strip();
            String expected = file.isEmpty() ? "(empty)" : "`" + file + "`";
            if (!readme.equals(expected)) {
                wrong.put(key, "README " + readme + ", application.properties " + expected);
            }
        });
        assertEquals(Map.of(), wrong);
    }

    @Test
    void everyKeyIsSetOnlyOnce() throws Exception {
        List<String> keys = lines().stream().map(SettingsDocumentationTest::keyOf).filter(k -> k != null).toList();
        assertEquals(keys.size(), new TreeSet<>(keys).size(), "duplicate keys in application.properties");
    }

    @Test
    void placeholderPatternFindsKeysWithDefaults() {
        Matcher m = PLACEHOLDER.matcher("uri: file:{{agent.state.dir:/tmp}}/x {{ agent.sinks }}");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("agent.state.dir", "agent.sinks"), found);
    }

    @Test
    void readmeRowPatternReadsKeyAndDefault() {
        Matcher m = README_ROW.matcher("| `agent.poll.interval` | `1000` | poll period |");
        assertTrue(m.find());
        assertEquals("agent.poll.interval", m.group(1));
        assertEquals("`1000`", m.group(2).strip());
    }
}
