package scheduledevents.responder.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who is asking, for the API and the fleet page (bean {@code access}). Three ways in, tried in this order:
 * <ol>
 * <li>{@code Authorization: Bearer <responder.api-token>}: scripts; the user is {@value #TOKEN_USER};</li>
 * <li>the platform's sign-in header {@value #PLATFORM_PRINCIPAL}, only when {@code responder.page.trust-platform-auth}
 * says a front end (Azure Container Apps or App Service authentication, Microsoft Entra ID) sets it and nobody can
 * reach the responder around it;</li>
 * <li>the page's session cookie {@value #SESSION_COOKIE}, given by {@link #signIn} for the API token and a name.
 * It is signed (HMAC-SHA256 with a key derived from the token), so replicas sharing the token accept each other's
 * sessions and changing the token ends every session; nothing is kept on the server.</li>
 * </ol>
 * A browser's change (approve) must also carry {@value #PAGE_HEADER}: {@value #PAGE_HEADER_VALUE}; another site's
 * form cannot set that header, and the cookie is SameSite=Strict besides. No method ever returns or logs the token.
 */
public final class Access {
    public static final String SESSION_COOKIE = "fleet_session";
    public static final String PAGE_HEADER = "X-Requested-With";
    public static final String PAGE_HEADER_VALUE = "fleet-page";
    public static final String PLATFORM_PRINCIPAL = "X-MS-CLIENT-PRINCIPAL-NAME";
    public static final String TOKEN_USER = "API token";
    static final int MAX_NAME = 64;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_READ = Base64.getUrlDecoder();

    private final ApiToken token;
    private final byte[] tokenBytes;
    private final byte[] sessionKey;
    private final Duration sessionLength;
    private final boolean trustPlatform;
    private final Clock clock;

    public Access(String apiToken, Duration sessionLength, boolean trustPlatformSignIn, Clock clock) {
        this.token = new ApiToken(apiToken);
        this.tokenBytes = apiToken.getBytes(StandardCharsets.UTF_8);
        this.sessionKey = hmac(tokenBytes, "fleet-session-v1".getBytes(StandardCharsets.UTF_8));
        if (sessionLength.isNegative() || sessionLength.isZero()) {
            throw new IllegalArgumentException("the session length must be positive");
        }
        this.sessionLength = sessionLength;
        this.trustPlatform = trustPlatformSignIn;
        this.clock = clock;
    }

    /**
     * @param authorization the Authorization header, or null
     * @param cookies       the Cookie header, or null
     * @param principal     the {@value #PLATFORM_PRINCIPAL} header, or null
     * @return the user's name as text to show (never the token), or null: not signed in (401)
     */
    public String who(String authorization, String cookies, String principal) {
        if (token.allows(authorization)) {
            return TOKEN_USER;
        }
        if (trustPlatform && principal != null) {
            String name = cleanName(principal);
            if (!name.isEmpty()) {
                return name;
            }
        }
        return session(cookie(cookies, SESSION_COOKIE));
    }

    /** The read routes' filter: true when the request must be answered 401. */
    public boolean refuses(String authorization, String cookies, String principal) {
        return who(authorization, cookies, principal) == null;
    }

    /**
     * The change routes' filter (POST): true when the request must be answered 401 or 403. A bearer-token request
     * passes on its token; a browser's (cookie or platform sign-in) also needs {@value #PAGE_HEADER}.
     */
    public boolean refusesChange(String authorization, String cookies, String principal, String requestedWith) {
        if (token.allows(authorization)) {
            return false;
        }
        return who(null, cookies, principal) == null || !PAGE_HEADER_VALUE.equals(requestedWith);
    }

    /**
     * The Set-Cookie value of a new session for {@code name}, or null when {@code givenToken} is not the API token.
     *
     * @param secure add the Secure attribute (the page was reached over HTTPS, e.g. X-Forwarded-Proto: https)
     */
    public String signIn(String name, String givenToken, boolean secure) {
        if (givenToken == null
                || !MessageDigest.isEqual(tokenBytes, givenToken.strip().getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        String who = cleanName(name);
        if (who.isEmpty()) {
            who = "operator";
        }
        long expires = clock.instant().plus(sessionLength).getEpochSecond();
        String payload = B64.encodeToString(who.getBytes(StandardCharsets.UTF_8)) + "." + expires;
        String value = payload + "." + B64.encodeToString(hmac(sessionKey, payload.getBytes(StandardCharsets.UTF_8)));
        return SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + sessionLength.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that ends the session in the browser. */
    public String signOut(boolean secure) {
        return SESSION_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The session's user, or null when the value is missing, forged, damaged or expired. */
    String session(String value) {
        if (value == null) {
            return null;
        }
        int second = value.lastIndexOf('.');
        int first = second > 0 ? value.lastIndexOf('.', second - 1) : -1;
        if (first <= 0) {
            return null;
        }
        String payload = value.substring(0, second);
        try {
            byte[] mac = B64_READ.decode(value.substring(second + 1));
            if (!MessageDigest.isEqual(mac, hmac(sessionKey, payload.getBytes(StandardCharsets.UTF_8)))) {
                return null;
            }
            long expires = Long.parseLong(value.substring(first + 1, second));
            if (clock.instant().getEpochSecond() >= expires) {
                return null;
            }
            String name = cleanName(new String(B64_READ.decode(value.substring(0, first)), StandardCharsets.UTF_8));
            return name.isEmpty() ? null : name;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** One cookie's value from a Cookie header ({@code a=1; b=2}), or null. */
    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return part.substring(eq + 1).trim();
            }
        }
        return null;
    }

    /** A name as shown and recorded: control and format characters dropped, trimmed, at most {@value #MAX_NAME}. */
    static String cleanName(String name) {
        if (name == null) {
            return "";
        }
        String clean = name.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", "").strip();
        return clean.codePointCount(0, clean.length()) <= MAX_NAME ? clean
                : clean.substring(0, clean.offsetByCodePoints(0, MAX_NAME));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Access[(token not shown), session=" + sessionLength + ", trustPlatform=" + trustPlatform + "]";
    }
}
