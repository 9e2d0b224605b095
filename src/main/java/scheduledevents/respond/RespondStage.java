package scheduledevents.respond;

import java.io.IOException;
import java.util.Objects;
import scheduledevents.record.RecordKey;
import scheduledevents.record.TransitionRecord;

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

    /** Only events whose Resources name this VM are hooked or approved. */
    public boolean concernsThisVm(String recordJson) throws IOException {
        return Boolean.TRUE.equals(TransitionRecord.read(recordJson).affectsThisVm());
    }

    public String keyOf(String recordJson) throws IOException {
        TransitionRecord record = TransitionRecord.read(recordJson);
        return RecordKey.key(Objects.toString(record.eventId(), ""), stageOf(record), record.occurrence());
    }

    /** {@link #BEFORE}, {@link #AFTER}, or the status itself: Canceled, or one IMDS may add, runs no hooks. */
    static String stageOf(TransitionRecord record) {
        return switch (record.status()) {
            case SCHEDULED, STARTED -> BEFORE;
            case COMPLETED -> AFTER;
            default -> Objects.toString(record.eventStatus(), "");
        };
    }
}
