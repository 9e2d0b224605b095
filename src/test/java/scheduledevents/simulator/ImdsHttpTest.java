package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImdsHttpTest extends SimulatorOnLoopback {

    @Override
    String vmName() {
        return "web-1";
    }

    @Test
    void baseUrlIsLoopbackWithTheBoundPort() {
        assertTrue(simulator.port() > 0);
        assertEquals("http://127.0.0.1:" + simulator.port(), simulator.baseUrl());
    }

    @Test
    void servesAnEmptyFirstIncarnationBeforeAnythingHappens() {
        HttpResponse<String> response = client.getEvents();
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("{\"DocumentIncarnation\":1,\"Events\":[]}", response.body());
    }

    @Test
    void metadataHeaderIsRequired() {
        HttpResponse<String> missing = client.send(client.request(ImdsTestClient.EVENTS).GET());
        HttpResponse<String> wrong = client.send(client.request(ImdsTestClient.EVENTS).header("Metadata", "false").GET());
        HttpResponse<String> compute = client.send(client.request(ImdsTestClient.COMPUTE).GET());

        for (HttpResponse<String> response : List.of(missing, wrong, compute)) {
            assertEquals(400, response.statusCode());
            assertTrue(ImdsTestClient.parse(response.body()).path("error").asText().contains("metadata header"));
        }
    }

    @Test
    void requestsCarryingXForwardedForAreRejected() {
        HttpResponse<String> response = client.send(client.request(ImdsTestClient.EVENTS)
                .header("Metadata", "true").header("X-Forwarded-For", "10.0.0.7").GET());

        assertEquals(400, response.statusCode());
        assertTrue(ImdsTestClient.parse(response.body()).has("error"));
    }

    @Test
    void apiVersionIsRequired() {
        HttpResponse<String> none = client.send(client.request("/metadata/scheduledevents")
                .header("Metadata", "true").GET());
        HttpResponse<String> empty = client.send(client.request("/metadata/scheduledevents?api-version=")
                .header("Metadata", "true").GET());

        assertEquals(400, none.statusCode());
        assertEquals(400, empty.statusCode());
        assertTrue(ImdsTestClient.parse(none.body()).path("error").asText().contains("api-version"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/metadata/instance?api-version=2021-02-01",
            "/metadata/scheduledevents/x?api-version=2020-07-01", "/metadata/identity/oauth2/token"})
    void otherPathsAreNotFound(String path) {
        assertEquals(404, client.send(client.request(path).header("Metadata", "true").GET()).statusCode());
    }

    @Test
    void otherMethodsAreNotAllowed() {
        HttpResponse<String> response = client.send(client.request(ImdsTestClient.EVENTS).header("Metadata", "true")
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));

        assertEquals(405, response.statusCode());
    }

    @Test
    void computeDescribesTheConfiguredVm() {
        HttpResponse<String> response = client.send(client.request(ImdsTestClient.COMPUTE).header("Metadata", "true").GET());

        assertEquals(200, response.statusCode());
        JsonNode compute = ImdsTestClient.parse(response.body());
        assertEquals("web-1", compute.path("name").asText());
        assertTrue(compute.path("resourceId").asText().endsWith("/providers/Microsoft.Compute/virtualMachines/web-1"));
        assertTrue(compute.path("resourceId").asText().contains(compute.path("subscriptionId").asText()));
        assertFalse(compute.path("vmId").asText().isEmpty());
    }

    @Test
    void setEventsIsServedAndEachChangeBumpsTheIncarnation() {
        SimEvent reboot = SimEvent.scheduled("602d9444-d2cd-49c7-8624-8643e7171297", "Reboot",
                T0.plusSeconds(900), "web-1");

        simulator.setEvents(List.of(reboot));
        JsonNode first = client.document();
        JsonNode again = client.document();
        simulator.setEvents(List.of(reboot.started()));
        JsonNode started = client.document();
        simulator.setEvents(List.of());
        JsonNode empty = client.document();

        assertEquals(2, first.path("DocumentIncarnation").asInt());
        assertEquals(2, again.path("DocumentIncarnation").asInt());
        assertEquals(3, started.path("DocumentIncarnation").asInt());
        assertEquals(4, empty.path("DocumentIncarnation").asInt());
        JsonNode event = first.path("Events").get(0);
        assertEquals("Scheduled", event.path("EventStatus").asText());
        assertEquals("Tue, 17 Nov 2026 09:10:00 GMT", event.path("NotBefore").asText());
        assertEquals("", started.path("Events").get(0).path("NotBefore").asText());
    }

    @Test
    void nullFieldsAreOmittedLikeOlderApiVersions() {
        simulator.setEvents(List.of(new SimEvent("e1", "Scheduled", "Freeze", "VirtualMachine", List.of("web-1"),
                "Mon, 19 Sep 2016 18:29:47 GMT", null, null, null)));

        JsonNode event = client.document().path("Events").get(0);

        assertFalse(event.has("Description"));
        assertFalse(event.has("EventSource"));
        assertFalse(event.has("DurationInSeconds"));
    }

    @Test
    void hostileEventTextIsServedAsValidJson() {
        String id = "e3\r\nBcc: attacker@example.com";
        String description = "<script>alert(1)</script>\r\nSubject: \"injected\"";
        simulator.setEvents(List.of(new SimEvent(id, "Pending", "Meltdown", "VirtualMachine", List.of("web-1"), "",
                description, "Platform", 0)));

        JsonNode event = client.document().path("Events").get(0);

        assertEquals(id, event.path("EventId").asText());
        assertEquals(description, event.path("Description").asText());
    }

    @Test
    void setDocumentServesTheBodyVerbatimUntilEventsAreSetAgain() {
        simulator.setDocument("{\"DocumentIncarnation\":6,\"Events\":[");
        HttpResponse<String> raw = client.getEvents();
        simulator.setEvents(List.of());

        assertEquals(200, raw.statusCode());
        assertEquals("{\"DocumentIncarnation\":6,\"Events\":[", raw.body());
        assertEquals(0, client.document().path("Events").size());
    }

    @Test
    void approvalMovesTheScheduledEventToStartedAndIsRecorded() {
        simulator.setEvents(List.of(
                SimEvent.scheduled("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Reboot", T0.plusSeconds(900), "web-1"),
                SimEvent.scheduled("9c1a2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "Freeze", T0.plusSeconds(900), "othervm")));
        int before = client.document().path("DocumentIncarnation").asInt();
        clock.advance(Duration.ofSeconds(42));

        HttpResponse<String> response = client.approve("f020ba2e-3bc0-4c40-a10b-86575a9eabd5");
        JsonNode after = client.document();

        assertEquals(200, response.statusCode());
        assertEquals(before + 1, after.path("DocumentIncarnation").asInt());
        assertEquals("Started", after.path("Events").get(0).path("EventStatus").asText());
        assertEquals("", after.path("Events").get(0).path("NotBefore").asText());
        assertEquals("Scheduled", after.path("Events").get(1).path("EventStatus").asText());
        assertEquals(List.of(new Approval("f020ba2e-3bc0-4c40-a10b-86575a9eabd5", T0.plusSeconds(42), true)),
                simulator.approvals());
    }

    @Test
    void approvalOfAnUnknownIdIsAcceptedAndRecordedAsNotReleasing() {
        HttpResponse<String> response = client.approve("no-such-event", "another");

        assertEquals(200, response.statusCode());
        assertEquals(List.of(new Approval("no-such-event", T0, false), new Approval("another", T0, false)),
                simulator.approvals());
        assertEquals(1, client.document().path("DocumentIncarnation").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "null", "{\"StartRequests\":{}}",
            "{\"StartRequests\":[{\"EventId\":5}]}", "{\"StartRequests\":[{}]}", "{\"StartRequests\":[\"e1\"]}",
            "{\"StartRequests\":[{\"EventId\":\"e1\"}", "{\"StartRequests\":[]} trailing", "\u0000\uFFFF"})
    void malformedApprovalBodiesAreRejectedAndTheServerKeepsServing(String body) {
        HttpResponse<String> response = client.post(body);

        assertEquals(400, response.statusCode(), body);
        assertTrue(ImdsTestClient.parse(response.body()).has("error"));
        assertTrue(simulator.approvals().isEmpty());
        assertEquals(200, client.getEvents().statusCode());
    }

    @Test
    void oversizedApprovalBodyIsRefused() {
        HttpResponse<String> response = client.post("{\"StartRequests\":[" + " ".repeat(100_000) + "]}");

        assertEquals(413, response.statusCode());
        assertEquals(200, client.getEvents().statusCode());
    }

    @Test
    void everyRequestIsRecordedWithWhatTheSimulatorAnswered() {
        clock.advance(Duration.ofSeconds(5));
        client.getEvents();
        client.send(client.request("/nope").header("User-Agent", "probe/1").GET());
        client.send(client.request(ImdsTestClient.EVENTS).header("Metadata", "true").header("X-Forwarded-For", "1.2.3.4")
                .GET());
        client.approve("e1");

        List<RecordedRequest> requests = simulator.requests();

        assertEquals(4, requests.size());
        RecordedRequest get = requests.get(0);
        assertEquals("GET", get.method());
        assertEquals(ImdsTestClient.EVENTS, get.pathAndQuery());
        assertEquals("true", get.metadataHeader());
        assertEquals(200, get.status());
        assertEquals(T0.plusSeconds(5), get.receivedAt());
        assertEquals(404, requests.get(1).status());
        assertEquals("probe/1", requests.get(1).userAgent());
        assertEquals("1.2.3.4", requests.get(2).forwardedFor());
        assertEquals(400, requests.get(2).status());
        assertEquals("POST", requests.get(3).method());
        assertEquals("{\"StartRequests\":[{\"EventId\":\"e1\"}]}", requests.get(3).body());
        assertTrue(requests.get(0).receivedNanos() <= requests.get(3).receivedNanos());
    }
}
