package scheduledevents.record;

import java.time.Instant;

/**
 * Which appearance of an event a record belongs to. IMDS can drop an event from the document (the agent then reports
 * it Canceled or Completed) and later serve it again with the same EventId: that return is a new occurrence, and its
 * records are new records for every sink, not repeats of the first occurrence's.
 *
 * @param number 1 the first time the agent sees the event, one more at each return
 * @param since  when the agent first saw this occurrence (null when unknown): an approval from before it belongs to
 *               an earlier occurrence
 */
public record Occurrence(int number, Instant since) {
    public static Occurrence first(Instant since) {
        return new Occurrence(1, since);
    }

    public Occurrence next(Instant at) {
        return new Occurrence(number + 1, at);
    }
}
