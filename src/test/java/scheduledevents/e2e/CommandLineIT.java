package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import scheduledevents.testing.Ports;
import scheduledevents.testing.TestAgent;

/** The jar's command line as a user meets it: --help, --once, --demo, --simulate, and bad settings. */
class CommandLineIT extends AgainstSimulator {

    @Test
    void helpListsEveryMode() {
        TestAgent help = TestAgent.jar(dir).args("--help").runToEnd(E2E.RUN);
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
        TestAgent agent = TestAgent.jar(dir).env(env).runToEnd(E2E.RUN);
        assertEquals(2, agent.exitCode(), agent.stderr());
        List<String> lines = agent.stderr().lines().filter(l -> l.contains(key)).toList();
        assertEquals(1, lines.size(), agent.stderr());
        assertTrue(lines.get(0).startsWith("scheduled-events-agent: Invalid setting " + key + ":"), lines.get(0));
        assertFalse(agent.stderr().contains("\tat "), "no stack trace:\n" + agent.stderr());
    }

    /**
     * Settings whose values are, or hold, secrets: a bearer token in the webhook's headers, a SAS in the query of the
     * Event Grid endpoint, the token in a Teams or Slack webhook URL's path. A bad one stops start-up (exit 2) with
     * one line that names the key and what is wrong; nothing of the secret is in the agent's output.
     */
    static Stream<Arguments> badSecretSettings() {
        String hook = "https://hooks.example.test/services/T0KEN-IN-PATH";
        String topic = "https://topic.westeurope-1.eventgrid.azure.net/api/events";
        return Stream.of(
                Arguments.of(Map.of("AGENT_SINKS", "webhook", "AGENT_WEBHOOK_URL", hook,
                                "AGENT_WEBHOOK_HEADERS", "X-Team: ops; Authorization Bearer eyJ0eXAi.B3ARER-T0KEN"),
                        "agent.webhook.headers", "part 2", List.of("B3ARER-T0KEN", "eyJ0eXAi", "T0KEN-IN-PATH")),
                Arguments.of(Map.of("AGENT_SINKS", "eventgrid", "AGENT_EVENTGRID_KEY", "T0PIC-KEY",
                                "AGENT_EVENTGRID_ENDPOINT", topic.replace("https:", "http:") + "?sig=SAS-S1GNATURE"),
                        "agent.eventgrid.endpoint", "https://", List.of("SAS-S1GNATURE", "T0PIC-KEY")),
                Arguments.of(Map.of("AGENT_SINKS", "eventgrid", "AGENT_EVENTGRID_KEY", "T0PIC-KEY",
                                "AGENT_EVENTGRID_ENDPOINT", topic + "?sig=SAS S1GNATURE"),
                        "agent.eventgrid.endpoint", "not a valid URL", List.of("SAS S1GNATURE", "S1GNATURE")),
                Arguments.of(Map.of("AGENT_SINKS", "log,eventgrid", "AGENT_EVENTGRID_AUTH", "managed-identity",
                                "AGENT_EVENTGRID_ENDPOINT", topic + "?sv=2026&sig=SAS-S1GNATURE"),
                        "agent.eventgrid.endpoint", "query", List.of("SAS-S1GNATURE", "sv=2026")),
                Arguments.of(Map.of("AGENT_SINKS", "webhook",
                                "AGENT_WEBHOOK_URL", hook.replace(".test/", ".test:99999/") + "?token=T0KEN-IN-QUERY"),
                        "agent.webhook.url", "port 99999", List.of("T0KEN-IN-PATH", "T0KEN-IN-QUERY")),
                Arguments.of(Map.of("AGENT_SINKS", "webhook",
                                "AGENT_WEBHOOK_URL", hook.replace("https://", "https://ops:PASSW0RD@")),
                        "agent.webhook.url", "user info", List.of("PASSW0RD", "T0KEN-IN-PATH")),
                Arguments.of(Map.of("AGENT_IMDS_URL", "http://admin:PASSW0RD@127.0.0.1:1"),
                        "agent.imds.url", "user info", List.of("PASSW0RD")));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badSecretSettings")
    void aBadSettingThatHoldsASecretStopsStartUpWithoutShowingIt(Map<String, String> settings, String key,
            String problem, List<String> secrets) {
        Map<String, String> env = E2E.env(imds, dir);
        env.putAll(settings);
        TestAgent agent = TestAgent.jar(dir).env(env).runToEnd(E2E.RUN);
        assertEquals(2, agent.exitCode(), agent.stderr());
        List<String> lines = agent.stderr().lines().filter(l -> l.startsWith("scheduled-events-agent:")).toList();
        assertEquals(1, lines.size(), agent.stderr());
        assertTrue(lines.get(0).startsWith("scheduled-events-agent: Invalid setting " + key + ": "), lines.get(0));
        assertTrue(lines.get(0).contains(problem), "says what is wrong: " + lines.get(0));
        assertFalse(agent.stderr().contains("\tat "), "no stack trace:\n" + agent.stderr());
        for (String secret : secrets) {
            assertFalse(agent.stdout().contains(secret) || agent.stderr().contains(secret),
                    "the secret '" + secret + "' is in the output:\n" + agent.stdout() + agent.stderr());
        }
    }

    /** A settings file copied from an older release lacks the keys added since: they keep the packaged defaults. */
    @Test
    void aSettingsFileThatLacksKeysStillRunsTheAgentOnThePackagedDefaults() throws IOException {
        Path older = Files.writeString(dir.resolve("older.properties"), "# a copy from an older release\n"
                + "agent.sinks = log\n");
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        Path records = dir.resolve("records.jsonl");
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).args("--config", older.toString()).start()) {
            agent.await("the record, every key but agent.sinks and E2E's from the packaged defaults",
                    Duration.ofSeconds(60), () -> E2E.transitions(records)
                            .contains(E2E.FREEZE_ID.toLowerCase() + "/Scheduled"));
            assertTrue(agent.isAlive(), agent.stderr());
        }
    }

    @Test
    void anUnwritableStateDirStopsStartUpNamingTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_STATE_DIR", file.resolve("state").toString());
        TestAgent agent = TestAgent.jar(dir).env(env).runToEnd(E2E.RUN);
        assertEquals(2, agent.exitCode());
        assertTrue(agent.stderr().contains("Invalid setting agent.state.dir: cannot write to"), agent.stderr());
    }

    @Test
    void oncePrintsTheNormalisedDocumentAndExitsZero() throws IOException {
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        TestAgent once = TestAgent.jar(dir).env(E2E.env(imds, dir)).args("--once").runToEnd(E2E.RUN);
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
        env.put("AGENT_IMDS_URL", "http://127.0.0.1:" + Ports.free());
        TestAgent once = TestAgent.jar(dir).env(env).args("--once").runToEnd(E2E.RUN);
        assertEquals(1, once.exitCode());
        assertEquals("", once.stdout());
        assertTrue(once.stderr().lines().anyMatch(l -> l.equals("scheduled-events-agent: cannot connect to IMDS at "
                + env.get("AGENT_IMDS_URL"))), once.stderr());
    }

    @Test
    void proxySettingsOfTheEnvironmentAreIgnoredForImds() throws IOException {
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        int deadProxy = Ports.free();
        Map<String, String> env = new HashMap<>(E2E.env(imds, dir));
        env.put("HTTP_PROXY", "http://127.0.0.1:" + deadProxy);
        env.put("http_proxy", "http://127.0.0.1:" + deadProxy);
        env.put("JAVA_TOOL_OPTIONS", "-Dhttp.proxyHost=127.0.0.1 -Dhttp.proxyPort=" + deadProxy
                + " -Djava.net.useSystemProxies=true");
        TestAgent once = TestAgent.jar(dir).env(env).args("--once").runToEnd(E2E.RUN);
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
        TestAgent demo = TestAgent.jar(dir).args("--demo", "--scenario", scenario.toString()).runToEnd(E2E.RUN);
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
        int port = Ports.free();
        try (TestAgent simulator = TestAgent.jar(dir).args("--simulate", "--port",
                String.valueOf(port), "--scenario", "freeze", "--speed", "100").start()) {
            simulator.await("simulator listening", Duration.ofSeconds(30),
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
