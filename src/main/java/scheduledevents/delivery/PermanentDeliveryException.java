package scheduledevents.delivery;

/**
 * A sink refused a record in a way that retrying cannot fix (wrong key, wrong address, record too large): the
 * record goes to the dead-letter file at once. The message says what to fix and never carries a secret.
 */
public class PermanentDeliveryException extends RuntimeException {
    public PermanentDeliveryException(String message) {
        super(message);
    }
}
