package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import scheduledevents.Fixtures;
import scheduledevents.testing.Await;
import scheduledevents.testing.FakeArm;
import scheduledevents.testing.FleetDeliveries;
import scheduledevents.testing.TestResponder;

/**
 * The fleet page in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium), served by
 * the packaged jar as the responder and fed through its real webhook with the agent's and the platform's deliveries.
 * Screenshots go to target/: fleet-page-desktop.png (the whole page at 1280 px), fleet-page.png (its first screen, as
 * docs/fleet-page.png), fleet-page-phone.png (a 390 px phone's first screen), fleet-page-phone-full.png (the whole
 * page at 390 px), fleet-page-dark.png (the first screen in the dark palette),
 * fleet-page-many-vms-phone.png (an event on 30 VMs at 390 px, its list folded to the searched VM and 7 more).
 *
 * <p>Without Chromium, {@code -Dbrowser.skip=true} leaves these tests out (README); otherwise a missing browser is a
 * failure that says so. One responder and one browser for the class; each test starts signed out.
 */
@DisabledIfSystemProperty(named = "browser.skip", matches = "true",
        disabledReason = "-Dbrowser.skip=true: the browser tests are left out (README)")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetPageIT {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String OPERATOR = "Ada Operator";
    private static final Instant NOW = Instant.now();
    static final FleetDeliveries.Event FREEZE = new FleetDeliveries.Event("C2B3F1D0-FREEZE-WAVE", "Freeze",
            List.of("vm-web-01", "vm-web-02", "vm-web-03", "vm-web-04", "vm-web-05", "vm-web-06"), NOW.plus(12, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS));
    static final FleetDeliveries.Event REBOOT = new FleetDeliveries.Event("8E1A77C4-REBOOT-DB", "Reboot",
            List.of("vm-db-01", "vm-db-02"), NOW.plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
    static final FleetDeliveries.Event REDEPLOY = new FleetDeliveries.Event("5F0C2A91-REDEPLOY-APP", "Redeploy",
            List.of("vm-app-03"), NOW.minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS));
    static final FleetDeliveries.Event PREEMPT = new FleetDeliveries.Event("1D9E0B33-PREEMPT-SPOT", "Preempt",
            List.of("spot-09"), NOW.minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
    static final FleetDeliveries.Event CANCELED = new FleetDeliveries.Event("A4C6E812-REBOOT-CANCELED", "Reboot",
            List.of("vm-app-01"), NOW.plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));

    @TempDir
    static Path dir;
    static FakeArm arm;
    static TestResponder responder;
    static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)),
                CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install chromium chromium-driver), or leave "
                        + "the browser tests out with -Dbrowser.skip=true (README)");
        // Azure (the managed identity and ARM) on loopback: approving never leaves this machine
        arm = FakeArm.start();
        TestResponder.Builder builder = TestResponder.jar(dir).setting("responder.page.refresh", "1000");
        arm.env().forEach(builder::env);
        responder = builder.start();
        deliver(fleet());
        browser = browser(dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (responder != null) {
            responder.close();
        }
        if (arm != null) {
            arm.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(responder.uri("/").toString());
        browser.manage().deleteAllCookies();
    }

    /** Debian's Chromium, headless, its own driver: nothing is downloaded, nothing leaves loopback. */
    static ChromeDriver browser(Path profile) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--force-color-profile=srgb", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        // an alert is left open for the test to find, not dismissed by the driver
        options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).withLogOutput(System.err).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(15));
        return driver;
    }

    /** A small fleet: a Freeze of six web VMs (four agents and the platform), a Reboot, one in progress, two done. */
    static List<ObjectNode> fleet() {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String vm = "vm-web-0" + i;
            // each VM its own eventTime: the store keeps one platform report per event, status and time (its
            // fleet_report_once key names no VM for the platform's reports), so equal times would lose VMs
            events.add(FleetDeliveries.platformEvent(FREEZE, vm, "rg-web", "Scheduled", NOW.plusMillis(i)));
            if (i <= 4) {
                events.add(FleetDeliveries.agentEvent(FREEZE, vm, "rg-web", "Scheduled", NOW));
            }
        }
        events.add(FleetDeliveries.agentEvent(REBOOT, "vm-db-01", "rg-data", "Scheduled", NOW));
        events.add(FleetDeliveries.agentEvent(REBOOT, "vm-db-02", "rg-data", "Scheduled", NOW));
        events.add(FleetDeliveries.agentEvent(REDEPLOY, "vm-app-03", "rg-app", "Scheduled", NOW.minusSeconds(900)));
        events.add(FleetDeliveries.agentEvent(REDEPLOY, "vm-app-03", "rg-app", "Started", NOW));
        events.add(FleetDeliveries.platformEvent(PREEMPT, "spot-09", "rg-batch", "Scheduled", NOW.minusSeconds(11000)));
        events.add(FleetDeliveries.platformEvent(PREEMPT, "spot-09", "rg-batch", "Started", NOW.minusSeconds(10800)));
        events.add(FleetDeliveries.platformEvent(PREEMPT, "spot-09", "rg-batch", "Completed", NOW.minusSeconds(10700)));
        events.add(FleetDeliveries.agentEvent(CANCELED, "vm-app-01", "rg-app", "Scheduled", NOW.minusSeconds(600)));
        events.add(FleetDeliveries.agentEvent(CANCELED, "vm-app-01", "rg-app", "Canceled", NOW.minusSeconds(300)));
        return events;
    }

    static void deliver(List<ObjectNode> events) {
        HttpResponse<String> answer = responder.deliver(FleetDeliveries.batch(events.toArray(ObjectNode[]::new)));
        assertEquals(200, answer.statusCode(), answer.body());
    }

    static void signIn() {
        browser.get(responder.uri("/").toString());
        await("the sign-in form", () -> browser.findElement(By.id("signin-view")).isDisplayed());
        browser.findElement(By.id("signin-name")).sendKeys(OPERATOR);
        browser.findElement(By.id("signin-token")).sendKeys(TestResponder.TOKEN);
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        await("the fleet after signing in", () -> shownIds().contains(FREEZE.eventId()));
    }

    static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The data-event-id of each upcoming event card, in page order. */
    @SuppressWarnings("unchecked")
    static List<String> shownIds() {
        Object ids = js("return Array.from(document.querySelectorAll('#upcoming .event'))"
                + ".map(e => e.getAttribute('data-event-id'));");
        return ids == null ? List.of() : (List<String>) ids;
    }

    static String cardText(String eventId) {
        return (String) js("const c = Array.from(document.querySelectorAll('.event'))"
                + ".find(e => e.getAttribute('data-event-id') === arguments[0]); return c ? c.textContent : null;",
                eventId);
    }

    static void await(String what, Await.Condition condition) {
        Await.until(what, WAIT, condition, () -> "\npage text: " + js("return document.body.innerText;")
                + "\nresponder output:\n" + responder.output());
    }

    static void assertNoAlert() {
        try {
            String text = browser.switchTo().alert().getText();
            throw new AssertionError("an alert is open: " + text);
        } catch (NoAlertPresentException expected) {
            // none: as it should be
        }
    }

    @Test
    @Order(1)
    void screenshotsAtDesktopAndPhoneWidth() throws Exception {
        signIn();
        js("document.getElementById('recent').open = true;");
        Path target = Path.of("target");
        Files.createDirectories(target);
        // the whole page at desktop and phone width, and each one's first screen as one sees it (the desktop's is
        // docs/fleet-page.png, copied by hand)
        screenshot(target.resolve("fleet-page-desktop.png"), 1280, 0);
        screenshot(target.resolve("fleet-page.png"), 1280, 900);
        screenshot(target.resolve("fleet-page-phone.png"), 390, 844);
        screenshot(target.resolve("fleet-page-phone-full.png"), 390, 0);
        // the dark palette, as a browser set to dark shows it
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            screenshot(target.resolve("fleet-page-dark.png"), 1280, 900);
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    /** A screenshot {@code width} wide, {@code height} high (0: the whole page); the page must fit the width. */
    static void screenshot(Path png, int width, int height) throws Exception {
        browser.manage().window().setSize(new Dimension(width, height > 0 ? height : 900));
        if (height == 0) {
            long whole = (Long) js("return Math.ceil(document.documentElement.scrollHeight);");
            browser.manage().window().setSize(new Dimension(width, (int) Math.min(whole + 20, 5000)));
        }
        js("window.scrollTo(0, 0);");
        long scrollWidth = (Long) js("return document.documentElement.scrollWidth;");
        long viewport = (Long) js("return document.documentElement.clientWidth;");
        assertTrue(scrollWidth <= viewport, png + ": the page is wider than the window (" + scrollWidth + " > "
                + viewport + "): one would scroll sideways");
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(png) > 10_000, png + " is empty");
    }

    @Test
    @Order(2)
    void anUnauthenticatedVisitGetsTheSignInFormAndNoFleetData() throws Exception {
        browser.get(responder.uri("/").toString());
        await("the sign-in form", () -> browser.findElement(By.id("signin-view")).isDisplayed());
        assertFalse(browser.findElement(By.id("fleet-view")).isDisplayed());
        String page = browser.getPageSource();
        for (String secret : new String[] {FREEZE.eventId(), "vm-web-01", "rg-data", FleetDeliveries.SUBSCRIPTION}) {
            assertFalse(page.contains(secret), "fleet data in the signed-out page: " + secret);
        }
        Object status = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[0];"
                + "fetch('/api/events').then(r => done(r.status), e => done('error ' + e));");
        assertEquals(401L, status, "the API in the signed-out browser");
        assertEquals(401, responder.get("/api/events").statusCode());
    }

    @Test
    @Order(3)
    void aWrongTokenShowsTheFormAgainWithAnError() {
        browser.get(responder.uri("/").toString());
        await("the sign-in form", () -> browser.findElement(By.id("signin-view")).isDisplayed());
        browser.findElement(By.id("signin-name")).sendKeys("Mallory");
        browser.findElement(By.id("signin-token")).sendKeys("not-the-token");
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        await("the error line", () -> browser.findElement(By.id("signin-error")).isDisplayed());
        assertTrue(browser.findElement(By.id("signin-view")).isDisplayed());
        assertFalse(browser.getPageSource().contains(FREEZE.eventId()));
        assertTrue(browser.manage().getCookies().isEmpty(), "a cookie for a wrong token");
    }

    @Test
    @Order(4)
    void theEventsAreShownSoonestFirstWithTheirVmsSourcesAndWhoIsSignedIn() {
        signIn();
        assertEquals("Signed in as " + OPERATOR, browser.findElement(By.id("user")).getText());
        List<String> ids = shownIds();
        assertEquals(List.of(REDEPLOY.eventId(), FREEZE.eventId(), REBOOT.eventId()),
                ids.subList(0, 3), "soonest NotBefore first: " + ids);

        WebElement freeze = card(FREEZE.eventId());
        assertEquals("Freeze", freeze.findElement(By.cssSelector(".event-type")).getText());
        assertEquals("Scheduled", freeze.findElement(By.cssSelector(".event-status")).getText());
        assertTrue(freeze.findElement(By.cssSelector(".meaning")).getText().contains("paused"));
        assertTrue(freeze.findElement(By.cssSelector(".countdown")).getText().startsWith("starts in 1"),
                freeze.findElement(By.cssSelector(".countdown")).getText());
        assertEquals("agent, platform", freeze.findElement(By.cssSelector(".sources-value")).getText());
        assertTrue(freeze.getAttribute("class").contains("many"), "six VMs at once stand out");
        List<WebElement> rows = freeze.findElements(By.cssSelector(".vm-row"));
        assertEquals(6, rows.size());
        WebElement first = freeze.findElement(By.cssSelector(".vm-row[data-vm='vm-web-01']"));
        assertEquals("rg-web", first.findElement(By.cssSelector(".vm-rg")).getText());
        assertEquals(FleetDeliveries.SUBSCRIPTION, first.findElement(By.cssSelector(".vm-sub")).getText());
        assertTrue(first.findElement(By.cssSelector(".vm-status")).getText().startsWith("Scheduled"));
        assertEquals("no agent report", freeze.findElement(By.cssSelector(".vm-row[data-vm='vm-web-06'] .vm-status"))
                .getText(), "vm-web-06 runs no agent: only the platform reports it");
        assertEquals("rg-web", freeze.findElement(By.cssSelector(".vm-row[data-vm='vm-web-06'] .vm-rg")).getText());
        assertTrue(freeze.findElement(By.cssSelector(".approval")).getText().startsWith("Not approved"));
        assertTrue(freeze.findElement(By.cssSelector("button.approve")).isDisplayed());

        WebElement redeploy = card(REDEPLOY.eventId());
        assertEquals("Started", redeploy.findElement(By.cssSelector(".event-status")).getText());
        assertTrue(redeploy.findElements(By.cssSelector("button.approve")).isEmpty(), "a Started event is no longer approved");

        // the timeline: the Freeze stands out, the in-progress Redeploy starts at "now"
        WebElement row = browser.findElement(By.cssSelector("#timeline .tl-row[data-event-id='" + FREEZE.eventId()
                + "']"));
        assertTrue(row.getAttribute("class").contains("many"));
        assertTrue(browser.findElement(By.cssSelector("#timeline .tl-row[data-event-id='" + REBOOT.eventId() + "']"))
                .isDisplayed());

        // completed and canceled: below, folded
        WebElement recent = browser.findElement(By.id("recent"));
        assertNull(recent.getAttribute("open"), "the recent events are folded");
        assertNotNull(cardText(PREEMPT.eventId()), "the completed Preempt");
        assertNotNull(cardText(CANCELED.eventId()), "the canceled Reboot");
        assertFalse(ids.contains(PREEMPT.eventId()) || ids.contains(CANCELED.eventId()), "done events are not upcoming");
    }

    @Test
    @Order(5)
    void theCountdownMoves() {
        signIn();
        String before = card(FREEZE.eventId()).findElement(By.cssSelector(".countdown")).getText();
        await("the countdown to move from '" + before + "'", () -> {
            String now = (String) js("const c = Array.from(document.querySelectorAll('#upcoming .event'))"
                    + ".find(e => e.getAttribute('data-event-id') === arguments[0]);"
                    + "return c.querySelector('.countdown').textContent;", FREEZE.eventId());
            return now.startsWith("starts in") && !now.equals(before);
        });
    }

    @Test
    @Order(6)
    void filtersWorkAndSurviveAReload() {
        signIn();
        new Select(browser.findElement(By.id("filter-type"))).selectByValue("Reboot");
        await("only Reboots", () -> shownIds().equals(List.of(REBOOT.eventId())));
        assertTrue(browser.getCurrentUrl().contains("type=Reboot"), browser.getCurrentUrl());

        browser.navigate().refresh();
        await("only Reboots after a reload", () -> shownIds().equals(List.of(REBOOT.eventId())));
        assertEquals("Reboot", new Select(browser.findElement(By.id("filter-type"))).getFirstSelectedOption()
                .getAttribute("value"));

        browser.findElement(By.id("filter-clear")).click();
        await("every event again", () -> shownIds().size() >= 3);
        new Select(browser.findElement(By.id("filter-rg"))).selectByValue("rg-app");
        await("only rg-app", () -> shownIds().equals(List.of(REDEPLOY.eventId())));
        browser.findElement(By.id("filter-clear")).click();
        browser.findElement(By.id("filter-vm")).sendKeys("web-05");
        await("only the event of vm-web-05", () -> shownIds().equals(List.of(FREEZE.eventId())));
        assertTrue(browser.getCurrentUrl().contains("vm=web-05"), browser.getCurrentUrl());

        // a shared link opens filtered
        browser.get(responder.uri("/?status=Started").toString());
        await("only Started events from the link", () -> shownIds().equals(List.of(REDEPLOY.eventId())));
        assertEquals("Started", new Select(browser.findElement(By.id("filter-status"))).getFirstSelectedOption()
                .getText());
    }

    @Test
    @Order(6)
    void aSharedLinkKeepsItsFiltersThroughSigningIn() {
        browser.get(responder.uri("/?type=Reboot").toString());
        await("the sign-in form", () -> browser.findElement(By.id("signin-view")).isDisplayed());
        browser.findElement(By.id("signin-name")).sendKeys(OPERATOR);
        browser.findElement(By.id("signin-token")).sendKeys("a wrong token first");
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        await("the error line", () -> browser.findElement(By.id("signin-error")).isDisplayed());
        browser.findElement(By.id("signin-name")).sendKeys(OPERATOR);
        browser.findElement(By.id("signin-token")).sendKeys(TestResponder.TOKEN);
        browser.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        await("only Reboots after signing in", () -> shownIds().equals(List.of(REBOOT.eventId())));
        assertTrue(browser.getCurrentUrl().endsWith("/?type=Reboot"), browser.getCurrentUrl());
    }

    @Test
    @Order(7)
    void aNewDeliveryAppearsWithoutAReload() {
        signIn();
        js("window.notReloaded = true;");
        FleetDeliveries.Event late = new FleetDeliveries.Event("77D0E3A2-LATE-REBOOT", "Reboot", List.of("vm-late-01"),
                Instant.now().plus(40, ChronoUnit.MINUTES));
        deliver(List.of(FleetDeliveries.agentEvent(late, "vm-late-01", "rg-late", "Scheduled", Instant.now())));
        await("the new event on the page", () -> shownIds().contains(late.eventId()));
        assertEquals(Boolean.TRUE, js("return window.notReloaded === true;"), "the page was reloaded");
        assertTrue(browser.findElement(By.id("heard")).getText().startsWith("Updated"),
                browser.findElement(By.id("heard")).getText());
    }

    @Test
    @Order(8)
    void aHostileEventShowsAsTextAndRunsNoScript() throws Exception {
        List<String> attacked = Collections.synchronizedList(new ArrayList<>());
        HttpServer attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        attacker.createContext("/", exchange -> {
            attacked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        attacker.start();
        try {
            String evil = "http://127.0.0.1:" + attacker.getAddress().getPort();
            String hostile = Files.readString(Fixtures.EVENTGRID.resolve("hostile/script-in-every-field.json"),
                    StandardCharsets.UTF_8)
                    .replace("src=x", "src=" + evil + "/img")
                    .replace("<svg onload=alert(2)>", "<svg onload=alert(2)><img src='" + evil + "/vm'>")
                    .replace("{{7*7}}", "{{7*7}}<img src=\\\"" + evil + "/description\\\">"
                            + "<script src=\\\"" + evil + "/script.js\\\"></script>");
            HttpResponse<String> stored = responder.deliver(hostile);
            assertEquals(200, stored.statusCode(), stored.body());
            String id = "\"><script>alert(document.cookie)</script>";

            signIn();
            await("the hostile event on the page", () -> shownIds().contains(id));
            String text = cardText(id);
            assertTrue(text.contains("<script>fetch('/api/events',{method:'DELETE'})</script>"), text);
            assertTrue(text.contains("<svg onload=alert(2)>"), text);
            assertTrue(text.contains(evil + "/description"), "the URL is shown as text: " + text);
            Object elements = js("return document.querySelectorAll('main img, main svg, main script, main iframe')"
                    + ".length;");
            assertEquals(0L, elements, "event text became elements");
            // the approve dialog names the VMs as text too
            clickInCard(id, "button.approve");
            await("the confirmation", () -> browser.findElement(By.id("approve-dialog")).isDisplayed());
            assertTrue(browser.findElement(By.id("approve-vms")).getText().contains("<svg onload=alert(2)>"));
            assertEquals(0L, js("return document.querySelectorAll('dialog img, dialog svg, dialog script').length;"));
            browser.findElement(By.id("approve-cancel")).click();

            assertNoAlert();
            assertNull(js("return window.pwned;"));
            assertEquals(List.of(), attacked, "the page made requests the payload asked for");
        } finally {
            attacker.stop(0);
        }
    }

    @Test
    @Order(9)
    void approveNowCallsAzureWithTheManagedIdentitysTokenAndThePageShowsWhoApproved() throws Exception {
        signIn();
        clickInCard(FREEZE.eventId(), "button.approve");
        await("the confirmation", () -> browser.findElement(By.id("approve-dialog")).isDisplayed());
        String named = browser.findElement(By.id("approve-vms")).getText();
        for (int i = 1; i <= 6; i++) {
            assertTrue(named.contains("vm-web-0" + i), "the confirmation names every VM it releases: " + named);
        }
        assertTrue(arm.acknowledges().isEmpty(), "Azure asked before the confirmation");
        browser.findElement(By.id("approve-confirm")).click();
        await("the answer in words", () -> browser.findElement(By.id("approve-result")).getAttribute("class")
                .contains("approved"));
        assertFalse(browser.findElement(By.id("approve-result")).getText().isBlank());
        screenshot(Path.of("target", "fleet-page-approved.png"), 1280, 900);

        // one acknowledge per VM, on its ARM path, with the identity's token
        List<FakeArm.Request> calls = arm.acknowledges();
        assertEquals(6, calls.size(), calls.toString());
        for (int i = 1; i <= 6; i++) {
            String path = ("/subscriptions/" + FleetDeliveries.SUBSCRIPTION + "/resourcegroups/rg-web/providers/"
                    + "Microsoft.Compute/virtualMachines/vm-web-0" + i + "/providers/Microsoft.Maintenance/"
                    + "scheduledevents/" + FREEZE.eventId() + "/acknowledge").toLowerCase(java.util.Locale.ROOT);
            assertTrue(calls.stream().anyMatch(c -> c.method().equals("POST")
                    && c.path().toLowerCase(java.util.Locale.ROOT).equals(path)
                    && c.query().equals("api-version=2023-10-01-preview")
                    && c.authorization().equals("Bearer " + arm.token())), path + " not in " + calls);
        }

        browser.findElement(By.id("approve-cancel")).click();
        await("who approved, on the card", () -> cardText(FREEZE.eventId()).contains("Approved by " + OPERATOR));
        assertNull(classInCard(FREEZE.eventId(), "button.approve"),
                "approved: no button any more");
        // and still after the next refresh, from the list
        browser.navigate().refresh();
        await("who approved, after a reload", () -> {
            String text = cardText(FREEZE.eventId());
            return text != null && text.contains("Approved by " + OPERATOR);
        });
    }

    @Test
    @Order(10)
    void aRefusalByAzureIsShownInWords() throws Exception {
        arm.answer("vm-db-01", 403);
        signIn();
        clickInCard(REBOOT.eventId(), "button.approve");
        await("the confirmation", () -> browser.findElement(By.id("approve-dialog")).isDisplayed());
        browser.findElement(By.id("approve-confirm")).click();
        await("the answer in words", () -> browser.findElement(By.id("approve-result")).getAttribute("class")
                .contains("failed"));
        String words = browser.findElement(By.id("approve-result")).getText();
        screenshot(Path.of("target", "fleet-page-approve-failed.png"), 390, 844);
        assertTrue(words.contains("vm-db-01") && words.contains("Microsoft.Maintenance/scheduledevents/acknowledge"),
                words);
        assertFalse(words.contains(arm.token()), "the token in the words");
        browser.findElement(By.id("approve-cancel")).click();
        await("the failure on the card", () -> String.valueOf(classInCard(REBOOT.eventId(), ".approval"))
                .contains("failed"));
        assertNotNull(classInCard(REBOOT.eventId(), "button.approve"),
                "a failed approval may be tried again");
    }

    @Test
    @Order(11)
    void anEventOnManyVmsShowsItsFirstRowsAndTheRestOnAsking() throws Exception {
        signIn();
        List<String> names = new ArrayList<>();
        List<ObjectNode> reports = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            names.add(String.format("scale-web-%02d", i));
        }
        FleetDeliveries.Event wave = new FleetDeliveries.Event("3B7C9D10-SCALE-SET-REBOOT", "Reboot", names,
                Instant.now().plus(90, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS));
        for (String name : names) {
            reports.add(FleetDeliveries.agentEvent(wave, name, "rg-scale", "Scheduled", Instant.now()));
        }
        deliver(reports);
        await("the 30 VMs' event", () -> shownIds().contains(wave.eventId()));
        assertEquals(30, card(wave.eventId()).findElements(By.cssSelector(".vm-row")).size());
        assertEquals(List.of("scale-web-00", "scale-web-07"), firstAndLastShown(wave.eventId()));
        assertEquals("Show all 30 VMs", card(wave.eventId()).findElement(By.cssSelector("button.vm-fold")).getText());

        clickInCard(wave.eventId(), "button.vm-fold");
        await("all 30 rows", () -> shownRows(wave.eventId()).size() == 30);
        // a redraw (new data) keeps the list open
        FleetDeliveries.Event other = new FleetDeliveries.Event("6A2E4F80-REDRAW-FREEZE", "Freeze",
                List.of("vm-other-01"), Instant.now().plus(5, ChronoUnit.HOURS));
        deliver(List.of(FleetDeliveries.agentEvent(other, "vm-other-01", "rg-other", "Scheduled", Instant.now())));
        await("the redraw", () -> shownIds().contains(other.eventId()));
        assertEquals(30, shownRows(wave.eventId()).size(), "a redraw folded the list again");
        assertEquals("Show fewer", card(wave.eventId()).findElement(By.cssSelector("button.vm-fold")).getText());

        // a new page starts folded; a VM searched for is among the rows shown, first, even when it is the 28th
        browser.get(responder.uri("/?vm=web-27").toString());
        await("the searched event", () -> shownIds().equals(List.of(wave.eventId())));
        assertEquals(List.of("scale-web-27", "scale-web-06"), firstAndLastShown(wave.eventId()));
        screenshot(Path.of("target", "fleet-page-many-vms-phone.png"), 390, 0);
        clickInCard(wave.eventId(), "button.vm-fold");
        await("all 30 rows again", () -> shownRows(wave.eventId()).size() == 30);
        clickInCard(wave.eventId(), "button.vm-fold");
        await("folded by Show fewer", () -> shownRows(wave.eventId()).size() == 8);
    }

    @Test
    @Order(12)
    void aVmThePlatformReportedThroughItsScaleSetNamesTheScaleSet() throws Exception {
        signIn();
        // Azure's own topic, published on scale set web-vmss for its instances web-vmss_3 and web-vmss_7
        HttpResponse<String> answer = responder.deliver(
                Files.readString(Fixtures.EVENTGRID.resolve("platform/vmss-freeze-scheduled.json")));
        assertEquals(200, answer.statusCode(), answer.body());
        String id = "5E0F3C2A-1B7D-4C55-9D1E-8A6B2F40C3D7";
        await("the scale set's event", () -> shownIds().contains(id));
        for (String vm : List.of("web-vmss_3", "web-vmss_7")) {
            WebElement set = card(id).findElement(By.cssSelector(".vm-row[data-vm='" + vm + "'] .vm-scale-set"));
            assertEquals("scale set web-vmss", set.getText());
            assertTrue(set.getAttribute("title").endsWith("/virtualMachineScaleSets/web-vmss"),
                    set.getAttribute("title"));
        }
        assertTrue(card(FREEZE.eventId()).findElements(By.cssSelector(".vm-scale-set")).isEmpty(),
                "a VM reported on its own names no scale set");
    }

    /** The data-vm of each VM row of the event's card that is displayed, in page order. */
    @SuppressWarnings("unchecked")
    static List<String> shownRows(String eventId) {
        Object names = js("const c = Array.from(document.querySelectorAll('.event'))"
                + ".find(e => e.getAttribute('data-event-id') === arguments[0]); return c ? Array.from("
                + "c.querySelectorAll('.vm-row')).filter(r => r.offsetParent !== null)"
                + ".map(r => r.getAttribute('data-vm')) : [];", eventId);
        return names == null ? List.of() : (List<String>) names;
    }

    static List<String> firstAndLastShown(String eventId) {
        List<String> shown = shownRows(eventId);
        assertEquals(8, shown.size(), "rows shown: " + shown);
        return List.of(shown.get(0), shown.get(shown.size() - 1));
    }

    @Test
    @Order(100)
    void theFreshnessLineTurnsStaleWhenTheResponderStopsAnswering() {
        signIn();
        await("'Updated N s ago'", () -> browser.findElement(By.id("heard")).getText().startsWith("Updated"));
        assertFalse(browser.findElement(By.id("heard")).getAttribute("class").contains("stale"));
        // last: the responder is gone for good (refresh 1 s: stale after 3 s without an answer)
        responder.kill9();
        await("the stale mark", () -> browser.findElement(By.id("heard")).getAttribute("class").contains("stale"));
        assertTrue(browser.findElement(By.id("heard")).getText().startsWith("No answer for"),
                browser.findElement(By.id("heard")).getText());
        assertTrue(shownIds().contains(FREEZE.eventId()), "the last data stays on the page, marked stale");
    }

    /** The event's card, found in one step (the page redraws when the data changes). */
    static WebElement card(String eventId) {
        Object card = js("return Array.from(document.querySelectorAll('.event'))"
                + ".find(e => e.getAttribute('data-event-id') === arguments[0]) || null;", eventId);
        if (card == null) {
            throw new AssertionError("no event card " + eventId + " in " + shownIds());
        }
        return (WebElement) card;
    }

    /** Clicks {@code css} in the event's card, again if the page redrew it in between. */
    static void clickInCard(String eventId, String css) {
        await("a click on " + css + " of " + eventId, () -> {
            try {
                card(eventId).findElement(By.cssSelector(css)).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    /** The class of {@code css} in the event's card, or null when there is none; in one step. */
    static String classInCard(String eventId, String css) {
        return (String) js("const c = Array.from(document.querySelectorAll('.event'))"
                + ".find(e => e.getAttribute('data-event-id') === arguments[0]);"
                + "const e = c ? c.querySelector(arguments[1]) : null; return e ? e.className : null;", eventId, css);
    }

    static void assertNotNull(Object value, String what) {
        assertTrue(value != null, what + " is missing");
    }
}
