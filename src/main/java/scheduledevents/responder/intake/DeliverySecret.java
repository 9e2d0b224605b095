package scheduledevents.responder.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Whether a delivery carries the configured secret, in header {@code x-delivery-secret} or query parameter
 * {@code code}. Constant-time (MessageDigest.isEqual), so the answer's timing does not tell how much of a guess was
 * right. An empty configured secret matches nothing (the responder refuses to start without one anyway).
 */
public final class DeliverySecret {
    private DeliverySecret() {
    }

    public static boolean matches(String configured, String header, String queryCode) {
        if (configured == null || configured.isEmpty()) {
            return false;
        }
        byte[] expected = configured.getBytes(StandardCharsets.UTF_8);
        // both are compared, always, so that which one was given does not show in the timing either
        boolean byHeader = header != null && MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8));
        boolean byCode = queryCode != null
                && MessageDigest.isEqual(expected, queryCode.getBytes(StandardCharsets.UTF_8));
        return byHeader | byCode;
    }
}
