package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.responder.demo.FleetDemo;
import scheduledevents.testing.FakeArm;
import scheduledevents.testing.Ports;
import scheduledevents.testing.TestAgent;

/**
 * {@code --responder --demo} as a new user runs it: within a minute the API shows the fleet's Freeze, reported by
 * the demo's agents and by the platform topic, and Ctrl-C (SIGTERM) ends it with its agents; approving an event
 * starts it early, through the demo's loopback stand-in of Azure.
 */
class ResponderDemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    @TempDir
    Path dir;

    @Test
    void theDemoShowsFleetEventsFromAgentsAndThePlatformWithinAMinute() throws Exception {
        int port = Ports.free();
        try (TestAgent demo = TestAgent.jar(dir).env("RESPONDER_PORT", String.valueOf(port))
                .args("--responder", "--demo").start()) {
            URI api = URI.create("http://127.0.0.1:" + port + "/api/events");
            demo.await("the Freeze of vm-01..vm-04 and spot-09, from agents and the platform", () -> {
                JsonNode freeze = freeze(api);
                return freeze != null && freeze.path("Sources").toString().contains("agent")
                        && freeze.path("Sources").toString().contains("platform")
                        && freeze.path("ReportedBy").size() == 4 && freeze.path("Vms").size() == 5;
            });
            List<ProcessHandle> agents = ProcessHandle.of(demo.pid()).orElseThrow().descendants().toList();
            assertTrue(agents.size() >= 4, "the demo's agents run as child processes: " + agents.size());
            demo.stop();
            demo.await("Ctrl-C ends the demo's agents too", () -> agents.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    /**
     * Approve now in the demo does what it does in Azure, without Azure: the demo's stand-in of the Maintenance
     * resource provider on loopback approves the event in the VMs' simulators, so their agents report it Started
     * before its NotBefore. Approved as soon as the Freeze is Scheduled and vm-01's agent has reported it (with its
     * resource id, which the approval needs): the scenario starts it by itself about 30 s after it appears. The
     * process is given a managed identity and an ARM URL (FakeArm, as Azure Container Apps would set them): the demo
     * must ask neither.
     */
    @Test
    void approveNowInTheDemoStartsTheEventEarlyThroughTheLoopbackStandInOfAzure() throws Exception {
        int port = Ports.free();
        try (FakeArm azure = FakeArm.start();
                TestAgent demo = TestAgent.jar(dir).env("RESPONDER_PORT", String.valueOf(port)).env(azure.env())
                        .args("--responder", "--demo").start()) {
            URI api = URI.create("http://127.0.0.1:" + port + "/api/events");
            demo.await("the Freeze, Scheduled, reported by vm-01's agent", () -> {
                JsonNode freeze = freeze(api);
                return freeze != null && "Scheduled".equals(freeze.path("EventStatus").asText())
                        && freeze.path("ReportedBy").toString().contains("\"vm-01\"");
            });
            JsonNode freeze = freeze(api);
            String eventId = freeze.path("EventId").asText();
            Instant notBefore = Instant.parse(freeze.path("NotBeforeUtc").asText());
            HttpResponse<String> approved = HTTP.send(HttpRequest.newBuilder(
                    URI.create(api + "/" + eventId + "/approve"))
                    .header("Authorization", "Bearer " + FleetDemo.DEMO_TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, approved.statusCode(), approved.body());
            JsonNode approval = JSON.readTree(approved.body());
            assertEquals("approved", approval.path("Outcome").asText(), approved.body());
            String message = approval.path("Message").asText();
            assertTrue(message.startsWith("approved: Azure acknowledged it for ") && message.contains("vm-01"),
                    message);

            demo.await("vm-01's agent reports the Freeze Started", () -> "Started".equals(vm(freeze(api), "vm-01")
                    .path("Status").asText()));
            Instant started = Instant.parse(vm(freeze(api), "vm-01").path("ReportedAt").asText());
            assertTrue(started.isBefore(notBefore), "Started at " + started + ", not before NotBefore " + notBefore
                    + ": the approval did not start it early");
            assertTrue(demo.output().contains("approvals go to http://127.0.0.1:"), demo.output());
            assertEquals(List.of(), azure.tokenRequests(), "the demo asked the managed identity for a token");
            assertEquals(List.of(), azure.acknowledges(), "the demo's approval went to RESPONDER_ARM_URL");
        }
    }

    /** The fleet's Freeze as the API answers it, or null while it is not there. */
    private static JsonNode freeze(URI api) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(api)
                .header("Authorization", "Bearer " + FleetDemo.DEMO_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            return null;
        }
        for (JsonNode event : JSON.readTree(answer.body()).path("events")) {
            if ("Freeze".equals(event.path("EventType").asText())) {
                return event;
            }
        }
        return null;
    }

    private static JsonNode vm(JsonNode event, String name) {
        for (JsonNode vm : event.path("Vms")) {
            if (name.equals(vm.path("Name").asText())) {
                return vm;
            }
        }
        return JSON.missingNode();
    }
}
