package scheduledevents.responder.notify;

import java.time.Clock;
import scheduledevents.notification.Templates;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;
import scheduledevents.sink.webhook.WebhookPoster;
import scheduledevents.sink.webhook.WebhookSettings;

/**
 * The {@code webhook} channel: one POST per outbox item to {@code responder.webhook.url}, the body rendered by
 * {@code fleet-webhook-<format>.json.mustache} (JSON-escaped; Slack's also for mrkdwn) and posted by the agent's
 * {@link WebhookPoster}, which also classifies the answer (2xx sent; 408, 429, 5xx, I/O retried; other 4xx
 * permanent). The URL holds the webhook's token: it lives only in the settings and no reason names more than its
 * scheme, host and port.
 */
public final class FleetWebhookChannel implements FleetChannel {
    private final WebhookSettings settings;
    private final Clock clock;
    private final WebhookPoster poster;
    private final Templates.Template template;

    public FleetWebhookChannel(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.poster = new WebhookPoster(settings, "responder");
        String key = settings.template().getFileName().toString().startsWith("fleet-webhook-")
                ? "responder.templates.dir" : "responder.webhook.template";
        this.template = Templates.load(key, settings.template(), settings.escaping());
    }

    @Override
    public String name() {
        return "webhook";
    }

    /** The body that would be posted for one item. */
    public String render(OutboxItem item, FleetEvent event) {
        return template.render(FleetView.of(item, event, clock, settings.portalUrl()));
    }

    @Override
    public void send(OutboxItem item, FleetEvent event) throws NotifyFailure, InterruptedException {
        WebhookPoster.Outcome outcome = poster.send(render(item, event));
        if (!outcome.delivered()) {
            // the notifier says itself whether it retries (it may have run out of attempts)
            throw new NotifyFailure(outcome.reason().replace("; will retry", ""), !outcome.retryable());
        }
    }
}
