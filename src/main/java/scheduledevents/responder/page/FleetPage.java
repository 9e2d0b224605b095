package scheduledevents.responder.page;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import scheduledevents.responder.api.Access;

/**
 * The fleet page (bean {@code fleetPage}, responder/routes/50-page.yaml): {@code GET /} (the HTML shell, which holds
 * no fleet data: its script asks the API with the session cookie), {@code GET /page/app.js} and {@code /page/app.css},
 * {@code POST /signin} / {@code /signout} and {@code GET /api/me}.
 *
 * <p>The files are read once from the class path, by a fixed list of names: nothing from the request ever names a
 * file. Every answer carries the page's security headers: a Content-Security-Policy that allows only this origin's
 * script, style and fetches (no inline script or style, no frames), nosniff, no referrer, no caching.
 */
public class FleetPage {
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String RESOURCES = "/scheduledevents/responder/page/";
    private static final Map<String, String> ASSETS = Map.of("app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    // the "Sign in with Microsoft" part of the form, kept only when the platform's sign-in is trusted
    private static final String PLATFORM_START = "<!--platform-signin-->";
    private static final String PLATFORM_END = "<!--/platform-signin-->";
    private static final ObjectMapper JSON = new ObjectMapper();
    // the page's query kept through signing in: URL-encoded query text only, so a Location header built from it
    // can name neither another site nor carry a line break
    private static final int MAX_BACK = 2048;
    private static final Pattern BACK = Pattern.compile("\\?[A-Za-z0-9._~%&=+\\-]*");

    private final Access access;
    private final PageSettings settings;
    private final byte[] index;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();

    public FleetPage(Access access, PageSettings settings) {
        this.access = access;
        this.settings = settings;
        this.index = shell(text("index.html"), settings.trustPlatformAuth()).getBytes(StandardCharsets.UTF_8);
        for (String name : ASSETS.keySet()) {
            assets.put(name, text(name).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code GET /}: the HTML shell. */
    public byte[] index(Exchange exchange) {
        answer(exchange, 200, "text/html; charset=utf-8");
        return index;
    }

    /** {@code GET /page/{file}}: one of the fixed list, else 404. */
    public byte[] asset(Exchange exchange, String file) {
        String type = file == null ? null : ASSETS.get(file);
        if (type == null) {
            answer(exchange, 404, "text/plain; charset=utf-8");
            return "no such file".getBytes(StandardCharsets.UTF_8);
        }
        answer(exchange, 200, type);
        return assets.get(file);
    }

    /**
     * {@code POST /signin} (form fields name, token, back): 303 to {@code /} with the session cookie, or, for a
     * wrong token, 303 to {@code /?signin=failed} (the form again, with a line saying so) and no cookie; either way
     * with the filters the page had ({@code back}, its query).
     */
    public String signIn(Exchange exchange) {
        Message in = exchange.getMessage();
        Map<?, ?> form = in.getBody() instanceof Map<?, ?> map ? map : Map.of();
        boolean secure = secure(in.getHeader("X-Forwarded-Proto", String.class));
        String cookie = access.signIn(field(form, "name"), field(form, "token"), secure);
        String back = back(field(form, "back"));
        Message out = answer(exchange, 303, "text/plain; charset=utf-8");
        if (cookie == null) {
            out.setHeader("Location", "/?signin=failed" + (back.isEmpty() ? "" : "&" + back));
            return "wrong token";
        }
        out.setHeader("Set-Cookie", cookie);
        out.setHeader("Location", "/" + (back.isEmpty() ? "" : "?" + back));
        return "signed in";
    }

    /**
     * The page's query (its filters) to go back to after signing in, without the leading '?' and any earlier
     * {@code signin} mark, or "" when it is missing or holds anything but URL-encoded query text: it goes into a
     * Location header, so it can never name another site or carry a line break.
     */
    static String back(String query) {
        if (query == null || query.length() > MAX_BACK || !BACK.matcher(query).matches()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String pair : query.substring(1).split("&")) {
            if (!pair.isEmpty() && !pair.equals("signin") && !pair.startsWith("signin=")) {
                kept.append(kept.length() == 0 ? "" : "&").append(pair);
            }
        }
        return kept.toString();
    }

    /** {@code POST /signout}: 303 to {@code /}, the cookie cleared. */
    public String signOut(Exchange exchange) {
        boolean secure = secure(exchange.getMessage().getHeader("X-Forwarded-Proto", String.class));
        Message out = answer(exchange, 303, "text/plain; charset=utf-8");
        out.setHeader("Set-Cookie", access.signOut(secure));
        out.setHeader("Location", "/");
        return "signed out";
    }

    /**
     * {@code GET /api/me}: {@code {"User": "<who>", "Refresh": <ms>}} for the page's header and its polling, or 401
     * (the route's filter) when nobody is signed in.
     */
    public String me(Exchange exchange, String authorization, String cookies, String principal)
            throws JsonProcessingException {
        String who = access.who(authorization, cookies, principal);
        answer(exchange, 200, "application/json");
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("User", who);
        me.put("Refresh", settings.refresh().toMillis());
        return JSON.writeValueAsString(me);
    }

    /**
     * The header filter of the page's and the API's routes (bean {@code pageHeaders}): platform-http's own, which
     * leaves every Cache-Control header out of an answer, but for the {@code no-store} that keeps the fleet's data
     * out of the browser's and a proxy's caches.
     */
    public static HeaderFilterStrategy headerFilter() {
        HttpHeaderFilterStrategy filter = new HttpHeaderFilterStrategy();
        filter.getOutFilter().remove("cache-control");
        return filter;
    }

    /** Drops every request header (platform-http would echo them, a cookie or token included), sets the page's. */
    static Message answer(Exchange exchange, int status, String contentType) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setHeader("Content-Security-Policy", CSP);
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("Cache-Control", "no-store");
        return m;
    }

    /** The shell as served: without the platform sign-in part unless it is trusted. */
    static String shell(String html, boolean platformSignIn) {
        int start = html.indexOf(PLATFORM_START);
        int end = html.indexOf(PLATFORM_END);
        if (start < 0 || end < start) {
            throw new IllegalStateException("index.html lacks its platform sign-in markers");
        }
        return platformSignIn ? html
                : html.substring(0, start) + html.substring(end + PLATFORM_END.length());
    }

    private static boolean secure(String forwardedProto) {
        return forwardedProto != null && forwardedProto.trim().toLowerCase(Locale.ROOT).startsWith("https");
    }

    /** A form field: platform-http gives a list when a name comes twice; the first counts. */
    private static String field(Map<?, ?> form, String name) {
        Object value = form.get(name);
        if (value instanceof List<?> list) {
            value = list.isEmpty() ? null : list.get(0);
        }
        return value == null ? null : value.toString();
    }

    private static String text(String name) {
        try (InputStream in = FleetPage.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the fleet page's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "FleetPage[" + settings + "]";
    }
}
