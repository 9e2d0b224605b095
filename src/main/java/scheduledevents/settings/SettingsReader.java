package scheduledevents.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;
import scheduledevents.logging.UntrustedText;

/**
 * The one reader of the agent's settings: one key at a time, from Camel's properties component, where the
 * environment overrides the user's file, which overrides the defaults packaged in the jar (this release's
 * application.properties, see {@link #DEFAULTS_LOCATION}). There is no other table of defaults: every key has a
 * value, and one without is a bug of the agent, not of the user's file. Every failure is one
 * {@link InvalidSettingException} line that names the key. Values of secret keys are never part of a message, and
 * other values are quoted and made safe for a log line.
 */
public final class SettingsReader {
    /** Keys whose value is, or may hold, a secret ({@link #quoted}): passwords, keys, tokens, URLs, headers. */
    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(key|password|secret|token|credential|url|endpoint|headers?)$");
    /**
     * Defaults: the repository's application.properties, packaged into the jar by the build (pom.xml) and layered
     * under the user's file. So the documented file is the only source of defaults, and a file copied from an older
     * release that lacks a newer key keeps working (that key keeps its default) instead of stopping start-up.
     */
    public static final String DEFAULTS_LOCATION = "classpath:scheduledevents/application.properties";

    private final Function<String, String> lookup;

    /** @param lookup a key's value after placeholders and environment overrides, or null when it has none */
    public SettingsReader(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /**
     * Camel's property locations: the user's file, then the packaged defaults. Camel takes a key from the first
     * location that has it, so the user's file wins over the defaults (and the environment over both).
     */
    public static String locations(Path userFile) {
        return "file:" + userFile.toAbsolutePath() + "," + DEFAULTS_LOCATION;
    }

    /** The value after placeholders and environment overrides, trimmed (may be empty). */
    public String text(String key) {
        String value = lookup.apply(key);
        if (value == null) {
            throw new IllegalStateException("setting " + key + " has no value: every key the agent reads must be in "
                    + "application.properties, which is packaged in the jar as its defaults");
        }
        return value.trim();
    }

    /** A value that must not be empty. */
    public String nonEmpty(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new InvalidSettingException(key, "must not be empty");
        }
        return value;
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

    /** A whole number of {@code min}-{@code max}, which may exceed an int. */
    public long number(String key, long min, long max) {
        String value = text(key);
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "must be a whole number, got " + quoted(key, value));
        }
        if (n < min || n > max) {
            throw new InvalidSettingException(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** Milliseconds, as a plain number (the form the YAML routes hand to Camel), at least {@code minMillis}. */
    public Duration millis(String key, long minMillis) {
        String value = nonEmpty(key);
        Duration d;
        try {
            d = Duration.ofMillis(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "must be a number of milliseconds, got " + quoted(key, value));
        }
        if (d.toMillis() < minMillis) {
            throw new InvalidSettingException(key, "must be at least " + minMillis + " ms, got " + quoted(key, value));
        }
        return d;
    }

    /**
     * A non-empty value turned into a type by {@code parse}, whose IllegalArgumentException says what is allowed.
     *
     * @param showValue add ", got '<value>'" to the message (for a parser whose message does not show it)
     */
    public <T> T choice(String key, Function<String, T> parse, boolean showValue) {
        String value = showValue ? nonEmpty(key) : text(key);
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, e.getMessage() + (showValue ? ", got " + quoted(key, value) : ""));
        }
    }

    /** A path; an empty value is not one. */
    public Path path(String key) {
        try {
            return Path.of(nonEmpty(key));
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(key, "is not a valid path (" + e.getReason() + ")");
        }
    }

    /** A base URL, http or https (the agent adds path and query to it); never repeated in a message. */
    public URI httpUrl(String key) {
        return url(key, nonEmpty(key), List.of("http", "https"), false, "");
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
