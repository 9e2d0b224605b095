package scheduledevents.sink.eventgrid;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared access signature of header {@code aeg-sas-token}, made from the topic's access key as the Azure SDK's
 * {@code EventGridPublisherClient.generateSas} makes it (a test holds the two equal):
 * {@code r=<resource>&e=<expiry>&s=<signature>}, each URL-encoded, where the resource is the topic's URL with
 * {@code ?api-version=2018-01-01}, the expiry is UTC in .NET's {@code M/d/yyyy h:m:s a}, and the signature is the
 * base64 HMAC-SHA256, with the base64-decoded key, of {@code r=...&e=...}.
 *
 * <p>{@link #current} keeps one token and makes a new one when less than a tenth of its validity is left.
 */
final class SasToken {
    static final String API_VERSION = "2018-01-01";
    /** Renew the token when less than this share of its validity is left. */
    private static final double RENEW_FRACTION = 0.1;
    /** The SDK formats with the JVM's locale; English is what Event Grid reads (AM/PM), whatever the VM's locale. */
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("M/d/yyyy h:m:s a", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final String endpoint;
    private final long validityMillis;
    private final Clock clock;
    private Instant expiry;
    private String token;

    SasToken(String endpoint, long validityMillis, Clock clock) {
        this.endpoint = endpoint;
        this.validityMillis = validityMillis;
        this.clock = clock;
    }

    /** The token to send now, made anew from {@code base64Key} when the one kept is due. */
    synchronized String current(String base64Key) {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(expiry.minusMillis((long) (validityMillis * RENEW_FRACTION)))) {
            Instant next = now.plusMillis(validityMillis);
            token = generate(endpoint, base64Key, next);
            expiry = next;
        }
        return token;
    }

    /**
     * @param endpoint the topic's URL, without query
     * @param base64Key the topic's access key, as the portal shows it
     * @throws IllegalArgumentException if the key is not base64 (the message does not contain it)
     */
    static String generate(String endpoint, String base64Key, Instant expiry) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("azure-eventgrid: the access key is not base64, as Event Grid's "
                    + "keys are: a SAS token cannot be made from it");
        }
        String unsigned = "r=" + encode(endpoint + "?api-version=" + API_VERSION) + "&e="
                + encode(EXPIRY.format(expiry));
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            String signature = Base64.getEncoder().encodeToString(
                    hmac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
            return unsigned + "&s=" + encode(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // an empty key (SecretKeySpec refuses it); HmacSHA256 itself is in every JDK
            throw new IllegalArgumentException("azure-eventgrid: no SAS token can be made from the access key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
