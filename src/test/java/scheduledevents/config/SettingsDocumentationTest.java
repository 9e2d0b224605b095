package scheduledevents.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;

/** Keeps application.properties, AgentSettings.DEFAULTS and the YAML routes' placeholders in step. */
class SettingsDocumentationTest {
    /** Every setting's default, from each place that owns a group of settings. */
    private static final Map<String, String> DEFAULTS = new java.util.HashMap<>();

    static {
        DEFAULTS.putAll(AgentSettings.DEFAULTS);
        DEFAULTS.putAll(scheduledevents.notify.Notifications.DEFAULTS);
    }

    private static final Path PROPERTIES = Fixtures.PROJECT_ROOT.resolve("application.properties");
    private static final Path ROUTES = Fixtures.PROJECT_ROOT.resolve("routes");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(agent\\.[^}:\\s]+)");

    private static List<String> lines() throws IOException {
        return Files.readAllLines(PROPERTIES, StandardCharsets.UTF_8);
    }

    private static Properties properties() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(PROPERTIES, StandardCharsets.UTF_8)));
        return p;
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

    @Test
    void everyDefaultIsDocumentedWithACommentDirectlyAbove() throws Exception {
        List<String> lines = lines();
        List<String> undocumented = new ArrayList<>();
        for (String key : new TreeSet<>(DEFAULTS.keySet())) {
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
    void everyDocumentedDefaultEqualsTheCodesDefault() throws Exception {
        Properties documented = properties();
        Map<String, String> mismatches = new TreeMap<>();
        DEFAULTS.forEach((key, value) -> {
            String doc = documented.getProperty(key);
            if (doc == null || !doc.strip().equals(value)) {
                mismatches.put(key, "code '" + value + "', application.properties '" + doc + "'");
            }
        });
        assertEquals(Map.of(), mismatches);
    }

    @Test
    void everyAgentKeyInApplicationPropertiesHasADefault() throws Exception {
        Set<String> unknown = new TreeSet<>();
        for (String key : properties().stringPropertyNames()) {
            if (key.startsWith("agent.") && !DEFAULTS.containsKey(key)) {
                unknown.add(key);
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void everyKeyIsSetOnlyOnce() throws Exception {
        List<String> keys = lines().stream().map(SettingsDocumentationTest::keyOf).filter(k -> k != null).toList();
        assertEquals(keys.size(), new TreeSet<>(keys).size(), "duplicate keys in application.properties");
    }

    @Test
    void everyAgentPlaceholderInRoutesIsInApplicationProperties() throws Exception {
        Properties documented = properties();
        Set<String> used = new TreeSet<>();
        List<Path> routeFiles;
        try (Stream<Path> files = Files.list(ROUTES)) {
            routeFiles = files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(routeFiles.isEmpty(), "no route files under " + ROUTES);
        Set<String> missing = new TreeSet<>();
        for (Path file : routeFiles) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(file, StandardCharsets.UTF_8));
            while (m.find()) {
                used.add(m.group(1));
                if (documented.getProperty(m.group(1)) == null) {
                    missing.add(file.getFileName() + ": " + m.group(1));
                }
            }
        }
        assertFalse(used.isEmpty(), "expected the routes to use agent.* placeholders");
        assertEquals(Set.of(), missing);
    }

    @Test
    void everyAgentPlaceholderInApplicationPropertiesIsDefined() throws Exception {
        Properties documented = properties();
        Set<String> missing = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(Files.readString(PROPERTIES, StandardCharsets.UTF_8));
        while (m.find()) {
            if (documented.getProperty(m.group(1)) == null) {
                missing.add(m.group(1));
            }
        }
        assertEquals(Set.of(), missing);
    }

    @Test
    void placeholderPatternFindsKeysWithDefaults() {
        Matcher m = PLACEHOLDER.matcher("uri: file:{{agent.state.dir:/tmp}}/x {{ agent.sinks }}");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("agent.state.dir", "agent.sinks"), found);
        assertTrue(AgentSettings.DEFAULTS.containsKey("agent.state.dir"));
    }
}
