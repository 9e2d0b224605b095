package scheduledevents.responder.approve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import scheduledevents.responder.fleet.FleetEvent;

class ArmTargetTest {
    private static final String SUB = "00000000-1111-2222-3333-444444444444";

    private static FleetEvent.Vm vm(String name, String resourceId) {
        return new FleetEvent.Vm(name, resourceId, "rg-web", SUB, null, null);
    }

    private static String vmId(String group, String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + group + "/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    @Test
    void aVmsResourceIdIsItsOwnTarget() {
        ArmTarget.Targets t = ArmTarget.of(List.of(vm("vm-01", vmId("rg-web", "vm-01"))));

        assertEquals(List.of(new ArmTarget(SUB, "rg-web", ArmTarget.VM, "vm-01", List.of("vm-01"))), t.targets());
        assertEquals("/subscriptions/" + SUB + "/resourcegroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-01",
                t.targets().get(0).path());
        assertEquals(List.of(), t.unknown());
    }

    @Test
    void scaleSetInstancesShareOneScaleSetTargetAndVmsKeepTheirOwn() {
        String ss = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/"
                + "virtualMachineScaleSets/web-vmss/virtualMachines/";
        ArmTarget.Targets t = ArmTarget.of(List.of(vm("web-vmss_3", ss + "3"), vm("vm-01", vmId("rg-web", "vm-01")),
                vm("web-vmss_7", ss.toLowerCase() + "7"), vm("vm-02", vmId("rg-db", "vm-02"))));

        assertEquals(3, t.targets().size(), t.toString());
        ArmTarget scaleSet = t.targets().get(0);
        assertEquals(ArmTarget.SCALE_SET, scaleSet.type());
        assertEquals("web-vmss", scaleSet.name());
        assertEquals(List.of("web-vmss_3", "web-vmss_7"), scaleSet.vms(), "once per scale set, naming its VMs");
        assertEquals("scale set web-vmss", scaleSet.label());
        assertTrue(scaleSet.path().endsWith("/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss"));
        assertEquals("rg-db", t.targets().get(2).resourceGroup());
    }

    @Test
    void vmsThePlatformReportedThroughTheirScaleSetAreApprovedOnTheScaleSetOnce() {
        // as the platform topic's scale-set notification leaves them: a VM id rebuilt from the name, and the scale set
        String scaleSet = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/"
                + "virtualMachineScaleSets/web-vmss";
        ArmTarget.Targets t = ArmTarget.of(List.of(
                new FleetEvent.Vm("web-vmss_3", vmId("rg-web", "web-vmss_3"), "rg-web", SUB, null, null, scaleSet),
                vm("vm-01", vmId("rg-web", "vm-01")),
                new FleetEvent.Vm("web-vmss_7", vmId("rg-web", "web-vmss_7"), "rg-web", SUB, null, null,
                        scaleSet.toLowerCase())));

        assertEquals(List.of(new ArmTarget(SUB, "rg-web", ArmTarget.SCALE_SET, "web-vmss",
                List.of("web-vmss_3", "web-vmss_7")), new ArmTarget(SUB, "rg-web", ArmTarget.VM, "vm-01",
                List.of("vm-01"))), t.targets());
        assertEquals("/subscriptions/" + SUB + "/resourcegroups/rg-web/providers/Microsoft.Compute/"
                + "virtualMachineScaleSets/web-vmss", t.targets().get(0).path());
        assertEquals(List.of(), t.unknown());
    }

    @Test
    void aScaleSetIdThatNamesNoScaleSetLeavesTheVmsOwnTarget() {
        ArmTarget.Targets t = ArmTarget.of(List.of(new FleetEvent.Vm("vm-01", vmId("rg-web", "vm-01"), "rg-web", SUB,
                null, null, vmId("rg-web", "other") + "/../virtualMachineScaleSets/x")));

        assertEquals(List.of(new ArmTarget(SUB, "rg-web", ArmTarget.VM, "vm-01", List.of("vm-01"))), t.targets());
    }

    @Test
    void vmsWithoutAUsableResourceIdAreNamedNotGuessed() {
        ArmTarget.Targets t = ArmTarget.of(List.of(vm("only-a-name", null), vm("odd", "vm-01"),
                vm("storage", "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Storage/"
                        + "storageAccounts/x"),
                vm("deeper", vmId("rg", "vm") + "/extensions/x"), vm("blank", vmId(" ", "vm"))));

        assertEquals(List.of(), t.targets());
        assertEquals(List.of("only-a-name", "odd", "storage", "deeper", "blank"), t.unknown());
    }

    @Test
    void hostileNamesStayInsideTheirPathSegment() {
        ArmTarget.Targets t = ArmTarget.of(List.of(vm("a", "/subscriptions/s?x=1#f/resourceGroups/../providers/"
                + "Microsoft.Compute/virtualMachines/name with space&%2F")));
        ArmTarget target = t.targets().get(0);

        assertEquals("/subscriptions/s%3Fx%3D1%23f/resourcegroups/%2E%2E/providers/Microsoft.Compute/virtualMachines/"
                + "name%20with%20space%26%252F", target.path());
        assertFalse(target.path().contains("/../"));
        assertEquals("%2E", ArmTarget.segment("."));
        assertEquals("a.b", ArmTarget.segment("a.b"), "a dot inside a name is left alone");
        assertEquals("caf%C3%A9%2A", ArmTarget.segment("café*"));
    }

    @Test
    void aLabelIsOneShortLine() {
        ArmTarget target = new ArmTarget(SUB, "rg", ArmTarget.VM, "vm\r\nFAKE LOG LINE" + "x".repeat(500), List.of());

        assertFalse(target.label().contains("\n"));
        assertTrue(target.label().length() <= ArmApprover.MAX_DETAIL + 3, target.label());
        assertNull(ArmTarget.parse("", "x"));
    }
}
