package scheduledevents.simulator;

import java.time.Duration;

/**
 * A fault that a scenario injects at scenario second {@code at}, for the next {@code count} scheduledevents GETs.
 * Exactly one of {@code status}, {@code body} (served with 200), {@code delayMs} or {@code trickleMs} (one byte of
 * the document every so many ms) must be given; both are real milliseconds, not scaled by the speed: they exercise
 * the agent's HTTP timeouts.
 */
public record ScenarioFault(Double at, Integer status, String body, Long delayMs, Long trickleMs, Integer count) {

    public ScenarioFault {
        if (at == null || !Double.isFinite(at) || at < 0) {
            throw new IllegalArgumentException("fault 'at' must be a number of seconds >= 0");
        }
        int kinds = (status != null ? 1 : 0) + (body != null ? 1 : 0) + (delayMs != null ? 1 : 0)
                + (trickleMs != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException(
                    "a fault needs exactly one of 'status', 'body', 'delayMs', 'trickleMs'");
        }
        count = count == null ? 1 : count;
        if (count < 1) {
            throw new IllegalArgumentException("fault 'count' must be >= 1");
        }
        // Build once to validate ranges at load time rather than mid-run.
        toFault(status, body, delayMs, trickleMs);
    }

    Fault toFault() {
        return toFault(status, body, delayMs, trickleMs);
    }

    private static Fault toFault(Integer status, String body, Long delayMs, Long trickleMs) {
        if (status != null) {
            return new Fault.Status(status);
        }
        if (body != null) {
            return new Fault.RawBody(body);
        }
        if (trickleMs != null) {
            return new Fault.Trickle(Duration.ofMillis(trickleMs));
        }
        return new Fault.Delay(Duration.ofMillis(delayMs));
    }
}
