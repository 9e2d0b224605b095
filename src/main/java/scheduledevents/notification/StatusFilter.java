package scheduledevents.notification;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import scheduledevents.logging.UntrustedText;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * Which transitions a notification sink sends ({@code agent.mail.statuses}, {@code agent.webhook.statuses}): e.g.
 * only {@code Scheduled}, to be told of what is coming and not of every Started/Completed. The others are taken off
 * the queue without a notification.
 */
public final class StatusFilter {
    static final List<String> KNOWN = List.of("Scheduled", "Started", "Completed", "Canceled");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<String> statuses;

    StatusFilter(List<String> statuses) {
        this.statuses = List.copyOf(statuses);
    }

    public static StatusFilter read(SettingsReader s, String key) {
        List<String> wanted = new ArrayList<>();
        for (String item : s.list(key)) {
            String match = KNOWN.stream().filter(k -> k.equalsIgnoreCase(item)).findFirst()
                    .orElseThrow(() -> new InvalidSettingException(key, "unknown status '" + UntrustedText.forLog(item)
                            + "' (known: " + String.join(", ", KNOWN) + ")"));
            wanted.add(match);
        }
        if (wanted.isEmpty()) {
            throw new InvalidSettingException(key, "must name at least one of " + String.join(", ", KNOWN));
        }
        return new StatusFilter(wanted);
    }

    /** Every status: for a sender whose caller has already chosen what to send (the responder's outbox). */
    public static StatusFilter all() {
        return new StatusFilter(KNOWN);
    }

    public List<String> statuses() {
        return statuses;
    }

    /** The route's filter: true when the record's EventStatus is one of the chosen statuses. */
    public boolean wanted(String recordJson) throws IOException {
        String status = MAPPER.readTree(recordJson).path("EventStatus").asText("");
        return statuses.stream().anyMatch(s -> s.toLowerCase(Locale.ROOT).equals(status.toLowerCase(Locale.ROOT)));
    }
}
