package scheduledevents.sink.eventgrid;

import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One event in Event Grid's schema as it goes on the wire, with {@code data} exactly as given (the SDK's own
 * serialiser for {@link EventGridEvent} drops null members inside data, and a record's nulls mean "IMDS did not
 * say").
 */
final class EventGridJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventGridJson() {
    }

    static BinaryData toJson(EventGridEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", event.getId());
        if (event.getTopic() != null) {
            node.put("topic", event.getTopic());
        }
        node.put("subject", event.getSubject());
        node.put("eventType", event.getEventType());
        node.put("eventTime", event.getEventTime().toString());
        node.set("data", data(event.getData()));
        node.put("dataVersion", event.getDataVersion());
        // fromObject: the SDK writes the tree as JSON, nulls included (fromString or fromBytes would go as a string)
        return BinaryData.fromObject(node);
    }

    private static JsonNode data(BinaryData data) {
        if (data == null) {
            return MAPPER.nullNode();
        }
        try {
            return MAPPER.readTree(data.toBytes());
        } catch (IOException notJson) {
            // data that is not JSON travels as a JSON string
            return MAPPER.getNodeFactory().textNode(data.toString());
        }
    }
}
