package scheduledevents.responder.approve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import scheduledevents.logging.UntrustedText;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * Which fleet events the centre may or does approve by itself ({@code responder.approve.*}). A rule is an event type,
 * optionally with its source ({@code Freeze}, {@code Reboot/User}), {@code *} for any type or source; compared
 * case-insensitively. {@code never} wins over {@code auto}.
 *
 * @param never        events that may not be approved from here (refused, 409): e.g. {@code Freeze/Platform}
 * @param auto         events the responder approves itself as soon as they are Scheduled: e.g. {@code Reboot/User}
 * @param autoInterval how often the responder looks for such events
 */
public record ApprovalRules(List<Rule> never, List<Rule> auto, Duration autoInterval) {
    public static final List<String> TYPES = List.of("Freeze", "Reboot", "Redeploy", "Preempt", "Terminate");
    public static final List<String> SOURCES = List.of("Platform", "User");
    public static final ApprovalRules NONE = new ApprovalRules(List.of(), List.of(), Duration.ofSeconds(5));

    /** One rule: a type (or * for any) and a source (or * for any). */
    public record Rule(String type, String source) {
        boolean matches(FleetEvent event) {
            return matches(type, event.eventType()) && matches(source, event.eventSource());
        }

        private static boolean matches(String wanted, String actual) {
            return "*".equals(wanted) || (actual != null && wanted.equalsIgnoreCase(actual.trim()));
        }

        @Override
        public String toString() {
            return source.equals("*") ? type : type + "/" + source;
        }
    }

    public static ApprovalRules read(SettingsReader s) {
        return new ApprovalRules(rules(s, "responder.approve.never"), rules(s, "responder.approve.auto"),
                s.millis("responder.approve.auto-interval", 500));
    }

    /** The rule of {@code never} that {@code event} matches, or null. */
    public Rule forbidding(FleetEvent event) {
        return first(never, event);
    }

    /** Whether the responder approves {@code event} itself: an {@code auto} rule matches and no {@code never} rule. */
    public boolean approvesItself(FleetEvent event) {
        return first(auto, event) != null && first(never, event) == null;
    }

    private static Rule first(List<Rule> rules, FleetEvent event) {
        for (Rule rule : rules) {
            if (rule.matches(event)) {
                return rule;
            }
        }
        return null;
    }

    static List<Rule> rules(SettingsReader s, String key) {
        List<Rule> rules = new ArrayList<>();
        for (String item : s.list(key)) {
            String[] parts = item.split("/", -1);
            if (parts.length > 2) {
                throw new InvalidSettingException(key, "'" + UntrustedText.forLog(item)
                        + "' is not Type or Type/Source");
            }
            String type = canonical(parts[0].trim(), TYPES, key, "event type", item);
            String source = parts.length == 2 ? canonical(parts[1].trim(), SOURCES, key, "source", item) : "*";
            if (type.equals("*") && source.equals("*")) {
                throw new InvalidSettingException(key, "'" + UntrustedText.forLog(item)
                        + "' would match every event: name a type or a source");
            }
            rules.add(new Rule(type, source));
        }
        return List.copyOf(rules);
    }

    private static String canonical(String text, List<String> known, String key, String what, String item) {
        if (text.equals("*")) {
            return text;
        }
        for (String k : known) {
            if (k.toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new InvalidSettingException(key, "'" + UntrustedText.forLog(item) + "': unknown " + what + " '"
                + UntrustedText.forLog(text) + "' (one of " + String.join(", ", known) + " or *)");
    }
}
