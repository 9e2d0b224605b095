package scheduledevents.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** JSON in and out of the scheduledevents endpoint. Jackson does the escaping, so any event text is safe to serve. */
final class DocumentJson {

    // ObjectMapper is thread-safe once configured.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private DocumentJson() {
    }

    static String render(long incarnation, List<SimEvent> events) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("DocumentIncarnation", incarnation);
        ArrayNode array = doc.putArray("Events");
        for (SimEvent e : events) {
            ObjectNode node = array.addObject();
            putIfPresent(node, "EventId", e.eventId());
            putIfPresent(node, "EventStatus", e.eventStatus());
            putIfPresent(node, "EventType", e.eventType());
            putIfPresent(node, "ResourceType", e.resourceType());
            if (e.resources() != null) {
                ArrayNode resources = node.putArray("Resources");
                e.resources().forEach(resources::add);
            }
            putIfPresent(node, "NotBefore", e.notBefore());
            putIfPresent(node, "Description", e.description());
            putIfPresent(node, "EventSource", e.eventSource());
            if (e.durationInSeconds() != null) {
                node.put("DurationInSeconds", e.durationInSeconds());
            }
        }
        return write(doc);
    }

    /** A one-field error body shaped like IMDS's: {@code {"error":"..."}}. */
    static String error(String message) {
        return write(MAPPER.createObjectNode().put("error", message));
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree built in memory", e);
        }
    }

    /**
     * The EventIds of a {@code {"StartRequests":[{"EventId":"..."}]}} body, in order.
     *
     * @throws IllegalArgumentException if the body is not exactly that shape (the caller answers 400)
     */
    static List<String> parseStartRequests(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        JsonNode requests = root.get("StartRequests");
        if (requests == null || !requests.isArray()) {
            throw new IllegalArgumentException("StartRequests must be an array");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode request : requests) {
            JsonNode id = request.get("EventId");
            if (id == null || !id.isTextual()) {
                throw new IllegalArgumentException("every StartRequests entry needs a string EventId");
            }
            ids.add(id.textValue());
        }
        return ids;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
