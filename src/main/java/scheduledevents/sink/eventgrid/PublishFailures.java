package scheduledevents.sink.eventgrid;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import scheduledevents.delivery.PermanentDeliveryException;
import scheduledevents.logging.UntrustedText;

/**
 * Turns a failed publish into what the sink's delivery policy understands: a {@link PermanentDeliveryException}
 * that says what to fix (400, 401, 403, 404, 413 and other answers that retrying cannot change), or an
 * {@link EventGridUnavailableException} that is retried (408, 429, 5xx but 501/505, I/O errors, no token yet).
 * Used by the producer's own HTTPS publishing and, for what the Azure SDK throws, by {@link SdkPublisher#classify}.
 *
 * <p>Exception messages (the SDK's above all) may carry response bodies, request URLs or headers, so none is passed
 * on as it is and no cause is kept: the new message is made here, from the status, the endpoint's host and, for I/O
 * errors, the root cause's class and message with every secret the producer knows replaced by {@code ***}.
 */
final class PublishFailures {
    private PublishFailures() {
    }

    static String host(URI endpoint) {
        return endpoint == null || endpoint.getHost() == null ? "the topic" : endpoint.getHost();
    }

    /** An I/O failure (no answer): retried; the message names its class and redacted message, never a secret. */
    static EventGridUnavailableException unreachable(Throwable failure, URI endpoint, List<String> secrets) {
        return new EventGridUnavailableException("Event Grid at " + host(endpoint) + " not reachable ("
                + detail(failure, secrets) + ")");
    }

    /** The root cause's class and message (with the I/O failure around it when the root says nothing), redacted. */
    static String detail(Throwable failure, List<String> secrets) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        IOException io = find(failure, IOException.class);
        if (root.getMessage() == null && io != null && io.getClass() != root.getClass()) {
            // the JDK's HttpClient says little at the root (ClosedChannelException for a refused connection,
            // UnresolvedAddressException for an unknown host): name the I/O failure around it too
            what = io.getClass().getSimpleName() + " (" + what + ")";
        }
        return redact(what, secrets);
    }

    static RuntimeException forStatus(int status, String host, CredentialType auth, int events) {
        String what = events == 1 ? "the event" : events + " events";
        return switch (status) {
            case 400 -> new PermanentDeliveryException("Event Grid at " + host + " rejected " + what
                    + " as malformed (400 Bad Request): check agent.eventgrid.schema against the topic's input schema");
            case 401 -> new PermanentDeliveryException("Event Grid at " + host + " refused the credentials "
                    + "(401 Unauthorized): " + credentialHint(auth));
            case 403 -> new PermanentDeliveryException("Event Grid at " + host + " refused access (403 Forbidden): "
                    + "give the identity the 'EventGrid Data Sender' role on the topic, or check the topic's "
                    + "network rules (public access, IP filter) for this VM");
            case 404 -> new PermanentDeliveryException("Event Grid at " + host + " has no such topic (404 Not Found):"
                    + " check agent.eventgrid.endpoint (https://<topic>.<region>-1.eventgrid.azure.net/api/events)");
            case 413 -> new PermanentDeliveryException("Event Grid at " + host + " found " + what + " too large "
                    + "(413 Payload Too Large): at most 1 MB per event and per request");
            case 408, 429 -> new EventGridUnavailableException("Event Grid at " + host + " answered " + status
                    + (status == 429 ? " Too Many Requests" : " Request Timeout"));
            default -> status >= 500 && status != 501 && status != 505
                    ? new EventGridUnavailableException("Event Grid at " + host + " answered " + status)
                    : new PermanentDeliveryException("Event Grid at " + host + " answered " + status
                    + ", which retrying cannot change: check agent.eventgrid.endpoint");
        };
    }

    private static String credentialHint(CredentialType auth) {
        return switch (auth) {
            case ACCESS_KEY -> "wrong or regenerated key: set agent.eventgrid.key (AGENT_EVENTGRID_KEY or "
                    + "agent.eventgrid.key-file) to one of the topic's access keys";
            case SHARED_ACCESS_SIGNATURE -> "the SAS token made from agent.eventgrid.key was refused: check the key "
                    + "(AGENT_EVENTGRID_KEY or agent.eventgrid.key-file) and this VM's clock";
            case MANAGED_IDENTITY, AZURE_IDENTITY, TOKEN_CREDENTIAL -> "the Microsoft Entra token was refused: check "
                    + "that the topic allows Entra ID authentication and that the identity has the 'EventGrid Data "
                    + "Sender' role on it";
        };
    }

    static String redact(String text, List<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "***");
            }
        }
        return UntrustedText.forLog(out);
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (type.isInstance(suppressed)) {
                    return type.cast(suppressed);
                }
            }
        }
        return null;
    }

    static List<String> nonNull(String... values) {
        return java.util.Arrays.stream(values).filter(Objects::nonNull).toList();
    }
}
