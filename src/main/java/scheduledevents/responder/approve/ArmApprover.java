package scheduledevents.responder.approve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.List;
import scheduledevents.logging.UntrustedText;

/**
 * Acknowledges (approves) a scheduled event through Azure's Maintenance resource provider: for each target,
 * {@code POST {arm}{target}/providers/Microsoft.Maintenance/scheduledevents/{EventId}/acknowledge?api-version=...}
 * with the managed identity's token, and says in words what Azure answered. The token never leaves this class but
 * in the Authorization header; Azure's answers are untrusted text, cleaned and cut.
 */
public final class ArmApprover {
    /** The action a role must allow for the acknowledge call (Azure's Maintenance resource provider). */
    public static final String ACTION = "Microsoft.Maintenance/scheduledevents/acknowledge/action";
    static final int MAX_DETAIL = 160;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the bearer token comes from (the managed identity; tests give a loopback one). */
    @FunctionalInterface
    public interface Tokens {
        /**
         * @return an access token for ARM
         * @throws TokenException with a message fit for an operator (never a secret)
         */
        String token() throws TokenException;
    }

    /** No token: its message says why, in words, without any secret. */
    public static final class TokenException extends Exception {
        public TokenException(String message) {
            super(message);
        }
    }

    /** What Azure answered for one target: acknowledged or not, in words. */
    public record Result(ArmTarget target, boolean acknowledged, int status, String words) {
    }

    private final ArmSettings settings;
    private final Tokens tokens;
    private final HttpClient http;

    public ArmApprover(ArmSettings settings, Tokens tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The token, or a {@link TokenException} whose message reads "no managed identity token (...)". */
    public String token() throws TokenException {
        return tokens.token();
    }

    /** Acknowledges {@code eventId} on every target, one after the other, with {@code token}. */
    public List<Result> acknowledge(String eventId, List<ArmTarget> targets, String token) {
        List<Result> results = new ArrayList<>(targets.size());
        for (ArmTarget target : targets) {
            results.add(acknowledge(eventId, target, token));
        }
        return results;
    }

    /** The acknowledge URL of {@code eventId} on {@code target}. */
    URI uri(String eventId, ArmTarget target) {
        String base = settings.url().toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + target.path() + "/providers/Microsoft.Maintenance/scheduledevents/"
                + ArmTarget.segment(eventId.trim()) + "/acknowledge?api-version="
                + ArmTarget.segment(settings.apiVersion()));
    }

    private Result acknowledge(String eventId, ArmTarget target, String token) {
        HttpRequest request = HttpRequest.newBuilder(uri(eventId, target)).timeout(settings.timeout())
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = answer.statusCode();
            boolean ok = status >= 200 && status < 300;
            return new Result(target, ok, status, ok ? "acknowledged for " + target.label()
                    : words(status, target, detail(answer.body())));
        } catch (HttpTimeoutException e) {
            return new Result(target, false, 0, "Azure did not answer for " + target.label() + " within "
                    + settings.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return new Result(target, false, 0, "could not reach Azure Resource Manager for " + target.label()
                    + " (" + clean(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage())) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(target, false, 0, "interrupted while asking Azure for " + target.label());
        }
    }

    /** What an error answer means for the operator. */
    static String words(int status, ArmTarget target, String detail) {
        String vm = target.label();
        String more = detail.isEmpty() ? "" : " (" + detail + ")";
        return switch (status) {
            case 401 -> "Azure did not accept the managed identity's token for " + vm + more;
            case 403 -> "the responder's managed identity may not approve " + vm + ": give it a role with "
                    + ACTION + more;
            case 404 -> "Azure no longer has this event for " + vm + " (it may have started or ended)";
            case 409 -> "Azure refused it for " + vm + " (conflict" + (detail.isEmpty() ? "" : ": " + detail) + ")";
            case 429 -> "Azure is throttling the responder's requests for " + vm + ": try again in a minute" + more;
            default -> "Azure answered " + status + " for " + vm + more;
        };
    }

    /** ARM's error {@code code: message}, cleaned and cut; else the start of the body; never more than a line. */
    static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body;
        try {
            JsonNode error = JSON.readTree(body).path("error");
            if (error.isObject()) {
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                text = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: its start, cleaned, is all that is shown
        }
        return clean(text);
    }

    /** Untrusted text for an operator: one line, control characters escaped, cut short. */
    static String clean(String text) {
        String line = UntrustedText.forLog(text == null ? "" : text.strip());
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
    }
}
