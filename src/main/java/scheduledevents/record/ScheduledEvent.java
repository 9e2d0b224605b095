package scheduledevents.record;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One entry of the IMDS {@code Events} array, as received. Every text field is untrusted: it is carried through
 * unchanged and escaped by whoever renders it (log, mail, HTML, file name).
 *
 * @param notBefore    the raw NotBefore text ("" when the event has started or has no start time)
 * @param notBeforeUtc NotBefore parsed, or null when empty or unparseable
 */
public record ScheduledEvent(
        String eventId,
        String eventType,
        String resourceType,
        List<String> resources,
        String eventStatus,
        String notBefore,
        String description,
        String eventSource,
        Integer durationInSeconds,
        Instant notBeforeUtc) {

    public ScheduledEvent {
        resources = resources == null ? List.of() : List.copyOf(resources);
    }

    /** EventIds vary in case between documents; everything that compares events uses this key. */
    public String key() {
        return eventId.toLowerCase(Locale.ROOT);
    }

    public boolean names(String vmName) {
        return vmName != null && resources.stream().anyMatch(vmName::equalsIgnoreCase);
    }

    /** Statuses as received compare in any case: IMDS's own, and one it may add. */
    public boolean hasStatus(String status) {
        return status.equalsIgnoreCase(eventStatus);
    }

    public boolean hasStatus(EventStatus status) {
        return EventStatus.ofAnyCase(eventStatus) == status;
    }

    /** The same event in a status of the agent's own (Completed, Canceled). */
    public ScheduledEvent withStatus(EventStatus status) {
        return new ScheduledEvent(eventId, eventType, resourceType, resources, status.text(), notBefore, description,
                eventSource, durationInSeconds, notBeforeUtc);
    }
}
