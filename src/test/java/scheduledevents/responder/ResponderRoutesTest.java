package scheduledevents.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.testing.Await;

/**
 * The responder's HTTP front through its real routes (responder/routes/*.yaml) on Camel's platform-http (Vert.x),
 * Camel main in process as {@code --responder} sets it up, real HTTP on a free loopback port. The parser, store and
 * notifier are the real ones ({@link RecordingParts}: an embedded H2 database in a temporary folder), with a
 * recorder around them that also plays a failed or unreachable database.
 */
class ResponderRoutesTest {
    private static final String SECRET = "s3cret-delivery-7Q";
    private static final String TOKEN = "api-token-123";
    private static final String FREEZE = "[{\"id\":\"d-1\",\"eventType\":\"ScheduledEvent\",\"subject\":\"vm1\","
            + "\"eventTime\":\"2026-11-30T10:00:00Z\",\"data\":{\"EventId\":\"E-1\",\"EventType\":\"Freeze\","
            + "\"EventStatus\":\"Scheduled\"}}]";

    @TempDir
    static Path dir;
    static RecordingParts parts;
    static RoutesResponder responder;

    @BeforeAll
    static void start() throws Exception {
        parts = new RecordingParts();
        responder = RoutesResponder.start(dir, parts, Map.of("responder.delivery-secret", SECRET,
                "responder.api-token", TOKEN, "responder.notify.interval", "100"));
    }

    @AfterAll
    static void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    @BeforeEach
    void reset() {
        parts.storeFails.set(false);
        parts.databaseDown.set(false);
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return responder.request(pathAndQuery);
    }

