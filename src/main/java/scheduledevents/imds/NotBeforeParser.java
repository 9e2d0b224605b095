package scheduledevents.imds;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Locale;

/**
 * NotBefore arrives as RFC 1123 ("Mon, 11 Apr 2026 22:26:58 GMT"), as ISO 8601 (Microsoft's own mock server), or
 * as "" (started, or no start time). The weekday is ignored: Microsoft's own docs carry dates whose weekday is
 * wrong, and a strict RFC 1123 parser would drop a real maintenance notice over it.
 */
public final class NotBeforeParser {
    // STRICT: "31 Feb" is an error, not silently 28 Feb
    private static final DateTimeFormatter RFC_1123_NO_WEEKDAY =
            DateTimeFormatter.ofPattern("d MMM uuuu HH:mm:ss", Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);

    private NotBeforeParser() {
    }

    /** @return the instant, or null for "" */
    public static Instant parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            return null;
        }
        if (Character.isDigit(s.charAt(0)) && s.length() > 10 && s.charAt(4) == '-') {
            return parseIso(s);
        }
        return parseRfc1123(s);
    }

    private static Instant parseIso(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException offsetMissing) {
            // IMDS times are UTC; an ISO value without offset is read as UTC
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        }
    }

    private static Instant parseRfc1123(String s) {
        int comma = s.indexOf(',');
        String rest = (comma >= 0 ? s.substring(comma + 1) : s).trim();
        int zoneStart = rest.lastIndexOf(' ');
        if (zoneStart < 0) {
            throw new DateTimeParseException("not an RFC 1123 date", s, 0);
        }
        String zone = rest.substring(zoneStart + 1);
        if (!zone.equals("GMT") && !zone.equals("UTC") && !zone.equals("Z") && !zone.equals("+0000")) {
            throw new DateTimeParseException("unexpected time zone " + zone, s, 0);
        }
        return LocalDateTime.parse(rest.substring(0, zoneStart), RFC_1123_NO_WEEKDAY).toInstant(ZoneOffset.UTC);
    }
}
