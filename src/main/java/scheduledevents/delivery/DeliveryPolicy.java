package scheduledevents.delivery;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.UntrustedText;
import scheduledevents.observability.AgentMetrics;

/**
 * Decides, for the sink routes' shared error handler ({@code routes/40-sink-delivery.yaml}), whether a failed
 * delivery is retried: yes, with Camel's capped exponential backoff, until the record is {@code agent.sink.max-age}
 * old or the failure is permanent; then it goes to the dead-letter file.
 */
public class DeliveryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPolicy.class);
    private static final String ROUTE_PREFIX = "sink-";

    private final SinkQueues queues;
    private final Duration maxAge;
    private final AgentMetrics metrics;

    public DeliveryPolicy(SinkQueues queues, Duration maxAge, AgentMetrics metrics) {
        this.queues = queues;
        this.maxAge = maxAge;
        this.metrics = metrics;
    }

    /** The {@code retryWhile} predicate: called once per failed attempt. */
    public boolean shouldRetry(Exchange exchange) {
        String sink = sinkOf(exchange);
        Throwable failure = failureOf(exchange);
        metrics.failed(sink);
        if (failure instanceof PermanentDeliveryException) {
            return false;
        }
        if (exchange.getContext().isStopping()) {
            // Camel does not redeliver while stopping: the exchange fails and the file stays in the queue
            return true;
        }
        if (queues.ageMillis(exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class)) >= maxAge.toMillis()) {
            return false;
        }
        // Camel counts the failed attempt before asking; the header is 1 after the first failure
        int attempt = Math.max(1, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class));
        LOG.warn("Sink {}: delivery attempt {} failed ({}); will retry", sink, attempt, reason(failure));
        metrics.retried(sink);
        return true;
    }

    /** Last step of every sink route: the sink accepted the record. */
    public void delivered(Exchange exchange) {
        metrics.delivered(sinkOf(exchange));
    }

    /** True when the failure is neither permanent nor old enough to give up: the record must stay queued. */
    boolean mustStayQueued(Exchange exchange) {
        Throwable failure = failureOf(exchange);
        return !(failure instanceof PermanentDeliveryException)
                && queues.ageMillis(exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class)) < maxAge.toMillis();
    }

    static String sinkOf(Exchange exchange) {
        String route = exchange.getFromRouteId();
        return route != null && route.startsWith(ROUTE_PREFIX) ? route.substring(ROUTE_PREFIX.length()) : "unknown";
    }

    static Throwable failureOf(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return caught != null ? caught : exchange.getException();
    }

    static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + UntrustedText.forLog(message));
    }
}
