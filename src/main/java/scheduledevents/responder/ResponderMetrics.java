package scheduledevents.responder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.responder.approve.Approvals;
import scheduledevents.responder.notify.FleetNotifier;

/**
 * The responder's Prometheus metrics ({@code GET /observe/metrics}), registered at 0 so that every series is scraped
 * from the start. Labels come from a fixed set (the channels); nothing from a delivery and no secret ever becomes a
 * label or a value.
 */
public class ResponderMetrics implements FleetNotifier.Listener, Approvals.Listener {
    public static final List<String> CHANNELS = List.of("mail", "webhook");
    public static final List<String> APPROVAL_OUTCOMES = List.of("approved", "failed", "refused");

    private final PrometheusMeterRegistry registry;
    private final Counter received;
    private final Counter duplicates;
    private final Counter ignored;
    private final Counter databaseErrors;

    public ResponderMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the JVM's own figures beside the responder's, as the agent has them
        AgentMetrics.bindJvmMetrics(registry);
        received = counter("responder.deliveries.received", "authorised deliveries (POST /events/eventgrid)");
        duplicates = counter("responder.duplicates.dropped", "reports that were already stored");
        ignored = counter("responder.events.ignored", "events of deliveries that were not usable");
        databaseErrors = counter("responder.database.errors", "deliveries refused because the database failed");
        for (String channel : CHANNELS) {
            sentCounter(channel);
            failedCounter(channel);
        }
        for (String outcome : APPROVAL_OUTCOMES) {
            approvalCounter(outcome);
        }
    }

    private Counter approvalCounter(String outcome) {
        return Counter.builder("responder.approvals").tag("outcome", outcome)
                .description("attempts to approve a fleet event from the centre, per outcome").register(registry);
    }

    /** For approvals: one attempt recorded with {@code outcome} (approved, failed, refused). */
    @Override
    public void approval(String outcome) {
        approvalCounter(APPROVAL_OUTCOMES.contains(outcome) ? outcome : "other").increment();
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }

    private Counter sentCounter(String channel) {
        return Counter.builder("responder.notifications.sent").tag("channel", channel)
                .description("notifications sent, per channel").register(registry);
    }

    private Counter failedCounter(String channel) {
        return Counter.builder("responder.notifications.failed").tag("channel", channel)
                .description("notification attempts that failed, per channel").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Prometheus text. */
    public String scrape() {
        return registry.scrape();
    }

    public void deliveryReceived() {
        received.increment();
    }

    public void duplicatesDropped(int n) {
        duplicates.increment(n);
    }

    public void eventsIgnored(int n) {
        ignored.increment(n);
    }

    public void databaseError() {
        databaseErrors.increment();
    }

    @Override
    public void sent(String channel) {
        notificationSent(channel);
    }

    @Override
    public void failed(String channel) {
        notificationFailed(channel);
    }

    /** For the notifier: one notification sent on {@code channel} (mail or webhook). */
    public void notificationSent(String channel) {
        sentCounter(bounded(channel)).increment();
    }

    /** For the notifier: one attempt failed on {@code channel}. */
    public void notificationFailed(String channel) {
        failedCounter(bounded(channel)).increment();
    }

    public double count(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private static String bounded(String channel) {
        return CHANNELS.contains(channel) ? channel : "other";
    }
}
