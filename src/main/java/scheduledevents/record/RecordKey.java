package scheduledevents.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The idempotency key of a record: lower-case EventId and EventStatus, and the record's {@code Occurrence} when it is
 * 2 or more (an event that came back after the agent reported it over: its records are new, not repeats). The first
 * occurrence's key is the one earlier releases wrote, so an upgrade re-sends nothing. Camel's file idempotent
 * repository stores one key per line, and an EventId is untrusted text that may hold CR/LF, so the key is
 * percent-encoded (one line, still readable), and hashed when very long.
 */
public class RecordKey {
    private static final int MAX_KEY_CHARS = 200;

    public String keyOf(String recordJson) throws IOException {
        return of(TransitionRecord.read(recordJson));
    }

    /** A record without EventId or EventStatus (not one the agent wrote) has an empty part in their place. */
    public static String of(TransitionRecord record) {
        return key(Objects.toString(record.eventId(), ""), Objects.toString(record.eventStatus(), ""),
                record.occurrence());
    }

    public static String key(String eventId, String eventStatus) {
        return key(eventId, eventStatus, 1);
    }

    /** @param occurrence 1 for the first occurrence (the key has no occurrence part), 2 and more for a return */
    public static String key(String eventId, String eventStatus, int occurrence) {
        // '/' is percent-encoded in both parts, so "/2" can only be the occurrence
        String key = URLEncoder.encode(eventId.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8) + "/"
                + URLEncoder.encode(eventStatus, StandardCharsets.UTF_8) + (occurrence > 1 ? "/" + occurrence : "");
        return key.length() <= MAX_KEY_CHARS ? key : "sha256:" + sha256(key);
    }

    /** The record's Occurrence; 1 when it has none (queued by an earlier release) or it is not a number above 1. */
    public static int occurrenceOf(JsonNode record) {
        JsonNode occurrence = record.path("Occurrence");
        return occurrence.isIntegralNumber() && occurrence.canConvertToInt() && occurrence.intValue() > 1
                ? occurrence.intValue() : 1;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
