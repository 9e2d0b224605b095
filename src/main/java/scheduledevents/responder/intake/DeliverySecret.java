package scheduledevents.responder.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The shared secret every delivery must carry (header {@code x-delivery-secret} or query parameter {@code code}).
 * Compared in constant time: both sides are hashed first, so neither the content nor the length of the configured
 * secret shows in the time a wrong guess takes.
 */
public final class DeliverySecret {
    private DeliverySecret() {
    }

    /**
     * @param configured the responder's secret; null or empty never matches (the responder refuses to start without
     *                   one, so there is no open mode)
     * @param header     the {@code x-delivery-secret} header, or null
     * @param queryCode  the {@code code} query parameter, or null
     * @return whether the header or the query parameter equals the configured secret exactly
     */
    public static boolean matches(String configured, String header, String queryCode) {
        if (configured == null || configured.isEmpty()) {
            return false;
        }
        byte[] expected = sha256(configured);
        // both compared every time (no short cut), so the answer's timing tells nothing about which one was tried
        boolean headerMatches = header != null & MessageDigest.isEqual(expected, sha256(header == null ? "" : header));
        boolean queryMatches = queryCode != null
                & MessageDigest.isEqual(expected, sha256(queryCode == null ? "" : queryCode));
        return headerMatches | queryMatches;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
