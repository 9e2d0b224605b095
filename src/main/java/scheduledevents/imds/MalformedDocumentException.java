package scheduledevents.imds;

/** The document as a whole cannot be read: it is skipped and the previous state stays. */
public class MalformedDocumentException extends Exception {
    public MalformedDocumentException(String reason) {
        super(reason);
    }
}
