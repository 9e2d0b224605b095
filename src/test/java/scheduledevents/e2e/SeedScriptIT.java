package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.testing.TestResponder;

/**
 * Users migrating from the blog post's bash script point its endpoint at the responder
 * ({@code https://<responder>/events/eventgrid?code=<secret>}) and change nothing else. The script posts with
 * {@code curl -X POST -H "aeg-sas-key: $key" -d "$event" $endpoint}: curl's -d makes that an
 * {@code application/x-www-form-urlencoded} request whose body is the JSON array, with the topic key the responder
 * does not know in a header it ignores. Sent here exactly so, and re-sent as the script does every 30 s (same data,
 * a new random id and eventTime).
 */
class SeedScriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    private static final String EVENT_ID = "602d9444-d2cd-49c7-8624-8643e7171297";

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
    void theSeedScriptsCurlPostBecomesAFleetEventAndItsResendsChangeNothing() throws Exception {
        smtp = ResponderIT.greenMail();
        responder = TestResponder.jar(dir).mailTo(smtp.getSmtp().getPort(), "ops@example.test")
                .setting("responder.notify.interval", "200").start();
        // the script's $event: the fixture as one line, as the script builds it
        String event = Files.readString(Fixtures.EVENTGRID.resolve("seed-script-delivery.json"),
                StandardCharsets.UTF_8).strip();

        HttpResponse<String> first = curlPost(event);

        assertEquals(200, first.statusCode(), first.body());
        JsonNode events = responder.events();
        assertEquals(1, events.size(), events.toString());
        JsonNode fleetEvent = events.get(0);
        assertEquals(EVENT_ID, fleetEvent.path("EventId").asText().toLowerCase(java.util.Locale.ROOT));
        assertEquals("Reboot", fleetEvent.path("EventType").asText());
        assertEquals("Scheduled", fleetEvent.path("EventStatus").asText());
        assertEquals("2026-12-01T09:45:00Z", fleetEvent.path("NotBeforeUtc").asText());
        assertEquals(List.of("seed-script"), texts(fleetEvent.path("Sources")));
        assertEquals(List.of("demovm"), texts(fleetEvent.path("ReportedBy")));
        assertEquals(new TreeSet<>(List.of("demovm")), ResponderIT.names(fleetEvent.path("Vms"), "Name"));

        // 30 s later the script sends the same IMDS event again, under a new random id and eventTime
        ArrayNode resend = (ArrayNode) JSON.readTree(event);
        ObjectNode again = (ObjectNode) resend.get(0);
        again.put("id", "4711");
        again.put("eventTime", "2026-12-01T09:30:32+0000");
        HttpResponse<String> second = curlPost(JSON.writeValueAsString(resend));

        assertEquals(200, second.statusCode(), second.body());
        assertEquals(1, responder.events().size(), "the re-send is the same fleet event");
        // the outbox row is written in the same transaction as a status change: the 200 above means any second
        // notification would already show as a second status entry
        JsonNode stored = responder.event(EVENT_ID);
        assertEquals(1, ResponderIT.count(stored.path("History"), "status"), stored.toString());
        assertEquals("Scheduled", stored.path("EventStatus").asText());
        assertEquals(List.of("seed-script"), texts(stored.path("Sources")));
        responder.await("the Scheduled notification sent", () ->
                ResponderIT.count(responder.event(EVENT_ID).path("History"), "notified") == 1);
        assertEquals(1, smtp.getReceivedMessages().length, "one mail for the event's one status");
        assertFalse(responder.output().contains(TestResponder.SECRET), "the secret in ?code= is never logged");
    }

    @Test
    void aFormPostsBodyIsReadAsSentNotFormDecoded() throws Exception {
        responder = TestResponder.jar(dir).start();
        ArrayNode delivery = (ArrayNode) JSON.readTree(Files.readString(
                Fixtures.EVENTGRID.resolve("seed-script-delivery.json"), StandardCharsets.UTF_8));
        // form decoding would turn + into a space, %2B into +, and split at & and =
        String description = "Host update: 100% safe + 50%2B & a=b; [x]";
        ((ObjectNode) delivery.get(0).path("data")).put("Description", description);

        HttpResponse<String> answer = curlPost(JSON.writeValueAsString(delivery));

        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(description, responder.event(EVENT_ID).path("Description").asText());
    }

    /** What {@code curl -X POST -H "aeg-sas-key: $key" -d "$event" $endpoint} sends. */
    private HttpResponse<String> curlPost(String event) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        responder.uri("/events/eventgrid?code=" + TestResponder.SECRET))
                .header("User-Agent", "curl/8.5.0")
                .header("Accept", "*/*")
                .header("aeg-sas-key", "the-topic-key-the-script-was-given=")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
