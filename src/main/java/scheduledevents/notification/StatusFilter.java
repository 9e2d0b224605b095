package scheduledevents.notification;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import scheduledevents.logging.UntrustedText;
import scheduledevents.record.EventStatus;
import scheduledevents.record.TransitionRecord;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * Which transitions a notification sink sends ({@code agent.mail.statuses}, {@code agent.webhook.statuses}): e.g.
 * only {@code Scheduled}, to be told of what is coming and not of every Started/Completed. The others are taken off
 * the queue without a notification.
 */
public final class StatusFilter {
    private final List<EventStatus> statuses;

    StatusFilter(List<EventStatus> statuses) {
        this.statuses = List.copyOf(statuses);
    }

    /** The statuses named in setting {@code key}, in any case; at least one. */
    public static StatusFilter read(SettingsReader s, String key) {
        List<EventStatus> wanted = new ArrayList<>();
        for (String item : s.list(key)) {
            EventStatus status = EventStatus.ofAnyCase(item);
            if (!status.known()) {
                throw new InvalidSettingException(key, "unknown status '" + UntrustedText.forLog(item)
                        + "' (known: " + String.join(", ", known()) + ")");
            }
            wanted.add(status);
        }
        if (wanted.isEmpty()) {
            throw new InvalidSettingException(key, "must name at least one of " + String.join(", ", known()));
        }
        return new StatusFilter(wanted);
    }

    /** Every status: for a sender whose caller has already chosen what to send (the responder's outbox). */
    public static StatusFilter all() {
        return new StatusFilter(Stream.of(EventStatus.values()).filter(EventStatus::known).toList());
    }

    /** The chosen statuses, spelled as records spell them. */
    public List<String> statuses() {
        return statuses.stream().map(EventStatus::text).toList();
    }

    /** The route's filter: true when the record's EventStatus, in any case, is one of the chosen statuses. */
    public boolean wanted(TransitionRecord record) {
        return statuses.contains(EventStatus.ofAnyCase(record.eventStatus()));
    }

    private static List<String> known() {
        return all().statuses();
    }
}
