package scheduledevents.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import scheduledevents.events.UntrustedText;

/**
 * Reads settings one key at a time, from Camel's properties (so the environment overrides) or a default; every
 * failure is one {@link InvalidSettingException} line that names the key. Values of secret keys are never part of a
 * message, and other values are quoted and made safe for a log line.
 */
public final class SettingsReader {
    private final Function<String, String> lookup;
    private final Map<String, String> defaults;

    public SettingsReader(Function<String, String> lookup, Map<String, String> defaults) {
        this.lookup = lookup;
        this.defaults = defaults;
    }

    /** The value after placeholders and environment overrides, trimmed; the default when unset. */
    public String text(String key) {
        String value = lookup.apply(key);
        return value == null ? defaults.getOrDefault(key, "") : value.trim();
    }

    public String required(String key, String hint) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new InvalidSettingException(key, "must be set" + hint);
        }
        return value;
    }

    public int integer(String key, int min, int max) {
        String value = text(key);
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new InvalidSettingException(key, "must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "must be a whole number, got '" + UntrustedText.forLog(value) + "'");
        }
    }

    public boolean bool(String key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(key, "must be true or false, got '"
                    + UntrustedText.forLog(value) + "'");
        };
    }

    public String oneOf(String key, List<String> allowed) {
        String value = text(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new InvalidSettingException(key, "must be one of " + String.join(", ", allowed) + ", got '"
                    + UntrustedText.forLog(value) + "'");
        }
        return value;
    }

    public List<String> list(String key) {
        List<String> items = new ArrayList<>();
        for (String item : text(key).split(",")) {
            String trimmed = item.trim();
            if (!trimmed.isEmpty() && !items.contains(trimmed)) {
                items.add(trimmed);
            }
        }
        return items;
    }
}
