package scheduledevents.responder.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * What Azure's platform topic ({@code Microsoft.ResourceNotifications.MaintenanceResources}) publishes for one VM's
 * scheduled event, in the Event Grid schema, as the fixtures in {@code fixtures/eventgrid/platform/} show it: the
 * IMDS fields under {@code data.resourceInfo.properties}, the EventId lower case in the resource id.
 */
public final class PlatformEvents {
    public static final String EVENT_TYPE =
            "Microsoft.ResourceNotifications.MaintenanceResources.ScheduledEventEmitted";

    private PlatformEvents() {
    }

    /**
     * @param imdsEvent one event of an IMDS document (EventId, EventType, Resources...)
     * @param status    the status to publish (the platform also says Completed and Canceled)
     */
    public static ObjectNode emitted(JsonNode imdsEvent, String status, String vm, String subscription,
                                     String resourceGroup, Instant time) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        String eventId = imdsEvent.path("EventId").asText().toLowerCase(Locale.ROOT);
        String id = "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Compute/virtualMachines/" + vm
                + "/providers/microsoft.maintenance/scheduledevents/" + eventId;
        ObjectNode properties = imdsEvent.isObject() ? ((ObjectNode) imdsEvent).deepCopy() : json.objectNode();
        properties.put("EventStatus", status);
        properties.set("Resources", json.arrayNode().add(vm));
        ObjectNode resourceInfo = json.objectNode().put("id", id).put("name", eventId)
                .put("type", "microsoft.maintenance/scheduledevents").put("location", "westeurope");
        resourceInfo.set("properties", properties);
        ObjectNode data = json.objectNode();
        data.set("resourceInfo", resourceInfo);
        data.put("apiVersion", "2024-07-01");
        // one id per VM, event and status: a re-publication carries the same id, as Azure's does
        String eventGridId = UUID.nameUUIDFromBytes((id + "\n" + status).getBytes(StandardCharsets.UTF_8)).toString();
        ObjectNode envelope = json.objectNode().put("id", eventGridId)
                .put("topic", "/subscriptions/" + subscription).put("subject", id).put("eventType", EVENT_TYPE)
                .put("dataVersion", "3.0").put("metadataVersion", "1").put("eventTime", time.toString());
        envelope.set("data", data);
        return envelope;
    }
}
