package scheduledevents.responder.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import scheduledevents.Fixtures;
import scheduledevents.responder.fleet.FleetEvent;

/** Fleet events as the store would hand them over. */
final class FleetEvents {
    static final String SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";

    private FleetEvents() {
    }

    static String vmName(int i) {
        return String.format("web-%02d", i);
    }

    /** A Freeze of {@code count} VMs of rg-web, reported by half of them. */
    static FleetEvent freeze(String eventId, int count, String status, int occurrence) {
        List<FleetEvent.Vm> vms = new ArrayList<>();
        List<String> reportedBy = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = vmName(i);
            boolean reported = i % 2 == 0;
            vms.add(new FleetEvent.Vm(name, "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-web/providers/"
                    + "Microsoft.Compute/virtualMachines/" + name, "rg-web", SUBSCRIPTION,
                    reported ? status : null, reported ? "2026-12-01T10:00:00Z" : null));
            if (reported) {
                reportedBy.add(name);
            }
        }
        return new FleetEvent(eventId, "Freeze", status, "2026-12-01T10:15:00Z", 9, "Host update", "Platform",
                "VirtualMachine", occurrence, vms, reportedBy, List.of("agent", "platform"), "2026-12-01T09:58:00Z",
                "2026-12-01T10:00:00Z", null, null);
    }

    /** Every string of fixtures/eventgrid/hostile/script-in-every-field.json in the field a source would fill. */
    static FleetEvent hostile() throws IOException {
        JsonNode delivery = new ObjectMapper().readTree(Files.readString(
                Fixtures.EVENTGRID.resolve("hostile/script-in-every-field.json"))).get(0);
        JsonNode data = delivery.get("data");
        String subject = delivery.get("subject").asText();
        String reporter = subject.substring(subject.lastIndexOf('/') + 1);
        List<FleetEvent.Vm> vms = new ArrayList<>();
        for (JsonNode r : data.get("Resources")) {
            vms.add(new FleetEvent.Vm(r.asText(), subject, "rg<b>x</b>", "sub\"quote", null, null));
        }
        vms.add(new FleetEvent.Vm(reporter, subject, "rg", "x", "Scheduled", "2026-12-01T10:00:00Z"));
        return new FleetEvent(data.get("EventId").asText(), data.get("EventType").asText(), "Scheduled",
                "2026-12-01T10:15:00Z", data.get("DurationInSeconds").asInt(), data.get("Description").asText(),
                data.get("EventSource").asText(), data.get("ResourceType").asText(), 1, vms, List.of(reporter),
                List.of("seed-script"), "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", null, null);
    }
}
