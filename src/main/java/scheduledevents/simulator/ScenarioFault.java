package scheduledevents.simulator;

import java.time.Duration;

/**
 * A fault that a scenario injects at scenario second {@code at}, for the next {@code count} scheduledevents GETs.
 * Exactly one of {@code status}, {@code body} (served with 200) or {@code delayMs} (real milliseconds, not scaled by
 * the speed: it exercises the agent's HTTP timeouts) must be given.
 */
public record ScenarioFault(Double at, Integer status, String body, Long delayMs, Integer count) {

    public ScenarioFault {
        if (at == null || !Double.isFinite(at) || at < 0) {
            throw new IllegalArgumentException("fault 'at' must be a number of seconds >= 0");
        }
        int kinds = (status != null ? 1 : 0) + (body != null ? 1 : 0) + (delayMs != null ? 1 : 0);
        if (kinds != 1) {
            throw new IllegalArgumentException("a fault needs exactly one of 'status', 'body', 'delayMs'");
        }
        count = count == null ? 1 : count;
        if (count < 1) {
            throw new IllegalArgumentException("fault 'count' must be >= 1");
        }
        // Build once to validate ranges at load time rather than mid-run.
        toFault(status, body, delayMs);
    }

    Fault toFault() {
        return toFault(status, body, delayMs);
    }

    private static Fault toFault(Integer status, String body, Long delayMs) {
        if (status != null) {
            return new Fault.Status(status);
        }
        if (body != null) {
            return new Fault.RawBody(body);
        }
        return new Fault.Delay(Duration.ofMillis(delayMs));
    }
}
