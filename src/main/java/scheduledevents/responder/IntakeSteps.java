package scheduledevents.responder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.UntrustedText;
import scheduledevents.responder.fleet.ApplyResult;
import scheduledevents.responder.intake.Delivery;
import scheduledevents.responder.intake.DeliverySecret;

/**
 * The webhook route's small steps (bean {@code intakeSteps}, responder/routes/10-intake.yaml): the secret check,
 * the answers' JSON, counting and logging. The parser and the store do the work; this only joins them to HTTP.
 */
public class IntakeSteps {
    private static final Logger LOG = LoggerFactory.getLogger(IntakeSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secret;
    private final ResponderMetrics metrics;
    private final Clock clock;

    public IntakeSteps(String secret, ResponderMetrics metrics, Clock clock) {
        this.secret = secret;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Whether the delivery carries the secret (header x-delivery-secret or query parameter code); counts it. */
    public boolean authorized(@Header("x-delivery-secret") String header, @Header("code") String code) {
        boolean ok = DeliverySecret.matches(secret, header, code);
        if (ok) {
            metrics.deliveryReceived();
        }
        return ok;
    }

    /** The route's filter: true when the delivery must be answered 401. */
    public boolean refused(@Header("x-delivery-secret") String header, @Header("code") String code) {
        return !authorized(header, code);
    }

    public Instant now() {
        return clock.instant();
    }

    /*
     * The steps below take the parsed Delivery whole, as the message body: the route asks them rather than reading
     * ${body.validationCode} and the like, because Camel's simple language caches bean information keyed by the body
     * object, hashing a delivery of 1,000-VM reports on every request.
     */

    /** Whether the delivery is Event Grid's subscription validation handshake. */
    public boolean isValidation(Delivery delivery) {
        return delivery.validationCode() != null;
    }

    /** The Event Grid subscription validation answer. */
    public String validationResponse(Delivery delivery) throws JsonProcessingException {
        return JSON.writeValueAsString(Map.of("validationResponse", delivery.validationCode()));
    }

    /** Logs (one safe line each) and counts the events of a delivery that were not usable. */
    public void ignored(Delivery delivery) {
        List<String> lines = delivery.ignored();
        for (String line : lines) {
            LOG.warn("Delivery event ignored: {}", UntrustedText.forLog(line));
        }
        metrics.eventsIgnored(lines.size());
    }

    /** The 200 answer once the store has committed; counts the duplicates it dropped. */
    public String accepted(ApplyResult applied) throws JsonProcessingException {
        metrics.duplicatesDropped(applied.duplicates());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reports", applied.reports());
        body.put("duplicates", applied.duplicates());
        return JSON.writeValueAsString(body);
    }

    /** The store failed: counted, logged without the exception's text (it may name the database), answered 500. */
    public String databaseFailed(Exception e) {
        metrics.databaseError();
        LOG.error("Delivery not stored, answered 500 (Event Grid retries): {}",
                e == null ? "unknown" : UntrustedText.forLog(e.getClass().getSimpleName()));
        return "database unavailable, retry later";
    }
}
