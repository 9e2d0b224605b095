package scheduledevents.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One event of a scenario: the IMDS fields it is served with (PascalCase, as in the document) plus its lifecycle in
 * scenario seconds (camelCase). It appears at {@code appearAt} as Scheduled with NotBefore = appearAt + noticeSeconds,
 * is Started from NotBefore (or from an approval, whichever comes first) for {@code runSeconds}, then disappears.
 * {@code noticeSeconds} 0 means it appears already Started (host failure). With {@code cancelAt}, inside the notice
 * window, it disappears at that time unless already Started (canceled maintenance). Description, EventSource and
 * DurationInSeconds may be left out, as older api-versions do. {@code "{vm}"} in Resources stands for the simulator's
 * VM name.
 */
public record ScenarioEvent(
        @JsonProperty("EventId") String eventId,
        @JsonProperty("EventType") String eventType,
        @JsonProperty("ResourceType") String resourceType,
        @JsonProperty("Resources") List<String> resources,
        @JsonProperty("EventSource") String eventSource,
        @JsonProperty("Description") String description,
        @JsonProperty("DurationInSeconds") Integer durationInSeconds,
        Double appearAt,
        Double noticeSeconds,
        Double runSeconds,
        Double cancelAt,
        NotBeforeFormat notBeforeFormat) {

    public static final String VM_PLACEHOLDER = "{vm}";

    public ScenarioEvent {
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("every event needs an EventId");
        }
        if (eventType == null) {
            throw new IllegalArgumentException("event " + eventId + " needs an EventType");
        }
        requireSeconds(eventId, "appearAt", appearAt);
        requireSeconds(eventId, "noticeSeconds", noticeSeconds);
        requireSeconds(eventId, "runSeconds", runSeconds);
        if (cancelAt != null && !(cancelAt > appearAt && cancelAt < appearAt + noticeSeconds)) {
            throw new IllegalArgumentException("event " + eventId
                    + ": cancelAt must fall inside the notice window (after appearAt, before appearAt + noticeSeconds)");
        }
        resourceType = resourceType == null ? "VirtualMachine" : resourceType;
        resources = resources == null ? List.of(VM_PLACEHOLDER) : List.copyOf(resources);
        notBeforeFormat = notBeforeFormat == null ? NotBeforeFormat.RFC1123 : notBeforeFormat;
    }

    /** Scenario second after which this event can no longer be in the document. */
    double endSeconds() {
        return cancelAt != null ? cancelAt : appearAt + noticeSeconds + runSeconds;
    }

    List<String> resourcesFor(String vmName) {
        return resources.stream().map(r -> r.replace(VM_PLACEHOLDER, vmName)).toList();
    }

    private static void requireSeconds(String eventId, String field, Double value) {
        if (value == null || !Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException("event " + eventId + ": '" + field + "' must be a number of seconds >= 0");
        }
    }
}
