package scheduledevents.responder.intake;

/**
 * A delivery that cannot be read at all (not JSON, not an event or an array of events): the webhook answers 400 with
 * this one-line message, and Event Grid does not retry a 400. The message never quotes the body.
 */
public class BadDeliveryException extends Exception {
    public BadDeliveryException(String message) {
        super(message);
    }
}
