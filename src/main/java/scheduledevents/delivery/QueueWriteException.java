package scheduledevents.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A record could not be written to a sink's queue (a full disk, a read-only or missing folder). Already logged and
 * counted by {@link SinkQueues}; the transitions route catches it, keeps the records and tries again next poll.
 */
public class QueueWriteException extends UncheckedIOException {
    public QueueWriteException(String message, IOException cause) {
        super(message, cause);
    }
}
