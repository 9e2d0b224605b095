package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.responder.demo.FleetDemo;
import scheduledevents.testing.Ports;
import scheduledevents.testing.TestAgent;

/**
 * {@code --responder --demo} as a new user runs it: within a minute the API shows the fleet's Freeze, reported by
 * the demo's agents and by the platform topic, and Ctrl-C (SIGTERM) ends it with its agents.
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
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(api)
                        .header("Authorization", "Bearer " + FleetDemo.DEMO_TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    return false;
                }
                for (JsonNode event : JSON.readTree(answer.body()).path("events")) {
                    if ("Freeze".equals(event.path("EventType").asText())
                            && event.path("Sources").toString().contains("agent")
                            && event.path("Sources").toString().contains("platform")
                            && event.path("ReportedBy").size() == 4 && event.path("Vms").size() == 5) {
                        return true;
                    }
                }
                return false;
            });
            java.util.List<ProcessHandle> agents = ProcessHandle.of(demo.pid()).orElseThrow().descendants().toList();
            assertTrue(agents.size() >= 4, "the demo's agents run as child processes: " + agents.size());
            demo.stop();
            demo.await("Ctrl-C ends the demo's agents too", () -> agents.stream().noneMatch(ProcessHandle::isAlive));
        }
    }
}
