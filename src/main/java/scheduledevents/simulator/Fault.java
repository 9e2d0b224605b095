package scheduledevents.simulator;

import java.time.Duration;

/** One injected misbehaviour of the scheduledevents GET endpoint. */
sealed interface Fault {

    /** Answer this HTTP status with a small JSON error body instead of the document. */
    record Status(int status) implements Fault {
        public Status {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("fault status must be 200..599: " + status);
            }
        }
    }

    /** Wait this long (real time, whatever the scenario speed) and then answer normally. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("fault delay must not be negative: " + delay);
            }
        }
    }

    /** Answer 200 with this body verbatim, e.g. a proxy's HTML page or truncated JSON. */
    record RawBody(String body) implements Fault {
        public RawBody {
            if (body == null) {
                throw new IllegalArgumentException("fault body must not be null");
            }
        }
    }

    /**
     * Answer 200 with the document, but send its body one byte every {@code interval} (real time): headers at once,
     * then a trickle that never lets a per-read timeout fire. Exercises an overall deadline on the whole answer.
     */
    record Trickle(Duration interval) implements Fault {
        public Trickle {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("fault trickle interval must be positive: " + interval);
            }
        }
    }
}
