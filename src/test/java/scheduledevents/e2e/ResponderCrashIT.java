package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.responder.demo.EventGridRelay;
import scheduledevents.testing.Await;
import scheduledevents.testing.FleetDeliveries;
import scheduledevents.testing.TestResponder;

/**
 * kill -9 of the responder in the middle of a burst, with Event Grid's behaviour in front of it ({@link
 * EventGridRelay}: every delivery not answered 2xx is sent again): once it is back, every report is there and each
 * fleet status was mailed once (a kill between a mail's acceptance and its commit may add one copy, never more).
 */
class ResponderCrashIT {
    @TempDir
    Path dir;
    private GreenMail smtp;
    private EventGridRelay relay;
    private final List<TestResponder> responders = new ArrayList<>();

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        responders.forEach(TestResponder::close);
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void aKillDuringABurstLosesNoReportAndSendsNoSecondNotification() throws Exception {
        smtp = ResponderIT.greenMail();
        TestResponder.Builder start = TestResponder.jar(dir).mailTo(smtp.getSmtp().getPort(), "ops@example.test")
                .setting("responder.notify.interval", "200")
                // a claim of the killed process lapses after this, then the restarted one sends what it held
                .setting("responder.notify.lease", "5000");
        TestResponder first = start.start();
        responders.add(first);
        relay = new EventGridRelay(null, null, "", first.uri("/events/eventgrid"), TestResponder.SECRET, 4).start();
        FleetDeliveries.Event freeze = new FleetDeliveries.Event("A1B2C3D4-0000-4000-8000-00000000C0DE", "Freeze",
                ResponderIT.vms(100), Instant.parse("2026-12-01T10:15:00Z"));
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            t = t.plusSeconds(60);
            for (String vm : freeze.resources()) {
                relay.publish(List.of(FleetDeliveries.agentEvent(freeze, vm, status, t)));
            }
        }

        Await.until("a third of the burst delivered", Duration.ofSeconds(60), () -> relay.delivered() >= 100);
        first.kill9();
        TestResponder second = start.start(); // same port, same data folder
        responders.add(second);

        second.await("Event Grid's retries delivered the whole burst", () -> relay.delivered() == relay.published());
        JsonNode event = second.event(freeze.eventId());
        assertEquals("Completed", event.path("EventStatus").asText());
        assertEquals(100, event.path("Vms").size());
        for (JsonNode vm : event.path("Vms")) {
            assertEquals("Completed", vm.path("Status").asText(), "every VM's last report is there: " + vm);
            assertTrue(vm.path("ResourceId").asText().endsWith("/virtualMachines/" + vm.path("Name").asText()),
                    "each agent's own resource id reaches its VM: " + vm);
        }
        second.await("three notifications recorded", () ->
                ResponderIT.count(second.event(freeze.eventId()).path("History"), "notified") >= 3);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            subjects.add(mail.getSubject());
        }
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            long n = subjects.stream().filter(s -> s.contains(status)).count();
            assertTrue(n >= 1, "nothing lost: " + status + " notified " + subjects);
        }
        assertTrue(subjects.size() <= 4, "at most one copy for the one kill: " + subjects);
    }
}
