package scheduledevents.sink.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
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
 * <p>The answer decides what happens: 2xx delivered; 408, 429, 5xx and I/O errors are retried by the shared delivery
 * policy (unlike a send-once notifier, nothing is lost while the endpoint is down); any other status is a
 * {@link PermanentDeliveryException} that says what to fix. No message holds the URL's path, query or a header value.
 */
public final class WebhookSender {
    private final WebhookSettings settings;
    private final Clock clock;
    private final HttpClient client;
    private volatile Templates.Template template;

    public WebhookSender(WebhookSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        template();
    }

    /** A failure that retrying may fix. */
    public static class RetryableWebhookException extends RuntimeException {
        public RetryableWebhookException(String message) {
            super(message);
        }
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
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "scheduled-events-agent")
                .POST(HttpRequest.BodyPublishers.ofString(render(recordJson), StandardCharsets.UTF_8));
        for (Map.Entry<String, String> header : settings.headers().entrySet()) {
            request.setHeader(header.getKey(), header.getValue());
        }
        String where = settings.endpointForLog();
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the JDK's messages name host and port at most; the class name is enough to tell what happened
            throw new RetryableWebhookException("POST to " + where + " failed: " + e.getClass().getSimpleName());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableWebhookException("POST to " + where + " answered " + status + "; will retry");
        }
        throw new PermanentDeliveryException("POST to " + where + " answered " + status + ": " + fix(status));
    }

    static String fix(int status) {
        return switch (status) {
            case 400, 422 -> "the endpoint refused the body: check agent.webhook.format and the template";
            case 401, 403 -> "the endpoint refused the credentials: check the token in AGENT_WEBHOOK_URL or "
                    + "agent.webhook.headers";
            case 404, 410 -> "the webhook does not exist (any more): check AGENT_WEBHOOK_URL";
            case 413 -> "the body is too large for the endpoint: shorten the template";
            default -> status >= 300 && status < 400
                    ? "the URL redirects: set AGENT_WEBHOOK_URL to the final URL"
                    : "check AGENT_WEBHOOK_URL, agent.webhook.format and agent.webhook.headers";
        };
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
