package scheduledevents.responder.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import scheduledevents.SettableClock;
import scheduledevents.responder.api.Access;

class FleetPageTest {
    private static final String TOKEN = "page-test-token";
    private final CamelContext camel = new DefaultCamelContext();

    private FleetPage page(boolean trustPlatform) {
        PageSettings settings = new PageSettings(Duration.ofHours(12), trustPlatform, Duration.ofSeconds(5));
        return new FleetPage(new Access(TOKEN, settings.session(), trustPlatform,
                SettableClock.at("2026-12-01T10:00:00Z")), settings);
    }

    private String index(FleetPage page) {
        return new String(page.index(new DefaultExchange(camel)), StandardCharsets.UTF_8);
    }

    @Test
    void signInWithMicrosoftIsOfferedOnlyWhenThePlatformSignInIsTrusted() {
        assertFalse(index(page(false)).contains("/.auth/login/aad"));
        assertTrue(index(page(true)).contains("/.auth/login/aad?post_login_redirect_uri=/"));
    }

    @Test
    void theShellNeedsItsMarkers() {
        assertThrows(IllegalStateException.class, () -> FleetPage.shell("<html></html>", false));
        assertEquals("a b", FleetPage.shell("a <!--platform-signin-->x<!--/platform-signin-->b", false));
    }

    @Test
    void onlyTheListedFilesAreServed() {
        FleetPage page = page(false);
        Exchange js = new DefaultExchange(camel);
        assertTrue(page.asset(js, "app.js").length > 100);
        assertEquals(200, js.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        for (String name : new String[] {"index.html", "../responder.properties", "", null, "app.js/"}) {
            Exchange other = new DefaultExchange(camel);
            page.asset(other, name);
            assertEquals(404, other.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE), String.valueOf(name));
        }
    }

    @Test
    void theScriptNeverWritesHtml() {
        String js = new String(page(false).asset(new DefaultExchange(camel), "app.js"), StandardCharsets.UTF_8);
        for (String sink : new String[] {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setAttribute(\"on", "setAttribute(\"style", "setAttribute(\"href"}) {
            assertFalse(js.contains(sink), "app.js uses " + sink + ": event text must only ever be text");
        }
    }

    @Test
    void everyAnswerDropsTheRequestHeadersAndCarriesTheSecurityHeaders() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("Cookie", "fleet_session=secret");
        exchange.getMessage().setHeader("Authorization", "Bearer " + TOKEN);
        page(false).index(exchange);
        assertFalse(exchange.getMessage().getHeaders().containsKey("Cookie"));
        assertFalse(exchange.getMessage().getHeaders().containsKey("Authorization"));
        assertEquals(FleetPage.CSP, exchange.getMessage().getHeader("Content-Security-Policy"));
        assertEquals("no-store", exchange.getMessage().getHeader("Cache-Control"));
    }

    @Test
    void signingInReadsTheFormsFirstValueAndGivesTheCookie() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(Map.of("name", List.of("Ada", "Eve"), "token", TOKEN));
        page(false).signIn(exchange);
        assertEquals(303, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals("/", exchange.getMessage().getHeader("Location"));
        String cookie = exchange.getMessage().getHeader("Set-Cookie", String.class);
        assertTrue(cookie.startsWith(Access.SESSION_COOKIE + "="), cookie);

        Exchange notAForm = new DefaultExchange(camel);
        notAForm.getMessage().setBody("token=" + TOKEN);
        page(false).signIn(notAForm);
        assertEquals("/?signin=failed", notAForm.getMessage().getHeader("Location"));
        assertFalse(notAForm.getMessage().getHeaders().containsKey("Set-Cookie"));
    }

    @Test
    void signingInGoesBackToThePagesFilters() {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(Map.of("name", "Ada", "token", TOKEN,
                "back", "?signin=failed&type=Reboot&vm=web%2D0"));
        page(false).signIn(exchange);
        assertEquals("/?type=Reboot&vm=web%2D0", exchange.getMessage().getHeader("Location"));

        Exchange wrong = new DefaultExchange(camel);
        wrong.getMessage().setBody(Map.of("name", "Ada", "token", "no", "back", "?status=Scheduled"));
        page(false).signIn(wrong);
        assertEquals("/?signin=failed&status=Scheduled", wrong.getMessage().getHeader("Location"));
    }

    @Test
    void onlyAQueryOfThisPageIsGoneBackTo() {
        assertEquals("type=Reboot", FleetPage.back("?type=Reboot"));
        assertEquals("", FleetPage.back("//evil.example/?x=1"), "another site");
        assertEquals("", FleetPage.back("?a=1\r\nSet-Cookie:%20x"), "a line break into the header");
        assertEquals("", FleetPage.back("?a=<script>"));
        assertEquals("", FleetPage.back("?" + "a".repeat(3000)));
        assertEquals("", FleetPage.back(null));
        assertEquals("", FleetPage.back("?signin=failed"));
    }
}
