package scheduledevents.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.responder.demo.PlatformEvents;
import scheduledevents.sink.eventgrid.EventEnvelopes;
import scheduledevents.sink.eventgrid.EventSchema;

/**
 * Deliveries as the responder receives them, made by the agent's own code: an agent's transition record wrapped by
 * the agent's Event Grid sink ({@link EventEnvelopes}), and the platform topic's events ({@link PlatformEvents}).
 */
public final class FleetDeliveries {
    public static final String SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";
    public static final String GROUP = "rg-web";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FleetDeliveries() {
    }

    /** One maintenance event as IMDS lists it. */
    public record Event(String eventId, String eventType, List<String> resources, Instant notBefore) {
        ScheduledEvent imds(String status) {
            return new ScheduledEvent(eventId, eventType, "VirtualMachine", resources, status,
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                            .format(notBefore.atOffset(java.time.ZoneOffset.UTC)),
                    "Virtual machine is being paused because of a memory-preserving Live Migration operation.",
                    "Platform", 5, notBefore);
        }
    }

    /** The Event Grid event that {@code vm}'s agent publishes for {@code status} of {@code event}. */
    public static ObjectNode agentEvent(Event event, String vm, String status, Instant observedAt) {
        return agentEvent(event, vm, GROUP, status, observedAt);
    }

    /** As above, for a VM in resource group {@code group}. */
    public static ObjectNode agentEvent(Event event, String vm, String group, String status, Instant observedAt) {
        VmIdentity identity = new VmIdentity(vm, "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + group
                + "/providers/Microsoft.Compute/virtualMachines/" + vm,
                UUID.nameUUIDFromBytes(vm.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString(),
                "westeurope", "", SUBSCRIPTION, group, "1");
        TransitionRecord record = TransitionRecord.of(event.imds(status), 1, observedAt, vm, identity, null);
        try {
            String json = JSON.writeValueAsString(record);
            return new EventEnvelopes(EventSchema.EVENT_GRID, "ScheduledEvent", "", vm).toEvent(json).json();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The platform topic's event for {@code vm}. */
    public static ObjectNode platformEvent(Event event, String vm, String status, Instant time) {
        return platformEvent(event, vm, GROUP, status, time);
    }

    /** As above, for a VM in resource group {@code group}. */
    public static ObjectNode platformEvent(Event event, String vm, String group, String status, Instant time) {
        ObjectNode imds = JSON.valueToTree(java.util.Map.of("EventId", event.eventId(), "EventType", event.eventType(),
                "ResourceType", "VirtualMachine", "NotBefore", event.imds(status).notBefore(), "EventSource",
                "Platform", "DurationInSeconds", 5, "Description", "Live Migration"));
        return PlatformEvents.emitted(imds, status, vm, SUBSCRIPTION, group, time);
    }

    /** A delivery body of these events (the Event Grid schema's array). */
    public static String batch(ObjectNode... events) {
        ArrayNode array = JSON.createArrayNode();
        for (ObjectNode e : events) {
            array.add(e);
        }
        return array.toString();
    }
}
