package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.e2e.AgentProcess.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The jar's command line as a user meets it: --help, --once, --demo, --simulate, and bad settings. */
class CommandLineIT extends AgainstSimulator {

    @Test
    void helpListsEveryMode() {
        AgentProcess help = AgentProcess.runToEnd(dir, Map.of(), "--help");
        assertEquals(0, help.exitCode());
        for (String mode : List.of("--demo", "--simulate", "--once", "--config", "--routes")) {
            assertTrue(help.stdout().contains(mode), mode + " in\n" + help.stdout());
        }
    }

    @ParameterizedTest
    @CsvSource({
        "AGENT_POLL_INTERVAL, -5, agent.poll.interval",
        "AGENT_POLL_INTERVAL, soon, agent.poll.interval",
        "AGENT_IMDS_URL, ftp://169.254.169.254, agent.imds.url",
        "AGENT_SINKS, 'log,carrier-pigeon', agent.sinks",
        "AGENT_SCOPE, everything, agent.scope",
        "AGENT_IMDS_MAX_REQUESTS_PER_SECOND, 9, agent.imds.max-requests-per-second",
    })
    void anInvalidSettingStopsStartUpWithOneLineNamingTheKey(String variable, String value, String key) {
        Map<String, String> env = E2E.env(imds, dir);
        env.put(variable, value);
        AgentProcess agent = AgentProcess.runToEnd(dir, env);
        assertEquals(2, agent.exitCode(), agent.stderr());
        List<String> lines = agent.stderr().lines().filter(l -> l.contains(key)).toList();
        assertEquals(1, lines.size(), agent.stderr());
        assertTrue(lines.get(0).startsWith("scheduled-events-agent: Invalid setting " + key + ":"), lines.get(0));
        assertFalse(agent.stderr().contains("\tat "), "no stack trace:\n" + agent.stderr());
    }

    @Test
    void anUnwritableStateDirStopsStartUpNamingTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_STATE_DIR", file.resolve("state").toString());
        AgentProcess agent = AgentProcess.runToEnd(dir, env);
        assertEquals(2, agent.exitCode());
        assertTrue(agent.stderr().contains("Invalid setting agent.state.dir: cannot write to"), agent.stderr());
    }

    @Test
    void oncePrintsTheNormalisedDocumentAndExitsZero() throws IOException {
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        AgentProcess once = AgentProcess.runToEnd(dir, E2E.env(imds, dir), "--once");
        assertEquals(0, once.exitCode(), once.stderr());
        JsonNode doc = new ObjectMapper().readTree(once.stdout());
        assertTrue(doc.path("DocumentIncarnation").asLong() > 0);
        assertEquals("myvm", doc.path("Vm").path("Name").asText());
        JsonNode event = doc.path("Events").get(0);
        assertEquals(E2E.FREEZE_ID, event.path("EventId").asText());
        assertEquals("Scheduled", event.path("EventStatus").asText());
        assertTrue(event.path("NotBeforeUtc").asText().endsWith("Z"));
        assertTrue(event.path("AffectsThisVm").asBoolean());
    }

    @Test
    void onceExitsNonZeroWithOneLineWhenImdsIsUnreachable() throws IOException {
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_IMDS_URL", "http://127.0.0.1:" + AgentProcess.freePort());
        AgentProcess once = AgentProcess.runToEnd(dir, env, "--once");
        assertEquals(1, once.exitCode());
        assertEquals("", once.stdout());
        assertTrue(once.stderr().lines().anyMatch(l -> l.equals("scheduled-events-agent: cannot connect to IMDS at "
                + env.get("AGENT_IMDS_URL"))), once.stderr());
    }

    @Test
    void proxySettingsOfTheEnvironmentAreIgnoredForImds() throws IOException {
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        int deadProxy = AgentProcess.freePort();
        Map<String, String> env = new HashMap<>(E2E.env(imds, dir));
        env.put("HTTP_PROXY", "http://127.0.0.1:" + deadProxy);
        env.put("http_proxy", "http://127.0.0.1:" + deadProxy);
        env.put("JAVA_TOOL_OPTIONS", "-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + deadProxy
                + " -Djava.net.useSystemProxies=true");
        AgentProcess once = AgentProcess.runToEnd(dir, env, "--once");
        assertEquals(0, once.exitCode(), once.stderr());
        assertTrue(imds.requests().stream().allMatch(r -> r.forwardedFor() == null));
    }

    @Test
    void demoPlaysAScenarioAgainstTheSimulatorAndPrintsEachTransition() throws IOException {
        // The built-in demo takes about 40 s; a faster copy of its Freeze shows the same thing
        Path scenario = Files.writeString(dir.resolve("quick.json"), """
                {"name": "quick", "description": "one Freeze, fast", "speed": 100,
                 "events": [{"EventId": "11111111-2222-3333-4444-555555555555", "EventType": "Freeze",
                             "Resources": ["{vm}"], "EventSource": "Platform", "DurationInSeconds": 5,
                             "appearAt": 1, "noticeSeconds": 300, "runSeconds": 100}]}
                """);
        AgentProcess demo = AgentProcess.runToEnd(dir, Map.of(), "--demo", "--scenario", scenario.toString());
        assertEquals(0, demo.exitCode(), demo.stderr());
        List<String> statuses = demo.stdout().lines().map(l -> {
            try {
                return new ObjectMapper().readTree(l).path("EventStatus").asText();
            } catch (IOException e) {
                throw new AssertionError("not a record: " + l);
            }
        }).toList();
        assertEquals(List.of("Scheduled", "Started", "Completed"), statuses, demo.stderr());
        assertTrue(demo.stderr().contains("Demo: IMDS simulator on http://127.0.0.1:"));
    }

    @Test
    void simulateServesScheduledEventsOnItsPort() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess simulator = AgentProcess.start(dir, Map.of(), "--simulate", "--port",
                String.valueOf(port), "--scenario", "freeze", "--speed", "100")) {
            await("simulator listening", Duration.ofSeconds(30),
                    () -> simulator.stdout().contains("listening on http://127.0.0.1:" + port));
            HttpResponse<String> answer = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/metadata/scheduledevents?api-version=2020-07-01")).header("Metadata", "true").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertTrue(new ObjectMapper().readTree(answer.body()).path("Events").isArray());
        }
    }
}
