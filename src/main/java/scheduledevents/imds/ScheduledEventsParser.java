package scheduledevents.imds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import scheduledevents.logging.UntrustedText;
import scheduledevents.record.EventStatus;
import scheduledevents.record.EventType;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;

/**
 * Reads an IMDS Scheduled Events document without trusting it. A document whose envelope is wrong (not JSON,
 * truncated, Events not an array, DocumentIncarnation not a number) is rejected as a whole; an entry that is
 * wrong on its own is dropped or repaired, and the problem reported, so one bad entry does not hide the others.
 */
public class ScheduledEventsParser {
    // Trailing bytes after the document mean it was cut or spliced: reject rather than guess
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public ScheduledEventsDocument parse(String body) throws MalformedDocumentException {
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw new MalformedDocumentException("document is not a JSON object");
        }
        long incarnation = incarnation(root.get("DocumentIncarnation"));
        JsonNode events = root.get("Events");
        if (events == null || !events.isArray()) {
            // Reading a missing array as "no events" would report every known event as completed
            throw new MalformedDocumentException("Events is " + (events == null ? "missing" : "not an array"));
        }
        List<ScheduledEvent> parsed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean complete = true;
        for (JsonNode entry : events) {
            ScheduledEvent event = event(entry, problems);
            if (event == null) {
                complete = false;
            } else {
                parsed.add(event);
            }
        }
        return new ScheduledEventsDocument(incarnation, parsed, complete, problems);
    }

    private JsonNode readTree(String body) throws MalformedDocumentException {
        if (body == null || body.isBlank()) {
            throw new MalformedDocumentException("empty body");
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null) {
                throw new MalformedDocumentException("empty body");
            }
            return root;
        } catch (JsonProcessingException e) {
            String start = body.stripLeading();
            String hint = start.startsWith("<") ? "HTML or XML, not JSON (a proxy or error page?)" : "not valid JSON";
            throw new MalformedDocumentException("body is " + hint + ": "
                    + UntrustedText.forLog(e.getOriginalMessage()));
        }
    }

    private static long incarnation(JsonNode node) throws MalformedDocumentException {
        if (node != null && node.canConvertToLong() && node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node != null && node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new MalformedDocumentException("DocumentIncarnation is "
                + (node == null ? "missing" : "not a number: " + UntrustedText.forLog(node.toString())));
    }

    private static ScheduledEvent event(JsonNode entry, List<String> problems) {
        if (!entry.isObject()) {
            problems.add("an entry of Events is not an object; skipped");
            return null;
        }
        String id = text(entry, "EventId");
        if (id == null || id.isBlank()) {
            problems.add("an event has no EventId; skipped");
            return null;
        }
        String shownId = UntrustedText.forLog(id);
        String status = text(entry, "EventStatus");
        if (status == null || status.isBlank()) {
            problems.add("event " + shownId + " has no EventStatus; skipped");
            return null;
        }
        if (!EventStatus.of(status).fromImds()) {
            problems.add("event " + shownId + " has unknown EventStatus " + UntrustedText.forLog(status) + "; kept as is");
        }
        String type = text(entry, "EventType");
        if (!EventType.of(type).known()) {
            problems.add("event " + shownId + " has unknown EventType " + UntrustedText.forLog(type) + "; kept as is");
        }
        String notBefore = text(entry, "NotBefore");
        Instant notBeforeUtc = null;
        try {
            notBeforeUtc = NotBeforeParser.parse(notBefore);
        } catch (DateTimeParseException e) {
            problems.add("event " + shownId + " has unreadable NotBefore " + UntrustedText.forLog(notBefore)
                    + "; kept without a start time");
        }
        return new ScheduledEvent(id, type, text(entry, "ResourceType"), resources(entry, shownId, problems), status,
                notBefore == null ? "" : notBefore, text(entry, "Description"), text(entry, "EventSource"),
                duration(entry, shownId, problems), notBeforeUtc);
    }

    private static List<String> resources(JsonNode entry, String shownId, List<String> problems) {
        JsonNode node = entry.get("Resources");
        List<String> names = new ArrayList<>();
        if (node == null || node.isNull()) {
            return names;
        }
        if (node.isTextual()) {
            problems.add("event " + shownId + " has Resources as a string, not an array; read as one name");
            names.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(n -> {
                if (n.isValueNode() && !n.isNull()) {
                    names.add(n.asText());
                }
            });
        } else {
            problems.add("event " + shownId + " has unreadable Resources; read as none");
        }
        return names;
    }

    private static Integer duration(JsonNode entry, String shownId, List<String> problems) {
        JsonNode node = entry.get("DurationInSeconds");
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.asInt();
        }
        problems.add("event " + shownId + " has unreadable DurationInSeconds; read as unknown");
        return null;
    }

    private static String text(JsonNode entry, String field) {
        JsonNode node = entry.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
