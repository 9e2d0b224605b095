package scheduledevents.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.responder.api.Access;
import scheduledevents.responder.approve.ArmApprover;
import scheduledevents.testing.FakeArm;
import scheduledevents.testing.FleetDeliveries;

/**
 * {@code POST /api/events/{eventId}/approve} through the real responder/routes/*.yaml in process, with the real
 * store (H2) and ARM on loopback (FakeArm; the token is FakeArm's, handed in as RecordingParts' token source: the
 * managed identity itself is exercised end to end by ResponderApproveIT).
 */
class ResponderApproveRoutesTest {
    private static final String SECRET = "s3cret-delivery-approve";
    private static final String TOKEN = "api-token-approve-123";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static FakeArm arm;
    static RecordingParts parts;
    static RoutesResponder responder;

    @BeforeAll
    static void start() throws Exception {
        arm = FakeArm.start();
        parts = new RecordingParts();
        parts.tokens = arm::token;
        responder = RoutesResponder.start(dir, parts, Map.of("responder.delivery-secret", SECRET,
                "responder.api-token", TOKEN, "responder.arm.url", arm.url()));
    }

    @AfterAll
    static void stop() {
        if (responder != null) {
            responder.close();
        }
        if (arm != null) {
            arm.close();
        }
    }

    private static void scheduled(String eventId, String... vms) throws Exception {
        FleetDeliveries.Event event = new FleetDeliveries.Event(eventId, "Reboot", List.of(vms),
                Instant.parse("2026-12-01T10:15:00Z"));
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        for (String vm : vms) {
            // the platform topic sends one notification per VM, here all at one instant
            HttpResponse<String> delivered = send(HttpRequest.newBuilder(uri("/events/eventgrid"))
                    .header("x-delivery-secret", SECRET).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(FleetDeliveries.batch(FleetDeliveries.platformEvent(
                            event, vm, "Scheduled", at)))));
            assertEquals(200, delivered.statusCode(), delivered.body());
        }
    }

    private static URI uri(String path) {
        return responder.uri(path);
    }

    private static HttpResponse<String> approve(String eventId, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/events/" + eventId + "/approve"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return responder.send(request.timeout(Duration.ofSeconds(30)));
    }

    private static String session(String name) {
        String setCookie = new Access(TOKEN, Duration.ofHours(1), false, Clock.systemUTC()).signIn(name, TOKEN, false);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void withoutTokenOrWithACookieButNoPageHeaderItIs401AndAzureIsNotAsked() throws Exception {
        scheduled("A-401", "vm-a1");
        int before = arm.acknowledges().size();

        assertEquals(401, approve("A-401").statusCode());
        assertEquals(401, approve("A-401", "Authorization", "Bearer wrong").statusCode());
        assertEquals(401, approve("A-401", "Cookie", session("mallory")).statusCode(),
                "another site's form sends the cookie but cannot set X-Requested-With");
        assertEquals(401, approve("A-401", "X-Requested-With", Access.PAGE_HEADER_VALUE).statusCode());

        assertEquals(before, arm.acknowledges().size());
    }

    @Test
    void aSignedInPageApprovesOnceAndTheSecondClickIsHarmless() throws Exception {
        scheduled("A-PAGE", "vm-p1", "vm-p2");
        String cookie = session("alice");

        HttpResponse<String> first = approve("a-page", "Cookie", cookie, "X-Requested-With", "fleet-page");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("application/json", first.headers().firstValue("Content-Type").orElse(""));
        assertTrue(first.headers().firstValue("Cookie").isEmpty(), "request headers are dropped");
        assertFalse(first.body().contains(arm.token()), "never the ARM token");
        JsonNode answer = JSON.readTree(first.body());
        assertEquals("approved", answer.path("Outcome").asText());
        assertTrue(answer.path("Message").asText().contains("vm-p1, vm-p2"), answer.toString());
        assertEquals("alice", answer.path("Event").path("Approval").path("By").asText());
        assertEquals(2, arm.acknowledges().stream().filter(r -> r.path().contains("/scheduledevents/A-PAGE/"))
                .count(), "one acknowledge per VM, with the EventId as the fleet event spells it");
        assertTrue(arm.acknowledges().stream().allMatch(r -> r.authorization().equals("Bearer " + arm.token())));

        HttpResponse<String> again = approve("A-PAGE", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, again.statusCode());
        JsonNode second = JSON.readTree(again.body());
        assertEquals("approved", second.path("Outcome").asText());
        assertTrue(second.path("Message").asText().startsWith("already approved by alice at "), second.toString());
        assertEquals(2, arm.acknowledges().stream().filter(r -> r.path().contains("/scheduledevents/A-PAGE/"))
                .count(), "Azure is not asked twice");

        String metrics = send(HttpRequest.newBuilder(uri("/observe/metrics")).GET()).body();
        assertTrue(metrics.contains("responder_approvals_total{outcome=\"approved\"} 1.0"), metrics);
        assertTrue(metrics.contains("responder_approvals_total{outcome=\"refused\"}"), metrics);
    }

    @Test
    void anUnknownEventIs404WithTheSameShape() throws Exception {
        HttpResponse<String> missing = approve("nothing-here", "Authorization", "Bearer " + TOKEN);

        assertEquals(404, missing.statusCode());
        JsonNode answer = JSON.readTree(missing.body());
        assertEquals("no such event", answer.path("Message").asText());
        assertTrue(answer.has("Outcome") && answer.path("Event").isNull(), missing.body());
    }

    @Test
    void aFailedTokenIs502InWordsAndRecorded() throws Exception {
        scheduled("A-NOTOKEN", "vm-t1");
        ArmApprover.Tokens before = parts.tokens;
        parts.tokens = () -> {
            throw new ArmApprover.TokenException("no managed identity token (the endpoint said no)");
        };
        try {
            HttpResponse<String> failed = approve("A-NOTOKEN", "Authorization", "Bearer " + TOKEN);
            assertEquals(502, failed.statusCode());
            JsonNode answer = JSON.readTree(failed.body());
            assertEquals("failed", answer.path("Outcome").asText());
            assertEquals("no managed identity token (the endpoint said no)", answer.path("Message").asText());
            assertEquals("API token", answer.path("Event").path("Approval").path("By").asText());
            assertTrue(answer.path("Event").path("History").toString().contains("\"What\":\"approval\""));
        } finally {
            parts.tokens = before;
        }
    }
}
