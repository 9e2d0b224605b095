package scheduledevents.responder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import scheduledevents.SettableClock;

class AccessTest {
    private static final String TOKEN = "the-api-token-42";
    private final SettableClock clock = SettableClock.at("2026-12-01T10:00:00Z");
    private final Access access = new Access(TOKEN, Duration.ofHours(12), false, clock);

    private static String cookieOf(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void theBearerTokenIsTheApiTokenUser() {
        assertEquals(Access.TOKEN_USER, access.who("Bearer " + TOKEN, null, null));
        assertNull(access.who("Bearer wrong", null, null));
        assertTrue(access.refuses(null, null, null));
    }

    @Test
    void signingInWithTheTokenGivesASessionNamingTheOperator() {
        String setCookie = access.signIn("  Ada Lovelace ", TOKEN, false);
        assertTrue(setCookie.startsWith(Access.SESSION_COOKIE + "="), setCookie);
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), setCookie);
        assertFalse(setCookie.contains(TOKEN), "the token is never in the cookie");
        assertEquals("Ada Lovelace", access.who(null, "other=1; " + cookieOf(setCookie), null));
        assertTrue(access.signIn("x", TOKEN, true).endsWith("; Secure"));
    }

    @Test
    void aWrongTokenGivesNoSession() {
        assertNull(access.signIn("Ada", "guess", false));
        assertNull(access.signIn("Ada", null, false));
    }

    @Test
    void aSessionEndsWhenItExpiresOrTheTokenChanges() {
        String cookie = cookieOf(access.signIn("Ada", TOKEN, false));
        clock.advance(Duration.ofHours(11));
        assertEquals("Ada", access.who(null, cookie, null));
        Access rotated = new Access("a-new-token", Duration.ofHours(12), false, clock);
        assertNull(rotated.who(null, cookie, null), "a new token ends every session");
        clock.advance(Duration.ofHours(1));
        assertNull(access.who(null, cookie, null), "expired");
    }

    @Test
    void aForgedOrDamagedSessionIsRefused() {
        String cookie = cookieOf(access.signIn("Ada", TOKEN, false));
        String value = cookie.substring(cookie.indexOf('=') + 1);
        String[] parts = value.split("\\.");
        String otherName = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("Mallory".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertNull(access.who(null, Access.SESSION_COOKIE + "=" + otherName + "." + parts[1] + "." + parts[2], null));
        assertNull(access.who(null, Access.SESSION_COOKIE + "=" + parts[0] + ".99999999999." + parts[2], null));
        assertNull(access.who(null, Access.SESSION_COOKIE + "=garbage", null));
        assertNull(access.who(null, Access.SESSION_COOKIE + "=a.b.%%%", null));
    }

    @Test
    void namesAreCleanedOfControlCharactersAndCut() {
        String cookie = cookieOf(access.signIn("Ada\u0000\u202e\n<b>", TOKEN, false));
        assertEquals("Ada<b>", access.who(null, cookie, null), "kept as text, control and bidi characters dropped");
        String longName = "n".repeat(200);
        assertEquals(Access.MAX_NAME, access.who(null, cookieOf(access.signIn(longName, TOKEN, false)), null).length());
        assertEquals("operator", access.who(null, cookieOf(access.signIn(" ", TOKEN, false)), null));
    }

    @Test
    void thePlatformSignInCountsOnlyWhenTrusted() {
        assertNull(access.who(null, null, "ada@example.com"), "a header anyone can send");
        Access behindEntra = new Access(TOKEN, Duration.ofHours(12), true, clock);
        assertEquals("ada@example.com", behindEntra.who(null, null, "ada@example.com"));
        assertNull(behindEntra.who(null, null, " \u0000 "));
    }

    @Test
    void aBrowserChangeNeedsThePageHeaderButATokenRequestDoesNot() {
        String cookie = cookieOf(access.signIn("Ada", TOKEN, false));
        assertTrue(access.refusesChange(null, cookie, null, null), "a cross-site form cannot set the header");
        assertFalse(access.refusesChange(null, cookie, null, Access.PAGE_HEADER_VALUE));
        assertFalse(access.refusesChange("Bearer " + TOKEN, null, null, null));
        assertTrue(access.refusesChange(null, null, null, Access.PAGE_HEADER_VALUE));
    }

    @Test
    void printingItShowsNoToken() {
        assertFalse(access.toString().contains(TOKEN));
    }
}
