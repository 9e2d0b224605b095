package scheduledevents.imds;

/**
 * IMDS did not answer with a document. {@code status} is the HTTP status, or a short word (timeout,
 * connection-refused, io-error, too-large) when there was no usable HTTP answer; it is used as a metric label.
 */
public class ImdsException extends Exception {
    private final String status;

    public ImdsException(String status, String message) {
        super(message);
        this.status = status;
    }

    public String status() {
        return status;
    }
}
