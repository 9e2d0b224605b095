package scheduledevents.responder.fleet;

/**
 * The fleet database failed (unreachable, refused, a constraint the code did not expect). One line that says what
 * failed; never the JDBC URL's credentials, the password or event text beyond a short, single-line excerpt.
 * Unchecked: the intake route answers 500 and Event Grid retries the delivery.
 */
public class FleetStoreException extends RuntimeException {
    public FleetStoreException(String message) {
        super(message);
    }

    public FleetStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
