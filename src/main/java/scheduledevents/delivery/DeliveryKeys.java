package scheduledevents.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The idempotency key of a record: lower-case EventId and EventStatus. Camel's file idempotent repository stores
 * one key per line, and an EventId is untrusted text that may hold CR/LF, so the key is percent-encoded (one line,
 * still readable), and hashed when very long.
 */
public class DeliveryKeys {
    private static final int MAX_KEY_CHARS = 200;
    private final ObjectMapper mapper = new ObjectMapper();

    public String keyOf(String recordJson) throws IOException {
        JsonNode record = mapper.readTree(recordJson);
        return key(record.path("EventId").asText(), record.path("EventStatus").asText());
    }

    public static String key(String eventId, String eventStatus) {
        String key = URLEncoder.encode(eventId.toLowerCase(Locale.ROOT), StandardCharsets.UTF_8) + "/"
                + URLEncoder.encode(eventStatus, StandardCharsets.UTF_8);
        return key.length() <= MAX_KEY_CHARS ? key : "sha256:" + sha256(key);
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
