package scheduledevents.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How NotBefore is written. IMDS uses RFC 1123; Microsoft's own mock server writes ISO 8601. */
public enum NotBeforeFormat {
    /** {@code Tue, 17 Nov 2026 09:10:00 GMT}: two-digit day like IMDS, parseable by RFC_1123_DATE_TIME. */
    @JsonProperty("rfc1123")
    RFC1123(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC)),
    /** {@code 2026-11-25T17:05:00Z}. */
    @JsonProperty("iso8601")
    ISO8601(DateTimeFormatter.ISO_INSTANT);

    private final DateTimeFormatter formatter;

    NotBeforeFormat(DateTimeFormatter formatter) {
        this.formatter = formatter;
    }

    /**
     * Whole seconds, truncated: the shown time is never later than the real start, so "not before" stays true.
     */
    public String format(Instant instant) {
        return formatter.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
