package scheduledevents.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import scheduledevents.events.UntrustedText;

/**
 * Reads settings one key at a time, from Camel's properties (so the environment overrides) or a default; every
 * failure is one {@link InvalidSettingException} line that names the key. Values of secret keys are never part of a
 * message, and other values are quoted and made safe for a log line.
 */
public final class SettingsReader {
    /** Keys whose value is, or may hold, a secret ({@link #quoted}): passwords, keys, tokens, URLs, headers. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(key|password|secret|token|credential|url|endpoint|headers?)$");
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
            throw new InvalidSettingException(key, "must be a whole number, got " + quoted(key, value));
        }
    }

    public boolean bool(String key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(key, "must be true or false, got " + quoted(key, value));
        };
    }

    public String oneOf(String key, List<String> allowed) {
        String value = text(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new InvalidSettingException(key, "must be one of " + String.join(", ", allowed) + ", got "
                    + quoted(key, value));
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

    /**
     * A value for a message: quoted and made safe for one log line, or "(value not shown)" when the key names a
     * secret (or a URL, which may carry one), whatever check the value failed.
     */
    public static String quoted(String key, String value) {
        return SECRET_KEY.matcher(key.toLowerCase(Locale.ROOT)).matches() ? "(value not shown)"
                : "'" + UntrustedText.forLog(value) + "'";
    }

    /**
     * Checks a URL setting at start-up, so that a bad one stops the agent in one line instead of failing every
     * delivery for 24 h: a scheme among {@code schemes}, a host, a port (when given) of 1-65535, no user info (a
     * password in a URL ends up in logs and proxies), and a query or fragment only if {@code queryAllowed}. A
     * failure names the key and what is wrong, never the value: webhook URLs carry their token in the path or query
     * and an Event Grid URL may carry a SAS.
     *
     * @param schemeHint said after a wrong scheme (why that scheme), or ""
     */
    public static URI url(String key, String value, List<String> schemes, boolean queryAllowed, String schemeHint) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            // the reason ("Illegal character in query") and position say what to fix; the input is left out
            throw new InvalidSettingException(key, "is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "") + " (value not shown)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new InvalidSettingException(key, "must be an " + String.join(" or ",
                    schemes.stream().map(s -> s + "://").toList()) + " URL" + schemeHint);
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new InvalidSettingException(key, "has no host (expected " + scheme + "://host[:port]/...)");
        }
        try {
            // java.net.URI quietly takes an authority it cannot read as host:port (an underscore in the name, a
            // port too long for a number) as a "registry" authority with no host: say what is wrong instead
            uri.parseServerAuthority();
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(key, "has no valid host and port: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new InvalidSettingException(key, "has no host (expected " + scheme + "://host[:port]/...)");
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            throw new InvalidSettingException(key, "port " + uri.getPort() + " is outside 1-65535");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidSettingException(key, "must not hold user info (user:password@ before the host)");
        }
        if (!queryAllowed && (uri.getRawQuery() != null || uri.getRawFragment() != null)) {
            throw new InvalidSettingException(key, "must not have a query or fragment (?... or #...)");
        }
        return uri;
    }
}
