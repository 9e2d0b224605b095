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

    public static final String SCHEDULED = "Scheduled";
    public static final String STARTED = "Started";
    /** Not an IMDS status: the agent's name for an event that disappeared after it started or after NotBefore. */
    public static final String COMPLETED = "Completed";
    /** Not an IMDS status: the agent's name for an event that disappeared while Scheduled, before NotBefore. */
    public static final String CANCELED = "Canceled";

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

    public boolean hasStatus(String status) {
        return status.equalsIgnoreCase(eventStatus);
    }

    public ScheduledEvent withStatus(String status) {
        return new ScheduledEvent(eventId, eventType, resourceType, resources, status, notBefore, description,
                eventSource, durationInSeconds, notBeforeUtc);
    }
}
