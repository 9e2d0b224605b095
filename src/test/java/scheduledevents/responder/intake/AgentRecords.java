package scheduledevents.responder.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.util.List;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.sink.eventgrid.EventEnvelopes;
import scheduledevents.sink.eventgrid.EventSchema;

/**
 * The deliveries of fixtures/eventgrid/agent-records*.json made by the agent's own code: two VMs (WestNO_0 and
 * WestNO_1, of fixtures/imds/02-freeze-scheduled.json) each report the Freeze Scheduled and then Started, as
 * {@code TransitionRecord.of} makes their records and {@code EventEnvelopes} wraps them for Event Grid. The fixture
 * test compares the files with this, so the fixtures follow the agent when its record changes.
 */
public final class AgentRecords {
    public static final String SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";
    public static final String EVENT_ID = "C7061BAC-AFDC-4513-B24B-AA5F13A16123";
    public static final Instant NOT_BEFORE = Instant.parse("2026-04-11T22:26:58Z");
    /** When each VM observed each transition: [vm][0 = Scheduled, 1 = Started] */
    public static final Instant[][] OBSERVED = {
            {Instant.parse("2026-04-11T22:12:00.125Z"), Instant.parse("2026-04-11T22:27:01.250Z")},
            {Instant.parse("2026-04-11T22:12:01.500Z"), Instant.parse("2026-04-11T22:27:02.750Z")}};
    public static final List<String> NAMES = List.of("WestNO_0", "WestNO_1");

    private AgentRecords() {
    }

    public static String resourceId(String name) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/"
                + name;
    }

    /** The two VMs' four events, in the order VM 0 Scheduled, VM 1 Scheduled, VM 0 Started, VM 1 Started. */
    public static ArrayNode events(EventSchema schema) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode events = mapper.createArrayNode();
        String description = "Virtual machine is being paused because of a memory-preserving Live Migration operation.";
        ScheduledEvent scheduled = new ScheduledEvent(EVENT_ID, "Freeze", "VirtualMachine", NAMES, "Scheduled",
                "Mon, 11 Apr 2026 22:26:58 GMT", description, "Platform", 5, NOT_BEFORE);
        ScheduledEvent started = new ScheduledEvent(EVENT_ID, "Freeze", "VirtualMachine", NAMES, "Started", "",
                description, "Platform", 5, null);
        long[] incarnations = {2, 3};
        ScheduledEvent[] transitions = {scheduled, started};
        for (int t = 0; t < 2; t++) {
            for (int vm = 0; vm < 2; vm++) {
                String name = NAMES.get(vm);
                VmIdentity identity = new VmIdentity(name, resourceId(name), vm == 0
                        ? "02aab8a4-74ef-476e-8182-f6d2ba4166a6" : "7d5c3b1e-2f4a-4c8d-9e6b-0a1f2e3d4c5b",
                        "westeurope", "", SUBSCRIPTION, "rg-prod", "1");
                TransitionRecord record = TransitionRecord.of(transitions[t], incarnations[t], OBSERVED[vm][t], name,
                        identity, null);
                String json = mapper.writeValueAsString(record);
                events.add(new EventEnvelopes(schema, "ScheduledEvent", "", name).toEvent(json).json());
            }
        }
        return events;
    }
}
