package scheduledevents.responder.intake;

/**
 * A delivery that cannot be read (not JSON, not an event or an array of events): answered 400 with this one line,
 * which holds no event text beyond a safe short id. (Minimal version for the HTTP front; the parser's is the one.)
 */
public class BadDeliveryException extends RuntimeException {
    public BadDeliveryException(String message) {
        super(message);
    }
}
