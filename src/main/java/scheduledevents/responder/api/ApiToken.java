package scheduledevents.responder.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/** The API's bearer token: {@code Authorization: Bearer <token>}, compared in constant time. */
public final class ApiToken {
    private static final String BEARER = "bearer ";
    private final byte[] token;

    public ApiToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("the API token must not be empty");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** @param authorization the request's Authorization header, or null */
    public boolean allows(String authorization) {
        if (authorization == null || authorization.length() < BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }

    /** The route's filter: true when the request must be answered 401. */
    public boolean refuses(String authorization) {
        return !allows(authorization);
    }

    @Override
    public String toString() {
        return "ApiToken[(not shown)]";
    }
}
