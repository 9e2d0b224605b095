package scheduledevents.responder.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.intake.ReportSource;
import scheduledevents.responder.intake.VmRef;

/** FleetReport values as the parser would make them (the parser is built elsewhere): agents' and the platform's. */
final class Reports {
    static final String SUB = "11111111-2222-3333-4444-555555555555";
    static final Instant NOT_BEFORE = Instant.parse("2026-12-01T10:15:00Z");

    private Reports() {
    }

    /** vm01..vmNN by name only, as an agent's Resources give them. */
    static List<VmRef> names(int count) {
        List<VmRef> vms = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            vms.add(new VmRef(vmName(i), null, null, null));
        }
        return List.copyOf(vms);
    }

    /** The same VMs with resource ids, as the platform topic lets one rebuild them. */
    static List<VmRef> resolved(int count, String group) {
        List<VmRef> vms = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            vms.add(new VmRef(vmName(i), "/subscriptions/" + SUB + "/resourceGroups/" + group
                    + "/providers/Microsoft.Compute/virtualMachines/" + vmName(i), group, SUB));
        }
        return List.copyOf(vms);
    }

    static String vmName(int i) {
        return String.format("vm%04d", i);
    }

    static FleetReport agent(String eventId, String type, String status, List<VmRef> vms, String reporter,
            String group, int occurrence, Instant observedAt) {
        return new FleetReport(ReportSource.AGENT, "d-" + reporter + "-" + status + "-" + occurrence, eventId, type,
                status, StatusRules.SCHEDULED.equals(status) ? NOT_BEFORE : null, 5, "Host update", "Platform",
                "VirtualMachine", vms, new VmRef(reporter, null, group, SUB), occurrence, observedAt);
    }

    static FleetReport agent(String eventId, String status, List<VmRef> vms, String reporter, Instant observedAt) {
        return agent(eventId, "Freeze", status, vms, reporter, "rg-web", 1, observedAt);
    }

    static FleetReport platform(String eventId, String type, String status, List<VmRef> vms, Instant notBefore,
            Instant observedAt) {
        return new FleetReport(ReportSource.PLATFORM, "p-" + status + "-" + observedAt, eventId, type, status,
                notBefore, 5, "Host update", "Platform", "VirtualMachine", vms, null, 1, observedAt);
    }

    /** The platform's notification published on one resource (as the parser takes it from resourceInfo.id). */
    static FleetReport platformOn(String publishedOn, String deliveryId, String eventId, String status,
            List<VmRef> vms, Instant observedAt) {
        return new FleetReport(ReportSource.PLATFORM, deliveryId, eventId, "Freeze", status, NOT_BEFORE, 5,
                "Host update", "Platform", "VirtualMachine", vms, null, 1, observedAt, publishedOn);
    }

    /** A VM in rg-web with its resource id, as the platform's notification on that VM gives it. */
    static VmRef vmInGroup(String name) {
        return new VmRef(name, vmResourceId(name), "rg-web", SUB);
    }

    static String vmResourceId(String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/" + name;
    }
}
