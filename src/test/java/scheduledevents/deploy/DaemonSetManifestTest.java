package scheduledevents.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import scheduledevents.Fixtures;

/**
 * deploy/daemonset.yaml, parsed as YAML (snakeyaml-engine, which the YAML routes already bring), kept in step with
 * the Dockerfile (image, user, state folder, health port and path), application.properties (settings' variables,
 * health port, shutdown timeout) and the README's image name.
 */
class DaemonSetManifestTest {
    private static final Path ROOT = Fixtures.PROJECT_ROOT;

    private Map<String, Object> pod;
    private Map<String, Object> agent;
    private String dockerfile;
    private Properties properties;

    @BeforeEach
    void read() throws IOException {
        List<Map<String, Object>> daemonSets = new ArrayList<>();
        Load yaml = new Load(LoadSettings.builder().build());
        for (Object document : yaml.loadAllFromString(Files.readString(ROOT.resolve("deploy/daemonset.yaml")))) {
            if (document instanceof Map<?, ?> map && "DaemonSet".equals(map.get("kind"))) {
                daemonSets.add(map(document));
            }
        }
        assertEquals(1, daemonSets.size(), "one DaemonSet");
        Map<String, Object> spec = map(daemonSets.get(0).get("spec"));
        Map<String, Object> template = map(spec.get("template"));
        assertEquals(map(spec.get("selector")).get("matchLabels"), map(template.get("metadata")).get("labels"));
        pod = map(template.get("spec"));
        List<Map<String, Object>> containers = list(pod.get("containers"));
        assertEquals(1, containers.size());
        agent = containers.get(0);
        dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        properties = new Properties();
        properties.load(new StringReader(Files.readString(ROOT.resolve("application.properties"))));
    }

    @Test
    void itRunsTheReadmeImageOnTheHostNetworkAsTheImageUser() throws IOException {
        assertEquals(Boolean.TRUE, pod.get("hostNetwork"), "IMDS answers the VM: the node's network");
        Matcher tag = Pattern.compile("docker build -t (\\S+) ").matcher(Files.readString(ROOT.resolve("README.md")));
        assertTrue(tag.find(), "README builds the image with docker build -t");
        List<Map<String, Object>> all = new ArrayList<>(list(pod.get("containers")));
        all.addAll(list(pod.getOrDefault("initContainers", List.of())));
        for (Map<String, Object> container : all) {
            String image = (String) container.get("image");
            String name = image.substring(image.lastIndexOf('/') + 1).replaceFirst(":[^:]*$", "");
            assertEquals(tag.group(1), name, "image of " + container.get("name"));
        }
        assertFalse(agent.containsKey("command") || agent.containsKey("args"),
                "the image's ENTRYPOINT (its JVM flags) runs unchanged");
        Map<String, Object> security = map(pod.get("securityContext"));
        assertEquals(Boolean.TRUE, security.get("runAsNonRoot"));
        assertEquals(Integer.parseInt(find(dockerfile, "useradd .*--uid (\\d+)")), security.get("runAsUser"));
    }

    @Test
    void stateIsOnTheNodeWhereTheImageKeepsIt() {
        String state = find(dockerfile, "(?m)^VOLUME (\\S+)$");
        assertEquals(state, find(dockerfile, "(?m)^ENV AGENT_STATE_DIR=(\\S+)$"));
        Map<String, Object> volume = list(pod.get("volumes")).stream().filter(v -> v.get("name").equals("state"))
                .findFirst().orElseThrow();
        assertEquals(state, map(volume.get("hostPath")).get("path"));
        assertTrue(list(agent.get("volumeMounts")).stream()
                .anyMatch(m -> m.get("name").equals("state") && m.get("mountPath").equals(state)), "state mounted");
        String logFile = env().get("AGENT_SINK_LOG_FILE");
        assertNotNull(logFile);
        assertTrue(logFile.startsWith(state + "/"), "the records file is kept with the state: " + logFile);
    }

    @Test
    void everyVariableIsASetting() {
        Set<String> settings = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            settings.add(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        for (String name : env().keySet()) {
            assertTrue(settings.contains(name), name + " overrides no key of application.properties");
        }
    }

    @Test
    void probesAskTheHealthServerWhereTheImageServesIt() {
        int port = Integer.parseInt(properties.getProperty("agent.health.port").trim());
        assertEquals(String.valueOf(port), find(dockerfile, "(?m)^EXPOSE (\\d+)$"));
        String health = find(dockerfile, "HEALTHCHECK[^\\n]*\\n[^\\n]*http://127\\.0\\.0\\.1:[^/]*(/observe/health)\"");
        assertEquals(health + "/live", httpGet("livenessProbe").get("path"), "liveness leaves IMDS out");
        assertEquals(health + "/ready", httpGet("readinessProbe").get("path"));
        assertEquals(port, httpGet("livenessProbe").get("port"));
        assertEquals(port, httpGet("readinessProbe").get("port"));
        assertEquals(port, list(agent.get("ports")).get(0).get("containerPort"));
        assertFalse(env().containsKey("AGENT_HEALTH_PORT"), "the probes ask the default port");
    }

    @Test
    void memoryIsBoundedAndStoppingHasTimeForCamelsShutdown() {
        Map<String, Object> resources = map(agent.get("resources"));
        int request = mebibytes(map(resources.get("requests")).get("memory"));
        int limit = mebibytes(map(resources.get("limits")).get("memory"));
        assertEquals(96, request, "the bench's goal (bench/README.md)");
        assertTrue(limit > request, "room above the goal for page cache and the SDK's publish");
        assertFalse(map(resources.get("limits")).containsKey("cpu"), "no CPU limit: start-up is not throttled");
        int shutdown = Integer.parseInt(properties.getProperty("camel.main.shutdown-timeout").trim());
        assertTrue((Integer) pod.get("terminationGracePeriodSeconds") > shutdown);
    }

    private Map<String, Object> httpGet(String probe) {
        return map(map(agent.get(probe)).get("httpGet"));
    }

    private Map<String, String> env() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Map<String, Object> variable : list(agent.getOrDefault("env", List.of()))) {
            env.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return env;
    }

    private static int mebibytes(Object quantity) {
        String text = String.valueOf(quantity);
        assertTrue(text.endsWith("Mi"), "memory in Mi: " + text);
        return Integer.parseInt(text.substring(0, text.length() - 2));
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map, "a mapping: " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        assertTrue(node instanceof List, "a sequence: " + node);
        return (List<Map<String, Object>>) node;
    }
}
