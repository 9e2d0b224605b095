package scheduledevents.responder.approve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scheduledevents.testing.FakeArm;
import scheduledevents.testing.Ports;

/** The acknowledge calls against a loopback ARM (FakeArm), and the words for each of Azure's answers. */
class ArmApproverTest {
    private static final String SUB = "00000000-1111-2222-3333-444444444444";
    private final FakeArm arm = FakeArm.start();

    @AfterEach
    void stop() {
        arm.close();
    }

    private ArmApprover approver(String url) {
        return new ArmApprover(new ArmSettings(URI.create(url), "https://management.azure.com/.default", "",
                "2023-10-01-preview", Duration.ofSeconds(5)), arm::token);
    }

    private static ArmTarget vm(String name) {
        return new ArmTarget(SUB, "rg-web", ArmTarget.VM, name, List.of(name));
    }

    @Test
    void postsTheAcknowledgeOfEachTargetWithTheBearerToken() throws Exception {
        ArmApprover approver = approver(arm.url() + "/");
        ArmTarget scaleSet = new ArmTarget(SUB, "rg-web", ArmTarget.SCALE_SET, "web-vmss", List.of("web-vmss_3"));

        List<ArmApprover.Result> results = approver.acknowledge("5E0F3C2A-1B7D", List.of(vm("vm-01"), scaleSet),
                approver.token());

        assertTrue(results.stream().allMatch(ArmApprover.Result::acknowledged), results.toString());
        List<FakeArm.Request> calls = arm.acknowledges();
        assertEquals(2, calls.size());
        assertEquals(new FakeArm.Request("POST", "/subscriptions/" + SUB + "/resourcegroups/rg-web/providers/"
                + "Microsoft.Compute/virtualMachines/vm-01/providers/Microsoft.Maintenance/scheduledevents/"
                + "5E0F3C2A-1B7D/acknowledge", "api-version=2023-10-01-preview", "Bearer " + arm.token()),
                calls.get(0));
        assertTrue(calls.get(1).path().contains("/virtualMachineScaleSets/web-vmss/providers/Microsoft.Maintenance/"),
                calls.get(1).path());
    }

    @Test
    void aHostileEventIdCannotLeaveItsSegment() {
        approver(arm.url()).acknowledge("../../x?api-version=1#", List.of(vm("vm-01")), arm.token());

        FakeArm.Request call = arm.acknowledges().get(0);
        assertTrue(call.path().endsWith("/scheduledevents/..%2F..%2Fx%3Fapi-version%3D1%23/acknowledge"),
                call.path());
        assertEquals("api-version=2023-10-01-preview", call.query());
    }

    @Test
    void azuresRefusalsAreSaidInWordsPerTarget() {
        arm.answer("vm-403", 403).answer("vm-404", 404).answer("vm-409", 409).answer("vm-500", 500);

        List<ArmApprover.Result> results = approver(arm.url()).acknowledge("e1",
                List.of(vm("vm-403"), vm("vm-404"), vm("vm-409"), vm("vm-500"), vm("vm-ok")), arm.token());

        assertEquals(List.of(403, 404, 409, 500, 200), results.stream().map(ArmApprover.Result::status).toList());
        assertTrue(results.get(0).words().startsWith("the responder's managed identity may not approve vm-403: give"
                + " it a role with Microsoft.Maintenance/scheduledevents/acknowledge/action (AuthorizationFailed: "),
                results.get(0).words());
        assertEquals("Azure no longer has this event for vm-404 (it may have started or ended)",
                results.get(1).words());
        assertEquals("Azure refused it for vm-409 (conflict: Conflict: The scheduled event is already in progress.)",
                results.get(2).words());
        assertEquals("Azure answered 500 for vm-500 (InternalServerError: Something went wrong.)",
                results.get(3).words());
        assertTrue(results.get(4).acknowledged());
        for (ArmApprover.Result r : results) {
            assertFalse(r.words().contains(arm.token()), "never the token");
            assertTrue(r.words().length() < 400, r.words());
        }
    }

    @Test
    void aWrongTokenAndAnUnreachableArmAreSaidInWords() {
        ArmApprover.Result wrong = approver(arm.url()).acknowledge("e1", List.of(vm("vm-01")), "not-the-token")
                .get(0);
        assertEquals(401, wrong.status());
        assertTrue(wrong.words().startsWith("Azure did not accept the managed identity's token for vm-01"),
                wrong.words());
        assertFalse(wrong.words().contains("not-the-token"));

        ArmApprover.Result down = approver("http://127.0.0.1:" + Ports.free()).acknowledge("e1",
                List.of(vm("vm-01")), arm.token()).get(0);
        assertFalse(down.acknowledged());
        assertTrue(down.words().startsWith("could not reach Azure Resource Manager for vm-01 ("), down.words());
    }

    @Test
    void anErrorBodyIsShownAsOneShortCleanLine() {
        assertEquals("", ArmApprover.detail(null));
        assertEquals("Code: line\\r\\nFAKE", ArmApprover.detail("{\"error\":{\"code\":\"Code\","
                + "\"message\":\"line\\r\\nFAKE\"}}"));
        String long1 = ArmApprover.detail("<html>" + "x".repeat(5000));
        assertTrue(long1.startsWith("<html>xxx") && long1.length() <= ArmApprover.MAX_DETAIL + 3, long1);
    }
}
