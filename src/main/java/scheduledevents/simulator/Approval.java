package scheduledevents.simulator;

import java.time.Instant;

/**
 * One EventId from a POSTed StartRequests body, as sent (case preserved), at simulator-clock time {@code at}.
 * {@code released} tells whether it matched an event that was Scheduled at that moment and so moved it to Started.
 */
public record Approval(String eventId, Instant at, boolean released) {
}
