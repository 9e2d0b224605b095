package scheduledevents.responder.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import scheduledevents.logging.UntrustedText;

/**
 * Which fleet status changes queue a notification, and on which channels (responder.notify, responder.notify.types,
 * responder.notify.statuses). Empty types or statuses = all; empty channels = no notification at all. Matching is
 * case-insensitive; the sets hold lower case.
 */
public record NotifyRules(Set<String> channels, Set<String> types, Set<String> statuses) {
    public static final String MAIL = "mail";
    public static final String WEBHOOK = "webhook";
    private static final Set<String> KNOWN_CHANNELS = Set.of(MAIL, WEBHOOK);

    public NotifyRules {
        channels = lower(channels);
        types = lower(types);
        statuses = lower(statuses);
        for (String channel : channels) {
            if (!KNOWN_CHANNELS.contains(channel)) {
                throw new IllegalArgumentException("unknown notification channel (use mail, webhook): "
                        + UntrustedText.forLog(channel));
            }
        }
    }

    /** No notification at all. */
    public static NotifyRules none() {
        return new NotifyRules(Set.of(), Set.of(), Set.of());
    }

    /** Every type and status on these channels. */
    public static NotifyRules all(String... channels) {
        return new NotifyRules(Set.of(channels), Set.of(), Set.of());
    }

    /** From the settings' comma lists (blank or null = empty). */
    public static NotifyRules parse(String channels, String types, String statuses) {
        return new NotifyRules(split(channels), split(types), split(statuses));
    }

    /** The channels that owe a notification when a fleet event of {@code type} reaches {@code status}, sorted. */
    public List<String> channelsFor(String type, String status) {
        if (channels.isEmpty() || !matches(types, type) || !matches(statuses, status)) {
            return List.of();
        }
        return new ArrayList<>(channels);
    }

    private static boolean matches(Set<String> allowed, String value) {
        return allowed.isEmpty() || (value != null && allowed.contains(value.toLowerCase(Locale.ROOT)));
    }

    private static Set<String> split(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        return new TreeSet<>(Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    private static Set<String> lower(Collection<String> values) {
        TreeSet<String> out = new TreeSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    out.add(v.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return java.util.Collections.unmodifiableSortedSet(out);
    }
}
