package scheduledevents.record;

import java.util.List;

/**
 * A parsed IMDS Scheduled Events document.
 *
 * @param complete false when some entries of the Events array could not be read: such a document cannot prove
 *                 that an event we saw before is gone, so no Completed/Canceled is derived from it
 * @param problems what was wrong with individual entries (already safe for a log line)
 */
public record ScheduledEventsDocument(long documentIncarnation, List<ScheduledEvent> events, boolean complete,
                                      List<String> problems) {
    public ScheduledEventsDocument {
        events = List.copyOf(events);
        problems = List.copyOf(problems);
    }
}
