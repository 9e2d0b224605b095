package scheduledevents.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import scheduledevents.record.RecordKey;

/**
 * Which respond stage a record belongs to. Hooks run once per event before it (when first seen Scheduled, or
 * Started when it appeared already started) and once after it (Completed): so the key of a Scheduled and of a
 * Started record is the same "before" key, and the route's idempotent repository runs the stage once. An event that
 * comes back after it was reported over is a new occurrence, with keys of its own: its hooks run again (the VM may
 * have been put back in service by the .completed hooks, and the maintenance is coming after all).
 */
public class RespondStage {
    static final String BEFORE = "before";
    static final String AFTER = "after";

    private final ObjectMapper mapper = new ObjectMapper();

    /** Only events whose Resources name this VM are hooked or approved. */
    public boolean concernsThisVm(String recordJson) throws IOException {
        return mapper.readTree(recordJson).path("AffectsThisVm").asBoolean(false);
    }

    public String keyOf(String recordJson) throws IOException {
        JsonNode record = mapper.readTree(recordJson);
        return RecordKey.key(record.path("EventId").asText(), stageOf(record.path("EventStatus").asText()),
                RecordKey.occurrenceOf(record));
    }

    static String stageOf(String status) {
        return switch (status) {
            case "Scheduled", "Started" -> BEFORE;
            case "Completed" -> AFTER;
            default -> status;
        };
    }
}
