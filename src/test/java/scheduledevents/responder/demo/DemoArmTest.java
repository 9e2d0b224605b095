package scheduledevents.responder.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scheduledevents.simulator.Approval;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;

/** The demo's stand-in of Azure's Maintenance resource provider, against real IMDS simulators on loopback. */
class DemoArmTest {
    private static final String SUB = "00000000-1111-2222-3333-444444444444";
    private static final String GROUP = "rg-prod";
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private ImdsSimulator vm1;
    private ImdsSimulator vm2;
    private DemoArm arm;

    @BeforeEach
    void start() throws Exception {
        Instant notBefore = Instant.now().plusSeconds(600);
        List<SimEvent> events = List.of(SimEvent.scheduled("EVENT-A", "Freeze", notBefore, "vm-01", "vm-02", "spot-09"));
        vm1 = new ImdsSimulator("127.0.0.1", 0, "vm-01", Clock.systemUTC()).start();
        vm2 = new ImdsSimulator("127.0.0.1", 0, "vm-02", Clock.systemUTC()).start();
        vm1.setEvents(events);
        vm2.setEvents(events);
        arm = new DemoArm(SUB, GROUP).start();
        arm.vm("vm-01", vm1.baseUrl());
        arm.vm("vm-02", vm2.baseUrl());
        arm.platformView(vm1.baseUrl());
    }

    @AfterEach
    void stop() {
        arm.close();
        vm1.close();
        vm2.close();
    }

    private HttpResponse<String> acknowledge(String group, String vm, String eventId, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(arm.url() + "/subscriptions/" + SUB
                + "/resourcegroups/" + group + "/providers/Microsoft.Compute/virtualMachines/" + vm
                + "/providers/Microsoft.Maintenance/scheduledevents/" + eventId
                + "/acknowledge?api-version=2023-10-01-preview")).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAcknowledgeApprovesTheEventInThatVmsOwnSimulator() throws Exception {
        HttpResponse<String> answer = acknowledge(GROUP, "vm-02", "event-a", arm.token());
        assertEquals(200, answer.statusCode(), answer.body());
        List<Approval> approvals = vm2.approvals();
        assertEquals(1, approvals.size());
        assertEquals("event-a", approvals.get(0).eventId());
        assertTrue(approvals.get(0).released(), "the Scheduled event was released (it is Started now)");
        assertTrue(vm1.approvals().isEmpty(), "another VM's simulator was asked");
    }

    @Test
    void aVmWithoutAnAgentIsApprovedWhereThePlatformTopicLooks() throws Exception {
        assertEquals(200, acknowledge(GROUP, "spot-09", "EVENT-A", arm.token()).statusCode());
        assertEquals(List.of("EVENT-A"), vm1.approvals().stream().map(Approval::eventId).toList());
    }

    @Test
    void anEventOrVmItDoesNotHaveIs404() throws Exception {
        HttpResponse<String> noEvent = acknowledge(GROUP, "vm-01", "EVENT-GONE", arm.token());
        assertEquals(404, noEvent.statusCode());
        assertTrue(noEvent.body().contains("\"NotFound\""), noEvent.body());
        assertEquals(404, acknowledge("rg-other", "vm-01", "EVENT-A", arm.token()).statusCode());
        assertEquals(404, acknowledge(GROUP, "vm-99", "EVENT-A", arm.token()).statusCode(),
                "a VM the event does not name");
        assertTrue(vm1.approvals().isEmpty() && vm2.approvals().isEmpty(), "a simulator was asked");
    }

    @Test
    void aSimulatorThatFailsOrIsGoneIs502() throws Exception {
        vm1.failNext(503, 1);
        HttpResponse<String> failed = acknowledge(GROUP, "vm-01", "EVENT-A", arm.token());
        assertEquals(502, failed.statusCode(), failed.body());
        assertTrue(failed.body().contains("answered 503"), failed.body());
        assertEquals(List.of(), vm1.approvals());

        vm2.close();
        HttpResponse<String> gone = acknowledge(GROUP, "vm-02", "EVENT-A", arm.token());
        assertEquals(502, gone.statusCode(), gone.body());
        assertTrue(gone.body().contains("did not answer"), gone.body());
    }

    @Test
    void anotherTokenIs401AndApprovesNothing() throws Exception {
        assertEquals(401, acknowledge(GROUP, "vm-01", "EVENT-A", "not-the-token").statusCode());
        assertEquals(401, acknowledge(GROUP, "vm-01", "EVENT-A", null).statusCode());
        assertTrue(vm1.approvals().isEmpty());
    }
}
