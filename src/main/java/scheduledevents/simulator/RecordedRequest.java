package scheduledevents.simulator;

import java.time.Instant;

/**
 * A request as the simulator saw it. {@code receivedAt} comes from the simulator's clock (so it lines up with
 * NotBefore values, also under a test clock); {@code receivedNanos} is {@link System#nanoTime()} for measuring real
 * request rates. Header fields are null when the header was absent. {@code status} is what the simulator answered
 * (0 if it had nothing to answer: the client hung up, or the simulator closed during a delay).
 */
public record RecordedRequest(
        String method,
        String pathAndQuery,
        String metadataHeader,
        String forwardedFor,
        String userAgent,
        String body,
        int status,
        Instant receivedAt,
        long receivedNanos) {
}