    private static HttpResponse<String> post(String pathAndQuery, String body, String... headers) throws Exception {
        return post(pathAndQuery, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static HttpResponse<String> post(String pathAndQuery, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return responder.send(b);
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = request(pathAndQuery).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return responder.send(b);
    }

    private static String fixture(String name) throws IOException {
        return Files.readString(Fixtures.EVENTGRID.resolve(name), StandardCharsets.UTF_8);
    }

    private static void assertNoSecretEchoed(HttpResponse<String> response) {
        String all = response.headers().map().toString() + response.body();
        assertFalse(all.contains(SECRET), "the secret is echoed: " + all);
        assertFalse(all.contains(TOKEN), "the token is echoed: " + all);
        assertTrue(response.headers().firstValue("x-delivery-secret").isEmpty());
        assertTrue(response.headers().firstValue("authorization").isEmpty());
    }

    @Test
    void withoutTheSecretItIs401AndNothingIsParsedOrStored() throws Exception {
        int parsedBefore = parts.parsed.size();
        int storedBefore = parts.stored.size();
        HttpResponse<String> none = post("/events/eventgrid", FREEZE);
        HttpResponse<String> wrong = post("/events/eventgrid?code=nope", FREEZE, "x-delivery-secret", "nope");
        HttpResponse<String> prefix = post("/events/eventgrid", FREEZE, "x-delivery-secret", SECRET.substring(0, 5));
        assertEquals(401, none.statusCode());
        assertEquals(401, wrong.statusCode());
        assertEquals(401, prefix.statusCode());
        assertEquals("missing or wrong delivery secret", none.body());
        assertEquals(parsedBefore, parts.parsed.size(), "a delivery without the secret was parsed");
        assertEquals(storedBefore, parts.stored.size(), "a delivery without the secret was stored");
    }

    @Test
    void theSecretInTheHeaderStoresTheDeliveryAndAnswers200() throws Exception {
        String body = FREEZE.replace("d-1", "d-header").replace("E-1", "E-HEADER");
        HttpResponse<String> r = post("/events/eventgrid", body, "x-delivery-secret", SECRET);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(parts.stored.stream().anyMatch(s -> s.eventId().equals("E-HEADER")));
        assertNoSecretEchoed(r);
        // the parser got the body's bytes as sent
        assertTrue(parts.parsed.stream().anyMatch(b -> Arrays.equals(b, body.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theSecretAsQueryCodeIsAccepted() throws Exception {
        String body = FREEZE.replace("d-1", "d-code").replace("E-1", "E-CODE");
        HttpResponse<String> r = post("/events/eventgrid?code="
                + java.net.URLEncoder.encode(SECRET, StandardCharsets.UTF_8), body);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(parts.stored.stream().anyMatch(s -> s.eventId().equals("E-CODE")));
        assertNoSecretEchoed(r);
    }

    @Test
    void theParserGetsTheContentTypeAsSent() throws Exception {
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"type\":\"ScheduledEvent\",\"source\":\"vm1\","
                + "\"data\":{\"EventId\":\"E-CE\",\"EventStatus\":\"Scheduled\"}}";
        HttpResponse<String> r = responder.send(request("/events/eventgrid")
                .POST(HttpRequest.BodyPublishers.ofString(cloudEvent))
                .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                .header("x-delivery-secret", SECRET));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/cloudevents+json; charset=utf-8",
                parts.contentTypes.get(parts.contentTypes.size() - 1));
    }

    @Test
    void theValidationHandshakeIsAnsweredWithTheCode() throws Exception {
        HttpResponse<String> r = post("/events/eventgrid", fixture("subscription-validation.json"),
                "x-delivery-secret", SECRET, "aeg-event-type", "SubscriptionValidation");
        assertEquals(200, r.statusCode());
        assertEquals("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}", r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }

    @Test
    void theCloudEventsOptionsHandshakeAllowsTheOrigin() throws Exception {
        HttpResponse<String> r = responder.send(request("/events/eventgrid")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "eventgrid.azure.net"));
        assertEquals(200, r.statusCode());
        assertEquals("eventgrid.azure.net", r.headers().firstValue("WebHook-Allowed-Origin").orElse(null));
        assertTrue(r.headers().firstValue("WebHook-Request-Origin").isEmpty(), "request headers echoed");
    }

    @Test
    void anOptionsRequestWithoutOriginIs400() throws Exception {
        HttpResponse<String> r = responder.send(request("/events/eventgrid")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, r.statusCode());
        assertTrue(r.headers().firstValue("WebHook-Allowed-Origin").isEmpty());
    }

    @Test
    void aMissingRoutesFolderIsOneLine() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ResponderRunner.newMain(null, dir.resolve("no-routes"), Map.of("responder.delivery-secret",
                        "x", "responder.api-token", "y"), parts.factory()));
        assertTrue(e.getMessage().startsWith("routes folder "), e.getMessage());
    }

    @Test
    void aBodyOverTheLimitIs413AndNotParsed() throws Exception {
        int parsedBefore = parts.parsed.size();
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        big[0] = '[';
        big[big.length - 1] = ']';
        HttpResponse<String> r = post("/events/eventgrid", big, "x-delivery-secret", SECRET);
        assertEquals(413, r.statusCode());
        assertEquals(parsedBefore, parts.parsed.size());
    }

    @Test
    void aBodyOfExactlyTheLimitIsRead() throws Exception {
        byte[] limit = new byte[1024 * 1024];
        Arrays.fill(limit, (byte) ' ');
        limit[0] = '[';
        limit[limit.length - 1] = ']';
        assertEquals(200, post("/events/eventgrid", limit, "x-delivery-secret", SECRET).statusCode());
    }

    @Test
    void aBadBodyIs400WithOneLine() throws Exception {
        int storedBefore = parts.stored.size();
        HttpResponse<String> r = post("/events/eventgrid", "<html>not json", "x-delivery-secret", SECRET);
        assertEquals(400, r.statusCode());
        assertEquals("the body is not JSON (line 1, column 1)", r.body());
        assertEquals(storedBefore, parts.stored.size());
    }

    @Test
    void aStoreFailureIs500WithoutItsTextAndIsCounted() throws Exception {
        parts.storeFails.set(true);
        double before = counter("responder_database_errors_total");
        HttpResponse<String> r = post("/events/eventgrid", FREEZE.replace("d-1", "d-500"), "x-delivery-secret",
                SECRET);
        assertEquals(500, r.statusCode());
        assertFalse(r.body().contains("jdbc"), r.body());
        assertEquals(before + 1, counter("responder_database_errors_total"));
    }

    @Test
    void theApiNeedsTheBearerToken() throws Exception {
        post("/events/eventgrid", FREEZE.replace("d-1", "d-api").replace("E-1", "E-API"), "x-delivery-secret",
                SECRET);
        assertEquals(401, get("/api/events").statusCode());
        assertEquals(401, get("/api/events", "Authorization", "Bearer wrong").statusCode());
        assertEquals(401, get("/api/events", "Authorization", TOKEN).statusCode());
        assertEquals(401, get("/api/events/E-API").statusCode());
        HttpResponse<String> list = get("/api/events", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, list.statusCode());
        assertTrue(list.body().startsWith("{\"events\":["), list.body());
        assertTrue(list.body().contains("\"EventId\":\"E-API\""), list.body());
        assertNoSecretEchoed(list);
        HttpResponse<String> one = get("/api/events/e-api", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, one.statusCode());
        assertTrue(one.body().contains("\"History\":["), one.body());
        assertEquals(404, get("/api/events/nothing-here", "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals(400, get("/api/events?limit=0", "Authorization", "Bearer " + TOKEN).statusCode());
    }

    @Test
    void theApiFiltersByQueryParameters() throws Exception {
        post("/events/eventgrid", FREEZE.replace("d-1", "d-started").replace("E-1", "E-STARTED")
                .replace("\"EventStatus\":\"Scheduled\"", "\"EventStatus\":\"Started\""),
                "x-delivery-secret", SECRET);
        HttpResponse<String> started = get("/api/events?status=Started", "Authorization", "Bearer " + TOKEN);
        assertTrue(started.body().contains("E-STARTED"), started.body());
        assertFalse(started.body().contains("\"EventStatus\":\"Scheduled\""), started.body());
    }

    @Test
    void healthFollowsTheDatabase() throws Exception {
        HttpResponse<String> up = get("/observe/health");
        assertEquals(200, up.statusCode());
        assertEquals("{\"status\":\"UP\"}", up.body());
        parts.databaseDown.set(true);
        HttpResponse<String> down = get("/observe/health");
        assertEquals(503, down.statusCode());
        assertTrue(down.body().contains("\"DOWN\""));
    }

    @Test
    void metricsCountDeliveriesAndShowEveryResponderSeries() throws Exception {
        double before = counter("responder_deliveries_received_total");
        post("/events/eventgrid", FREEZE.replace("d-1", "d-metrics"), "x-delivery-secret", SECRET);
        post("/events/eventgrid", FREEZE.replace("d-1", "d-metrics"), "x-delivery-secret", SECRET);
        post("/events/eventgrid", FREEZE, "x-delivery-secret", "wrong");
        assertEquals(before + 2, counter("responder_deliveries_received_total"));
        String text = get("/observe/metrics").body();
        for (String series : new String[] {"responder_duplicates_dropped_total", "responder_events_ignored_total",
                "responder_notifications_sent_total{channel=\"mail\"}",
                "responder_notifications_failed_total{channel=\"webhook\"}", "responder_database_errors_total"}) {
            assertTrue(text.contains(series), series + " missing from\n" + text);
        }
        assertTrue(counter("responder_duplicates_dropped_total") >= 1);
        assertFalse(text.contains(SECRET));
    }

    @Test
    void unusableEventsOfABatchAreCountedAndTheGoodOnesKept() throws Exception {
        double before = counter("responder_events_ignored_total");
        String batch = "[{\"id\":\"d-bad\",\"eventType\":\"ScheduledEvent\",\"data\":{\"no\":\"id\"}},"
                + FREEZE.substring(1).replace("d-1", "d-good").replace("E-1", "E-GOOD");
        HttpResponse<String> r = post("/events/eventgrid", batch, "x-delivery-secret", SECRET);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(before + 1, counter("responder_events_ignored_total"));
        assertTrue(parts.stored.stream().anyMatch(s -> s.eventId().equals("E-GOOD")));
    }

    @Test
    void theOutboxTimerCallsTheNotifier() {
        int before = parts.dispatches.get();
        Await.until("fleetNotifier.dispatch called", Duration.ofSeconds(10), () -> parts.dispatches.get() > before);
    }

    private static double counter(String name) throws Exception {
        String text = get("/observe/metrics").body();
        return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
