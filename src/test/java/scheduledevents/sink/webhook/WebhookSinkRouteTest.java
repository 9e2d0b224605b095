package scheduledevents.sink.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.settings.TestSettings;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/** The webhook sink's route (routes/44-sink-webhook.yaml) against a real HTTP receiver on loopback. */
class WebhookSinkRouteTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;
    ImdsSimulator imds;
    WebhookReceiver receiver;
    TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        imds = new ImdsSimulator().start();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        receiver.close();
        imds.close();
    }

    private void startAgent(String format, Map<String, String> extra) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("agent.sinks", "webhook");
        settings.put("agent.webhook.url", receiver.url());
        settings.put("agent.webhook.format", format);
        settings.putAll(extra);
        agent = TestAgent.inProcess(state).against(imds).setting("agent.state.dir", state.toString())
                .settings(settings).start();
    }

    private List<WebhookReceiver.Request> threeTransitions() throws Exception {
        SimEvent freeze = SimEvent.scheduled("F-1", "Freeze", Instant.now().plusSeconds(900), "myvm");
        imds.setEvents(List.of(freeze));
        agent.await("the Scheduled POST", () -> receiver.requests().size() == 1);
        imds.setEvents(List.of(freeze.started()));
        agent.await("the Started POST", () -> receiver.requests().size() == 2);
        imds.setEvents(List.of());
        agent.await("three deliveries", () -> agent.count("agent.sink.deliveries", "webhook") == 3);
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertEquals(3, requests.size(), "one POST per transition");
        for (WebhookReceiver.Request r : requests) {
            assertEquals("POST", r.method());
            assertEquals(WebhookReceiver.SECRET_PATH, r.path());
            assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        }
        return requests;
    }

    @Test
    void rawJsonPostsTheRecordOncePerTransitionWithExtraHeaders() throws Exception {
        startAgent("json", Map.of("agent.webhook.headers", "X-Team: platform; Authorization: Bearer abc"));
        List<WebhookReceiver.Request> requests = threeTransitions();
        List<String> statuses = requests.stream().map(r -> read(r.body()).path("EventStatus").asText()).toList();
        assertEquals(List.of("Scheduled", "Started", "Completed"), statuses);
        assertEquals("F-1", read(requests.get(0).body()).path("EventId").asText());
        assertEquals("platform", requests.get(0).header("X-Team"));
        assertEquals("Bearer abc", requests.get(0).header("Authorization"));
    }

    @Test
    void slackGetsATextMessage() throws Exception {
        startAgent("slack", Map.of());
        List<WebhookReceiver.Request> requests = threeTransitions();
        JsonNode first = read(requests.get(0).body());
        assertEquals(List.of("text"), iterable(first.fieldNames()));
        assertTrue(first.path("text").asText().startsWith("*[Scheduled] Freeze of myvm in 15 min ("),
                first.path("text").asText());
        assertTrue(read(requests.get(2).body()).path("text").asText().startsWith("*[Completed] Freeze of myvm*"));
    }

    @Test
    void teamsGetsAnAdaptiveCard() throws Exception {
        startAgent("teams", Map.of());
        List<WebhookReceiver.Request> requests = threeTransitions();
        JsonNode card = read(requests.get(0).body());
        assertEquals("message", card.path("type").asText());
        JsonNode attachment = card.path("attachments").get(0);
        assertEquals("application/vnd.microsoft.card.adaptive", attachment.path("contentType").asText());
        JsonNode content = attachment.path("content");
        assertEquals("AdaptiveCard", content.path("type").asText());
        assertTrue(content.path("body").get(0).path("text").asText().startsWith("[Scheduled] Freeze of myvm"));
        assertTrue(content.path("actions").get(0).path("url").asText()
                .startsWith("https://portal.azure.com/#resource/subscriptions/"));
    }

    @Test
    void theInjectionFixtureStaysInertTextInEveryFormat() throws Exception {
        imds.setDocument(Files.readString(Fixtures.MALFORMED.resolve("injection-attempt.json")));
        startAgent("slack", Map.of());
        agent.await("the POST", () -> agent.count("agent.sink.deliveries", "webhook") == 1);
        String body = receiver.requests().get(0).body();
        assertFalse(body.contains("<script>"), body);
        String text = read(body).path("text").asText();
        assertTrue(text.contains("e3\r\nBcc: attacker@example.com"), "the id, as text: " + text);
        assertTrue(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped for Slack: " + text);

        for (String format : List.of("json", "teams")) {
            WebhookSettings settings = WebhookSettings.read(TestSettings.reader(Map.of("agent.webhook.format", format,
                    "agent.webhook.url", receiver.url())));
            String record = "{\"EventId\":\"e3\\r\\nBcc: x\",\"EventType\":\"Reboot\",\"EventStatus\":\"Scheduled\","
                    + "\"Description\":\"<script>alert(1)</script>\\\"},{\",\"Resources\":[\"myvm\"],\"Vm\":{}}";
            String rendered = new WebhookSender(settings, java.time.Clock.systemUTC()).render(record);
            assertFalse(rendered.contains("<script>"), format + ": " + rendered);
            assertTrue(read(rendered).isObject(), format + " renders valid JSON");
        }
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedUntilAccepted() throws Exception {
        receiver.answerNext(500, 503, 429, 408);
        startAgent("json", Map.of());
        imds.setEvents(List.of(SimEvent.scheduled("R-1", "Reboot", Instant.now().plusSeconds(900), "myvm")));
        agent.await("delivery after four refusals", () -> agent.count("agent.sink.deliveries", "webhook") == 1);
        assertEquals(5, receiver.requests().size());
        assertEquals(4, agent.count("agent.sink.retries", "webhook"));
        assertFalse(Files.exists(state.resolve("dead-letter/webhook.jsonl")));
    }

    @Test
    void aClientErrorDeadLettersAtOnceWithAFixAndWithoutTheSecretUrl() throws Exception {
        receiver.answerNext(404);
        startAgent("json", Map.of());
        imds.setEvents(List.of(SimEvent.scheduled("G-1", "Reboot", Instant.now().plusSeconds(900), "myvm")));
        Path deadLetters = state.resolve("dead-letter/webhook.jsonl");
        agent.await("the dead letter", () -> Files.exists(deadLetters));
        assertEquals(1, receiver.requests().size(), "no retry");
        JsonNode line = read(Files.readAllLines(deadLetters).get(0));
        String reason = line.path("Reason").asText();
        assertTrue(reason.contains("answered 404: the webhook does not exist (any more): check AGENT_WEBHOOK_URL"),
                reason);
        assertFalse(reason.contains("T0KEN"), reason);
        assertEquals("G-1", line.path("Record").path("EventId").asText());
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
