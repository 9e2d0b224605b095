package scheduledevents.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.responder.page.FleetPage;

/**
 * The fleet page's routes (responder/routes/50-page.yaml) and the API's sign-in (20-api.yaml through bean access),
 * real routes on Camel's platform-http, real HTTP on loopback, an embedded H2 database.
 */
class FleetPageRoutesTest {
    private static final String SECRET = "page-delivery-secret-1";
    private static final String TOKEN = "page-api-token-2";
    private static final String FREEZE = "[{\"id\":\"p-1\",\"eventType\":\"ScheduledEvent\",\"subject\":\"vm1\","
            + "\"eventTime\":\"2026-11-30T10:00:00Z\",\"data\":{\"EventId\":\"PAGE-EVENT-1\",\"EventType\":\"Freeze\","
            + "\"EventStatus\":\"Scheduled\"}}]";

    @TempDir
    static Path dir;
    static RoutesResponder responder;

    @BeforeAll
    static void start() throws Exception {
        responder = RoutesResponder.start(dir, new RecordingParts(), Map.of("responder.delivery-secret", SECRET,
                "responder.api-token", TOKEN, "responder.page.refresh", "2500"));
        HttpResponse<String> stored = send(request("/events/eventgrid").header("x-delivery-secret", SECRET)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(FREEZE)));
        assertEquals(200, stored.statusCode(), stored.body());
    }

    @AfterAll
    static void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    private static HttpRequest.Builder request(String pathAndQuery) {
        return responder.request(pathAndQuery);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return responder.send(request);
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = request(pathAndQuery).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    private static HttpResponse<String> signIn(String name, String token, String... headers) throws Exception {
        String form = "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        HttpRequest.Builder b = request("/signin").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    /** The cookie as a browser sends it back: the Set-Cookie value up to its first attribute. */
    private static String cookieOf(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static void assertPageHeaders(HttpResponse<String> r) {
        assertEquals(FleetPage.CSP, r.headers().firstValue("Content-Security-Policy").orElse(null));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElse(null));
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
    }

    @Test
    void thePageIsServedWithItsSecurityHeadersAndHoldsNoFleetData() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertPageHeaders(page);
        assertTrue(page.body().contains("<script src=\"/page/app.js\""), page.body());
        assertFalse(page.body().contains("PAGE-EVENT-1"), "fleet data in the shell");
        assertFalse(page.body().contains("<script>"), "an inline script (the CSP forbids it)");
        assertFalse(page.body().contains("style=\""), "an inline style (the CSP forbids it)");
        // without trust-platform-auth, no "Sign in with Microsoft"
        assertFalse(page.body().contains("/.auth/login/aad"), page.body());
    }

    @Test
    void theScriptAndStyleSheetAreServedAndNothingElse() throws Exception {
        HttpResponse<String> js = get("/page/app.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertPageHeaders(js);
        HttpResponse<String> css = get("/page/app.css");
        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        for (String other : new String[] {"/page/index.html", "/page/..%2F..%2Fresponder.properties",
                "/page/FleetPage.class", "/page/APP.JS", "/page/app.js%00.css"}) {
            HttpResponse<String> r = get(other);
            assertTrue(r.statusCode() == 404 || r.statusCode() == 400, other + " answered " + r.statusCode());
            assertFalse(r.body().contains("responder.api-token"), other);
        }
        // Vert.x resolves dot segments before routing: this is GET /, the shell, not a file above the page's
        assertEquals(get("/").body(), get("/page/%2e%2e").body());
    }

    @Test
    void signingInWithTheTokenGivesACookieThatOpensTheApi() throws Exception {
        assertEquals(401, get("/api/events").statusCode());
        assertEquals(401, get("/api/me").statusCode());
        HttpResponse<String> in = signIn("Ada Lovelace", TOKEN);
        assertEquals(303, in.statusCode());
        assertEquals("/", in.headers().firstValue("Location").orElse(null));
        String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        assertFalse(setCookie.contains("Secure"), "Secure over plain HTTP: the browser would drop it");
        assertFalse(setCookie.contains(TOKEN), "the token in the cookie");
        String cookie = cookieOf(in);

        HttpResponse<String> events = get("/api/events", "Cookie", cookie);
        assertEquals(200, events.statusCode(), events.body());
        assertTrue(events.body().contains("PAGE-EVENT-1"), events.body());
        assertEquals("no-store", events.headers().firstValue("Cache-Control").orElse(null));
        assertFalse(events.headers().map().toString().contains(cookie.substring(cookie.indexOf('=') + 1)),
                "the cookie is echoed");
        assertEquals(200, get("/api/events/page-event-1", "Cookie", cookie).statusCode());
        HttpResponse<String> me = get("/api/me", "Cookie", cookie);
        assertEquals(200, me.statusCode());
        assertEquals("{\"User\":\"Ada Lovelace\",\"Refresh\":2500}", me.body());
        assertPageHeaders(me);
    }

    @Test
    void theBearerTokenStillOpensTheApi() throws Exception {
        assertEquals(200, get("/api/events", "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals("{\"User\":\"API token\",\"Refresh\":2500}",
                get("/api/me", "Authorization", "Bearer " + TOKEN).body());
    }

    @Test
    void aWrongTokenGoesBackToTheFormWithoutACookie() throws Exception {
        HttpResponse<String> in = signIn("Mallory", TOKEN + "x");
        assertEquals(303, in.statusCode());
        assertEquals("/?signin=failed", in.headers().firstValue("Location").orElse(null));
        assertTrue(in.headers().firstValue("Set-Cookie").isEmpty());
        assertFalse(in.body().contains("PAGE-EVENT-1"));
        assertEquals(401, get("/api/events", "Cookie", "fleet_session=Mallory.99999999999.forged").statusCode());
    }

    @Test
    void behindHttpsTheCookieIsSecure() throws Exception {
        HttpResponse<String> in = signIn("Ada", TOKEN, "X-Forwarded-Proto", "https");
        assertTrue(in.headers().firstValue("Set-Cookie").orElseThrow().endsWith("; Secure"));
    }

    @Test
    void signingOutClearsTheCookie() throws Exception {
        HttpResponse<String> out = send(request("/signout").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(303, out.statusCode());
        assertEquals("/", out.headers().firstValue("Location").orElse(null));
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().startsWith("fleet_session=; Path=/; Max-Age=0"));
    }

    @Test
    void thePlatformHeaderIsNotTrustedByDefault() throws Exception {
        assertEquals(401, get("/api/events", "X-MS-CLIENT-PRINCIPAL-NAME", "ada@example.com").statusCode());
    }
}
