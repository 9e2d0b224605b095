package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.responder.api.Access;
import scheduledevents.testing.FakeArm;
import scheduledevents.testing.FleetDeliveries;
import scheduledevents.testing.TestResponder;

/**
 * Approving from the centre, end to end: the packaged jar as the responder, its managed identity and Azure Resource
 * Manager both played by FakeArm on loopback (IDENTITY_ENDPOINT / IDENTITY_HEADER, as Azure Container Apps sets them,
 * so azure-identity's own ManagedIdentityCredential asks there and never at the instance metadata service), fed
 * through its real webhook.
 */
class ResponderApproveIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUB = FleetDeliveries.SUBSCRIPTION;
    private static final Instant NOT_BEFORE = Instant.parse("2026-12-01T10:15:00Z");

    @TempDir
    Path dir;
    private FakeArm arm;
    private TestResponder responder;

    @BeforeEach
    void startArm() {
        arm = FakeArm.start();
    }

    /** The responder with FakeArm as its identity endpoint and ARM, and these settings (key, value pairs). */
    private void start(String... settings) {
        TestResponder.Builder builder = TestResponder.jar(dir);
        arm.env().forEach(builder::env);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            builder.setting(settings[i], settings[i + 1]);
        }
        responder = builder.start();
    }

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
        if (arm != null) {
            arm.close();
        }
    }

    /** Each VM's agent reports {@code status} of the event (each with its own resource id). */
    private void report(String eventId, String status, String... vms) {
        FleetDeliveries.Event event = new FleetDeliveries.Event(eventId, "Reboot", List.of(vms), NOT_BEFORE);
        Instant at = Instant.parse("2026-12-01T10:00:00Z").plusSeconds(status.equals("Scheduled") ? 0 : 60);
        List<ObjectNode> events = new ArrayList<>();
        for (String vm : vms) {
            events.add(FleetDeliveries.agentEvent(event, vm, status, at));
        }
        HttpResponse<String> answer = responder.deliver(FleetDeliveries.batch(events.toArray(ObjectNode[]::new)));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private HttpResponse<String> approve(String eventId, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(responder.uri("/api/events/" + eventId + "/approve"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> approveWithToken(String eventId) throws Exception {
        return approve(eventId, "Authorization", "Bearer " + TestResponder.TOKEN);
    }

    private static String session(String name) {
        String cookie = new Access(TestResponder.TOKEN, Duration.ofHours(1), false, Clock.systemUTC())
                .signIn(name, TestResponder.TOKEN, false);
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static String ackPath(String vm, String eventId) {
        return "/subscriptions/" + SUB + "/resourcegroups/" + FleetDeliveries.GROUP + "/providers/Microsoft.Compute/"
                + "virtualMachines/" + vm + "/providers/Microsoft.Maintenance/scheduledevents/" + eventId
                + "/acknowledge";
    }

    private static List<JsonNode> approvals(JsonNode event) {
        List<JsonNode> out = new ArrayList<>();
        event.path("History").forEach(h -> {
            if (h.path("What").asText().equals("approval")) {
                out.add(h);
            }
        });
        return out;
    }

    @Test
    void approvingCallsArmWithTheManagedIdentitysTokenOnEachVmAndASecondApprovalIsHarmless() throws Exception {
        start();
        String id = "7C1E2B9A-0D4F-4E8B-A2C5-91F3D6E8B0A1";
        report(id, "Scheduled", "vm-01", "vm-02");

        HttpResponse<String> first = approve(id.toLowerCase(), "Cookie", session("alice"),
                "X-Requested-With", Access.PAGE_HEADER_VALUE);

        assertEquals(200, first.statusCode(), first.body());
        JsonNode answer = JSON.readTree(first.body());
        assertEquals("approved", answer.path("Outcome").asText());
        assertEquals("approved: Azure acknowledged it for vm-01, vm-02", answer.path("Message").asText());
        assertEquals("alice", answer.path("Event").path("Approval").path("By").asText());
        // azure-identity's request to the identity endpoint (App Service / Container Apps protocol 2019-08-01)
        assertEquals(1, arm.tokenRequests().size(), arm.tokenRequests().toString());
        FakeArm.Request token = arm.tokenRequests().get(0);
        assertEquals("GET", token.method());
        assertTrue(token.query().contains("api-version=2019-08-01"), token.query());
        assertTrue(token.query().contains("resource=https%3A%2F%2Fmanagement.azure.com"), token.query());
        List<FakeArm.Request> acks = arm.acknowledges();
        assertEquals(List.of(
                new FakeArm.Request("POST", ackPath("vm-01", id), "api-version=2023-10-01-preview",
                        "Bearer " + arm.token()),
                new FakeArm.Request("POST", ackPath("vm-02", id), "api-version=2023-10-01-preview",
                        "Bearer " + arm.token())), acks);

        HttpResponse<String> again = approveWithToken(id);
        assertEquals(200, again.statusCode(), again.body());
        JsonNode second = JSON.readTree(again.body());
        assertEquals("approved", second.path("Outcome").asText());
        assertTrue(second.path("Message").asText().startsWith("already approved by alice at "), again.body());
        assertEquals(2, arm.acknowledges().size(), "Azure is not asked again");

        JsonNode stored = responder.event(id);
        assertEquals("alice", stored.path("Approval").path("By").asText());
        List<JsonNode> history = approvals(stored);
        assertEquals(1, history.size(), stored.toString());
        assertEquals("approved", history.get(0).path("Status").asText());
        assertEquals("alice", history.get(0).path("By").asText());
        assertEquals("alice", responder.events().get(0).path("Approval").path("By").asText(), "the list shows it");
        assertTrue(responder.get("/observe/metrics").body()
                .contains("responder_approvals_total{outcome=\"approved\"} 1.0"));
        assertFalse(responder.output().contains(arm.token()), "the ARM token is never logged");
        assertFalse(first.body().contains(arm.token()) || again.body().contains(arm.token()));
    }

    @Test
    void aScaleSetEventFromThePlatformTopicIsAcknowledgedOnTheScaleSetOnce() throws Exception {
        start();
        // Azure's own topic: published on the scale set web-vmss, Resources naming its instances web-vmss_3 and _7
        String delivery = Files.readString(Fixtures.EVENTGRID.resolve("platform/vmss-freeze-scheduled.json"));
        String id = "5E0F3C2A-1B7D-4C55-9D1E-8A6B2F40C3D7";
        String sub = "00000000-1111-2222-3333-444444444444";
        assertEquals(200, responder.deliver(delivery).statusCode());

        HttpResponse<String> approved = approveWithToken(id.toLowerCase());

        assertEquals(200, approved.statusCode(), approved.body());
        JsonNode answer = JSON.readTree(approved.body());
        assertEquals("approved: Azure acknowledged it for scale set web-vmss", answer.path("Message").asText());
        assertEquals(List.of(new FakeArm.Request("POST", "/subscriptions/" + sub + "/resourcegroups/rg-web/providers/"
                        + "Microsoft.Compute/virtualMachineScaleSets/web-vmss/providers/Microsoft.Maintenance/"
                        + "scheduledevents/" + id + "/acknowledge", "api-version=2023-10-01-preview",
                        "Bearer " + arm.token())), arm.acknowledges(), "once, on the scale set, not on its VMs");
        JsonNode vms = answer.path("Event").path("Vms");
        assertEquals(2, vms.size(), vms.toString());
        for (JsonNode vm : vms) {
            assertEquals("/subscriptions/" + sub + "/resourceGroups/rg-web/providers/Microsoft.Compute/"
                    + "virtualMachineScaleSets/web-vmss", vm.path("ScaleSetId").asText(), vm.toString());
        }
    }

    @Test
    void startedCompletedAndCanceledEventsAreRefusedWithoutAskingAzure() throws Exception {
        start();
        report("E-STARTED", "Scheduled", "vm-01");
        report("E-STARTED", "Started", "vm-01");
        report("E-DONE", "Scheduled", "vm-02");
        report("E-DONE", "Completed", "vm-02");
        report("E-CANCELED", "Canceled", "vm-03");

        for (String[] c : new String[][] {{"E-STARTED", "Started"}, {"E-DONE", "Completed"},
                {"E-CANCELED", "Canceled"}}) {
            HttpResponse<String> refused = approveWithToken(c[0]);
            assertEquals(409, refused.statusCode(), refused.body());
            JsonNode answer = JSON.readTree(refused.body());
            assertEquals("refused", answer.path("Outcome").asText());
            assertTrue(answer.path("Message").asText().startsWith("not approved: the event is " + c[1] + " ("),
                    answer.toString());
            assertEquals("refused", approvals(responder.event(c[0])).get(0).path("Status").asText(), "recorded");
        }
        assertEquals(List.of(), arm.acknowledges());
        assertEquals(List.of(), arm.tokenRequests(), "not even a token is asked for");
        assertEquals(404, approveWithToken("NO-SUCH-EVENT").statusCode());
        assertEquals(401, approve("E-STARTED").statusCode(), "no token, no session: 401");
    }

    @Test
    void azuresRefusalsAreSaidInWordsAndRecordedWithWho() throws Exception {
        start();
        report("E-403", "Scheduled", "vm-403");
        report("E-404", "Scheduled", "vm-404");
        report("E-409", "Scheduled", "vm-409");
        arm.answer("vm-403", 403).answer("vm-404", 404).answer("vm-409", 409);

        JsonNode forbidden = JSON.readTree(approve("E-403", "Cookie", session("bob"), "X-Requested-With",
                Access.PAGE_HEADER_VALUE).body());
        HttpResponse<String> gone = approveWithToken("E-404");
        JsonNode conflict = JSON.readTree(approveWithToken("E-409").body());

        assertEquals("failed", forbidden.path("Outcome").asText());
        assertTrue(forbidden.path("Message").asText().startsWith("the responder's managed identity may not approve"
                + " vm-403: give it a role with Microsoft.Maintenance/scheduledevents/acknowledge/action ("),
                forbidden.toString());
        assertEquals(502, gone.statusCode());
        assertEquals("Azure no longer has this event for vm-404 (it may have started or ended)",
                JSON.readTree(gone.body()).path("Message").asText());
        assertTrue(conflict.path("Message").asText().startsWith("Azure refused it for vm-409 (conflict: "),
                conflict.toString());

        JsonNode recorded = approvals(responder.event("E-403")).get(0);
        assertEquals("bob", recorded.path("By").asText());
        assertEquals("failed", recorded.path("Status").asText());
        assertEquals(forbidden.path("Message").asText(), recorded.path("Detail").asText());
        assertEquals("API token", responder.event("E-404").path("Approval").path("By").asText());

        // the role is given: approving again now works
        arm.answer("vm-403", 200);
        assertEquals(200, approveWithToken("E-403").statusCode());
        assertTrue(responder.get("/observe/metrics").body()
                .contains("responder_approvals_total{outcome=\"failed\"} 3.0"));
    }

    @Test
    void withoutAManagedIdentityTokenNothingIsSentToAzureAndTheOperatorIsTold() throws Exception {
        start();
        report("E-NOTOKEN", "Scheduled", "vm-01");
        arm.identityAnswers(400);

        HttpResponse<String> failed = approveWithToken("E-NOTOKEN");

        assertEquals(502, failed.statusCode(), failed.body());
        JsonNode answer = JSON.readTree(failed.body());
        assertEquals("failed", answer.path("Outcome").asText());
        assertTrue(answer.path("Message").asText().startsWith("no managed identity token ("), answer.toString());
        assertFalse(answer.path("Message").asText().contains("\n"));
        assertEquals(List.of(), arm.acknowledges());
        assertEquals("failed", responder.event("E-NOTOKEN").path("Approval").path("Outcome").asText());
    }

    @Test
    void approvalRulesApproveAUsersRebootByThemselvesAndRefuseAPlatformFreeze() throws Exception {
        start("responder.approve.auto", "Reboot", "responder.approve.never", "Freeze/Platform",
                "responder.approve.auto-interval", "500");
        report("E-AUTO", "Scheduled", "vm-01");

        responder.await("the responder approved the Reboot by its rule", () ->
                "approved".equals(responder.event("E-AUTO").path("Approval").path("Outcome").asText()));
        assertEquals("responder (responder.approve.auto)",
                responder.event("E-AUTO").path("Approval").path("By").asText());
        assertEquals(List.of(ackPath("vm-01", "E-AUTO")),
                arm.acknowledges().stream().map(FakeArm.Request::path).toList());

        FleetDeliveries.Event freeze = new FleetDeliveries.Event("E-FREEZE", "Freeze", List.of("vm-02"), NOT_BEFORE);
        assertEquals(200, responder.deliver(FleetDeliveries.batch(FleetDeliveries.agentEvent(freeze, "vm-02",
                "Scheduled", Instant.parse("2026-12-01T10:00:00Z")))).statusCode());
        HttpResponse<String> refused = approveWithToken("E-FREEZE");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(JSON.readTree(refused.body()).path("Message").asText().contains("Freeze/Platform events are"
                + " never approved from here"), refused.body());
        assertEquals(1, arm.acknowledges().size(), "the Freeze never reached Azure");
    }
}
