package scheduledevents.responder.fleet;

import java.time.Instant;

/**
 * One notification owed: a fleet event reached {@code status} (in its {@code occurrence}) and {@code channel}
 * ({@code mail} or {@code webhook}) must say so once. Written in the same transaction as the status change.
 *
 * @param attempts sends tried so far
 */
public record OutboxItem(long id, String channel, String eventKey, String status, int occurrence, int attempts,
                         Instant createdAt) {
}
