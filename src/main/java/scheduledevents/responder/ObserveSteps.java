package scheduledevents.responder;

import org.apache.camel.Exchange;

/**
 * {@code GET /observe/health} (UP when the database answers, else DOWN and 503) and {@code GET /observe/metrics}
 * (Prometheus text) on the responder's one port (bean {@code observeSteps}, responder/routes/40-observe.yaml).
 */
public class ObserveSteps {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private final Fleet fleet;
    private final ResponderMetrics metrics;

    public ObserveSteps(Fleet fleet, ResponderMetrics metrics) {
        this.fleet = fleet;
        this.metrics = metrics;
    }

    public String health(Exchange exchange) {
        boolean up;
        try {
            up = fleet.healthy();
        } catch (RuntimeException e) {
            up = false;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\",\"database\":\"DOWN\"}";
    }

    public String metrics(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, PROMETHEUS_TEXT);
        return metrics.scrape();
    }
}
