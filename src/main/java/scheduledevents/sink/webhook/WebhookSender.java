package scheduledevents.sink.webhook;

import java.io.IOException;
import java.time.Clock;
import scheduledevents.delivery.PermanentDeliveryException;
import scheduledevents.notification.Templates;
import scheduledevents.notification.TransitionView;

/**
 * The {@code webhook} sink's delivery: POSTs the record, rendered by the format's template (Teams card, Slack text or
 * raw JSON), to {@code agent.webhook.url} with the JDK HTTP client.
 *
 * <p>Why not camel-http: the webhook URL is a secret (Teams and Slack put the token in its path), and Camel puts an
 * endpoint's URI in its endpoint registry, in some log lines and in {@code HttpOperationFailedException} messages;
 * its URI sanitiser masks password-like query parameters, not path segments. Here the URL lives only in this object.
 *
 * <p>{@link WebhookPoster} posts and reads the answer: 2xx delivered; 408, 429, 5xx and I/O errors are retried by
 * the shared delivery policy (unlike a send-once notifier, nothing is lost while the endpoint is down); any other status is a
 * {@link PermanentDeliveryException} that says what to fix. No message holds the URL's path, query or a header value.
 */
public final class WebhookSender {
    private final WebhookSettings settings;
    private final Clock clock;
    private final WebhookPoster poster;
    private volatile Templates.Template template;

    public WebhookSender(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.poster = new WebhookPoster(settings, "agent");
        template();
    }

    /** The body this sink would POST for the record. */
    public String render(String recordJson) {
        try {
            return template().render(TransitionView.of(recordJson, clock, settings.portalUrl()));
        } catch (IOException e) {
            throw new PermanentDeliveryException("record is not JSON; it cannot be sent to the webhook");
        }
    }

    /** The webhook route's step. */
    public void post(String recordJson) throws InterruptedException {
        poster.post(render(recordJson));
    }

    private Templates.Template template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    String key = settings.template().toString().contains("webhook-" + settings.format() + ".json")
                            ? "agent.templates.dir" : "agent.webhook.template";
                    template = Templates.load(key, settings.template(), settings.escaping());
                }
            }
        }
        return template;
    }
}
