package scheduledevents.responder.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * Backoff of a notification that could not be sent: the first retry after {@code firstDelay}, each next one after
 * twice the previous delay, at most {@code maxDelay}; after {@code maxAttempts} sends tried, the item is dead.
 */
public record RetryPolicy(Duration firstDelay, Duration maxDelay, int maxAttempts) {
    public RetryPolicy {
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("retry policy needs 0 < firstDelay <= maxDelay and maxAttempts >= 1");
        }
    }

    /** The delay after the {@code attemptsMade}-th failed send (1 = the first). */
    public Duration delayAfter(int attemptsMade) {
        Duration delay = firstDelay;
        for (int i = 1; i < attemptsMade && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    public Instant nextAttempt(int attemptsMade, Instant now) {
        return now.plus(delayAfter(attemptsMade));
    }

    /** True when {@code attemptsMade} sends have been tried and none may follow. */
    public boolean exhausted(int attemptsMade) {
        return attemptsMade >= maxAttempts;
    }
}
