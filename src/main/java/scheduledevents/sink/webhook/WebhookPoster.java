package scheduledevents.sink.webhook;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import scheduledevents.delivery.PermanentDeliveryException;

/**
 * POSTs a rendered body to the webhook's URL with the JDK HTTP client and classifies the answer: 2xx delivered;
 * 408, 429, 5xx and I/O errors are a {@link RetryableWebhookException}; any other status is a
 * {@link PermanentDeliveryException} that says what to fix. Shared by the agent's webhook sink ({@link WebhookSender})
 * and the responder's fleet notifications. No message holds the URL's path, query or a header value.
 */
public final class WebhookPoster {
    private final WebhookSettings settings;
    private final String prefix;
    private final HttpClient client;

    /** @param prefix the settings' prefix that the advice in a refusal names ({@code agent}, {@code responder}) */
    public WebhookPoster(WebhookSettings settings, String prefix) {
        this.settings = settings;
        this.prefix = prefix;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** A failure that retrying may fix. */
    public static class RetryableWebhookException extends RuntimeException {
        public RetryableWebhookException(String message) {
            super(message);
        }
    }

    /**
     * What one POST came to.
     *
     * @param retryable for a failed POST: true when retrying may help (408, 429, 5xx, I/O error)
     * @param reason    for a failed POST: one safe line (the endpoint as scheme://host:port/..., the status, what to
     *                  fix), else null
     */
    public record Outcome(boolean delivered, boolean retryable, String reason) {
    }

    /** The agent's webhook route's step: {@link #send}, a failure thrown as the shared delivery policy expects. */
    public void post(String body) throws InterruptedException {
        Outcome outcome = send(body);
        if (outcome.delivered()) {
            return;
        }
        if (outcome.retryable()) {
            throw new RetryableWebhookException(outcome.reason());
        }
        throw new PermanentDeliveryException(outcome.reason());
    }

    /** POSTs {@code body} once and classifies the answer; throws nothing but an interrupt. */
    public Outcome send(String body) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "scheduled-events-agent")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (Map.Entry<String, String> header : settings.headers().entrySet()) {
            request.setHeader(header.getKey(), header.getValue());
        }
        String where = settings.endpointForLog();
        HttpResponse<Void> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the JDK's messages name host and port at most; the class name is enough to tell what happened
            return new Outcome(false, true, "POST to " + where + " failed: " + e.getClass().getSimpleName());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Outcome(true, false, null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome(false, true, "POST to " + where + " answered " + status + "; will retry");
        }
        return new Outcome(false, false, "POST to " + where + " answered " + status + ": " + fix(status, prefix));
    }

    static String fix(int status, String prefix) {
        String url = prefix.toUpperCase(Locale.ROOT) + "_WEBHOOK_URL";
        String p = prefix + ".webhook.";
        return switch (status) {
            case 400, 422 -> "the endpoint refused the body: check " + p + "format and the template";
            case 401, 403 -> "the endpoint refused the credentials: check the token in " + url + " or "
                    + p + "headers";
            case 404, 410 -> "the webhook does not exist (any more): check " + url;
            case 413 -> "the body is too large for the endpoint: shorten the template";
            default -> status >= 300 && status < 400
                    ? "the URL redirects: set " + url + " to the final URL"
                    : "check " + url + ", " + p + "format and " + p + "headers";
        };
    }
}
