package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.testing.FleetDeliveries;
import scheduledevents.testing.Ports;
import scheduledevents.testing.TestResponder;

/**
 * The packaged jar as the fleet responder, spoken to as Event Grid and an operator speak to it: handshakes, a fleet's
 * worth of duplicate reports from agents and the platform topic joined into one event with one mail per status,
 * deliveries without the secret, hostile and wrong-shaped bodies.
 */
class ResponderIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private GreenMail smtp;
    private TestResponder responder;

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void answersEventGridsValidationHandshakeWithTheCode() throws Exception {
        responder = TestResponder.jar(dir).start();
        String validation = Files.readString(Fixtures.EVENTGRID.resolve("subscription-validation.json"));
        String code = JSON.readTree(validation).get(0).path("data").path("validationCode").asText();

        HttpResponse<String> answer = responder.deliver(validation, Map.of("Content-Type", "application/json",
                "aeg-event-type", "SubscriptionValidation", "x-delivery-secret", TestResponder.SECRET));

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(code, JSON.readTree(answer.body()).path("validationResponse").asText());
        assertEquals(0, responder.events().size(), "a handshake is no event");
    }

    @Test
    void answersTheCloudEventsAbuseProtectionHandshake() throws Exception {
        responder = TestResponder.jar(dir).start();
        java.net.http.HttpRequest options = java.net.http.HttpRequest.newBuilder(responder.uri("/events/eventgrid"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "eventgrid.azure.net")
                .header("x-delivery-secret", TestResponder.SECRET).build();

        HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(options,
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, answer.statusCode());
        assertEquals("eventgrid.azure.net", answer.headers().firstValue("WebHook-Allowed-Origin").orElse(null));
    }

    @Test
    void twentyVmsAndThePlatformReportingOneFreezeTwiceMakeOneFleetEventWithOneMailPerStatus() throws Exception {
        smtp = greenMail();
        responder = TestResponder.jar(dir).mailTo(smtp.getSmtp().getPort(), "ops@example.test")
                .setting("responder.notify.interval", "200").start();
        FleetDeliveries.Event freeze = new FleetDeliveries.Event("5E0F3C2A-1B7D-4C55-9D1E-8A6B2F40C3D7", "Freeze",
                vms(20), Instant.parse("2026-12-01T10:15:00Z"));
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            t = t.plusSeconds(60);
            for (String vm : freeze.resources()) {
                ObjectNode agent = FleetDeliveries.agentEvent(freeze, vm, status, t);
                // the platform topic spells the EventId lower case
                ObjectNode platform = FleetDeliveries.platformEvent(freeze, vm, status, t);
                for (int copy = 0; copy < 2; copy++) {
                    assertEquals(200, responder.deliver(FleetDeliveries.batch(agent)).statusCode());
                    assertEquals(200, responder.deliver(FleetDeliveries.batch(platform)).statusCode());
                }
            }
        }

        JsonNode events = responder.events();
        assertEquals(1, events.size(), events.toString());
        JsonNode event = events.get(0);
        assertEquals("Completed", event.path("EventStatus").asText());
        assertEquals("Freeze", event.path("EventType").asText());
        assertEquals("2026-12-01T10:15:00Z", event.path("NotBeforeUtc").asText());
        assertEquals(new TreeSet<>(freeze.resources()), names(event.path("Vms"), "Name"));
        assertEquals(new TreeSet<>(freeze.resources()), texts(event.path("ReportedBy")));
        assertEquals(new TreeSet<>(List.of("agent", "platform")), texts(event.path("Sources")));

        responder.await("three notifications recorded in the event's history", () ->
                count(responder.event(freeze.eventId()).path("History"), "notified") == 3);
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(3, mails.length, "one mail per fleet status, not per VM or per copy");
        List<String> subjects = new ArrayList<>();
        for (MimeMessage mail : mails) {
            subjects.add(mail.getSubject());
            String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(mail);
            assertTrue(body.contains("vm-01") && body.contains("vm-20"), "the mail names every VM");
        }
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            assertEquals(1, subjects.stream().filter(s -> s.contains(status)).count(), subjects.toString());
        }
    }

    @Test
    void aDeliveryWithoutTheSecretIsRefusedAndNothingIsStored() throws Exception {
        responder = TestResponder.jar(dir).start();
        String body = Files.readString(Fixtures.EVENTGRID.resolve("notification-eventgrid-schema.json"));

        assertEquals(401, responder.deliver(body, Map.of("Content-Type", "application/json")).statusCode());
        assertEquals(401, responder.deliver(body, Map.of("Content-Type", "application/json",
                "x-delivery-secret", "wrong")).statusCode());
        assertEquals(401, responder.get("/api/events").statusCode(), "the API wants its token too");
        assertEquals(0, responder.events().size());

        assertEquals(200, responder.deliver(body).statusCode());
        assertEquals(1, responder.events().size(), "the same body with the secret is stored");
        assertFalse(responder.output().contains(TestResponder.SECRET), "the secret is never logged");
    }

    @Test
    void theSecretMayComeAsTheCodeQueryParameter() throws Exception {
        responder = TestResponder.jar(dir).start();
        String body = Files.readString(Fixtures.EVENTGRID.resolve("notification-eventgrid-schema.json"));
        java.net.http.HttpRequest post = java.net.http.HttpRequest.newBuilder(
                        responder.uri("/events/eventgrid?code=" + TestResponder.SECRET))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();

        assertEquals(200, java.net.http.HttpClient.newHttpClient()
                .send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(1, responder.events().size());
        assertFalse(responder.output().contains(TestResponder.SECRET), "the secret is never logged");
    }

    @Test
    void hostileAndWrongShapedDeliveriesAreStoredAsTextOrRefusedAndTheResponderLives() throws Exception {
        responder = TestResponder.jar(dir).start();
        String hostile = Files.readString(Fixtures.EVENTGRID.resolve("hostile/script-in-every-field.json"));
        JsonNode sent = JSON.readTree(hostile).get(0).path("data");

        assertEquals(200, responder.deliver(hostile).statusCode());
        JsonNode stored = responder.event(sent.path("EventId").asText());
        assertEquals(sent.path("Description").asText(), stored.path("Description").asText(),
                "hostile text kept as text");

        assertEquals(200, responder.deliver(
                Files.readString(Fixtures.EVENTGRID.resolve("hostile/wrong-shapes.json"))).statusCode(),
                "a batch of unusable events is answered (Event Grid would retry a 5xx for a day)");
        HttpResponse<String> notJson = responder.deliver("this is not JSON {");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.body().lines().count() <= 1 && !notJson.body().isBlank(), notJson.body());
        HttpResponse<String> huge = responder.deliver("[" + "\"x\",".repeat(300_000) + "\"x\"]");
        assertEquals(413, huge.statusCode());

        responder.awaitHealthy();
        assertEquals(200, responder.deliver(
                Files.readString(Fixtures.EVENTGRID.resolve("platform/vmss-freeze-scheduled.json"))).statusCode());
        assertTrue(responder.event("5e0f3c2a-1b7d-4c55-9d1e-8a6b2f40c3d7") != null,
                "the responder still stores deliveries");
    }

    static List<String> vms(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("vm-%02d", i)).toList();
    }

    static TreeSet<String> names(JsonNode array, String field) {
        TreeSet<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    static TreeSet<String> texts(JsonNode array) {
        TreeSet<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static long count(JsonNode history, String what) {
        long n = 0;
        for (JsonNode entry : history) {
            if (what.equals(entry.path("What").asText())) {
                n++;
            }
        }
        return n;
    }

    static GreenMail greenMail() {
        ServerSetup setup = new ServerSetup(Ports.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(30_000);
        GreenMail mail = new GreenMail(setup);
        mail.start();
        return mail;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
