package scheduledevents.sink.eventgrid;

/**
 * Publishing failed in a way that may pass (408, 429, most 5xx, I/O errors, no token yet): the sink's queue retries
 * the record with backoff. The message never carries a key or token.
 */
public class EventGridUnavailableException extends RuntimeException {
    public EventGridUnavailableException(String message) {
        super(message, null, false, false);
    }
}
