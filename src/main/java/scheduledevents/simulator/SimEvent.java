package scheduledevents.simulator;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the {@code Events} array, with IMDS field names in mind. Every field is free text (or null): the
 * simulator must be able to serve whatever a test wants, including unknown types and statuses. A null field is
 * omitted from the document, which is how older api-versions look (no Description, EventSource, DurationInSeconds).
 */
public record SimEvent(
        String eventId,
        String eventStatus,
        String eventType,
        String resourceType,
        List<String> resources,
        String notBefore,
        String description,
        String eventSource,
        Integer durationInSeconds) {

    public static final String SCHEDULED = "Scheduled";
    public static final String STARTED = "Started";

    public SimEvent {
        resources = resources == null ? null : List.copyOf(resources);
    }

    /** A typical platform event for the given resources, Scheduled with an RFC 1123 NotBefore. */
    public static SimEvent scheduled(String eventId, String eventType, Instant notBefore, String... resources) {
        return new SimEvent(eventId, SCHEDULED, eventType, "VirtualMachine", List.of(resources),
                NotBeforeFormat.RFC1123.format(notBefore), "", "Platform", -1);
    }

    /** The same event once it is under way: IMDS blanks NotBefore when an event starts. */
    public SimEvent started() {
        return new SimEvent(eventId, STARTED, eventType, resourceType, resources, "", description, eventSource,
                durationInSeconds);
    }

    boolean isScheduled() {
        return SCHEDULED.equalsIgnoreCase(eventStatus);
    }

    boolean hasId(String id) {
        return eventId != null && eventId.equalsIgnoreCase(id);
    }
}
