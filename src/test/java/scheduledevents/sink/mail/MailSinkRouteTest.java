package scheduledevents.sink.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.Ports;
import scheduledevents.testing.TestAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The mail sink's route (routes/43-sink-mail.yaml) against a real SMTP server (GreenMail) and the IMDS simulator. */
class MailSinkRouteTest {
    static final Path INJECTION = Fixtures.MALFORMED.resolve("injection-attempt.json");

    @TempDir
    Path state;
    ImdsSimulator imds;
    GreenMail smtp;
    int smtpPort;
    TestAgent agent;

    @BeforeEach
    void start() throws Exception {
        imds = new ImdsSimulator().start();
        smtpPort = Ports.free();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        smtp.stop();
        imds.close();
    }

    private TestAgent startAgent(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new java.util.LinkedHashMap<>(Map.of(
                "agent.sinks", "mail",
                "agent.mail.host", "127.0.0.1",
                "agent.mail.port", String.valueOf(smtpPort),
                "agent.mail.starttls", "false",
                "agent.mail.from", "Scheduled Events <agent@example.com>",
                "agent.mail.to", "ops@example.com"));
        settings.putAll(extra);
        agent = TestAgent.inProcess(state).against(imds).setting("agent.state.dir", state.toString())
                .settings(settings).start();
        return agent;
    }

    @Test
    void eachTransitionYieldsExactlyOneMailWithSubjectHtmlAndPlainText() throws Exception {
        smtp.start();
        Instant notBefore = Instant.now().plus(Duration.ofMinutes(14)).plusSeconds(20);
        SimEvent reboot = SimEvent.scheduled("A1B2-reboot", "Reboot", notBefore, "myvm");
        imds.setEvents(List.of(reboot));
        startAgent(Map.of());

        agent.await("the Scheduled mail", () -> smtp.getReceivedMessages().length == 1);
        imds.setEvents(List.of(reboot.started()));
        agent.await("the Started mail", () -> smtp.getReceivedMessages().length == 2);
        imds.setEvents(List.of());
        agent.await("the Completed mail", () -> smtp.getReceivedMessages().length == 3);
        agent.await("three deliveries", () -> agent.count("agent.sink.deliveries", "mail") == 3);

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(3, mails.length, "one mail per transition, no repeat");
        String when = java.time.format.DateTimeFormatter.ofPattern("EEE HH:mm 'UTC'", java.util.Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(notBefore.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertEquals("[Scheduled] Reboot of myvm in 14 min (" + when + ")", mails[0].getSubject());
        assertEquals("[Started] Reboot of myvm", mails[1].getSubject());
        assertEquals("[Completed] Reboot of myvm", mails[2].getSubject());

        MimeMessage first = mails[0];
        assertEquals("ops@example.com", only(first.getAllRecipients()));
        assertEquals("agent@example.com", ((jakarta.mail.internet.InternetAddress) first.getFrom()[0]).getAddress());
        assertTrue(first.getContentType().startsWith("multipart/alternative"), first.getContentType());
        MimeMultipart parts = (MimeMultipart) first.getContent();
        assertEquals(2, parts.getCount());
        String plain = (String) part(parts, "text/plain").getContent();
        String html = (String) part(parts, "text/html").getContent();
        assertTrue(plain.contains("The VM will be restarted"), plain);
        assertTrue(plain.contains("Expected impact:  unknown"), "DurationInSeconds -1 reads as unknown: " + plain);
        assertTrue(plain.contains("Source:           Platform"), plain);
        assertTrue(plain.contains("\"EventId\" : \"A1B2-reboot\""), "the raw event: " + plain);
        assertTrue(html.contains("<a href=\"https://portal.azure.com/#resource/subscriptions/"), html);
        assertTrue(html.contains("not before"), html);
    }

    @Test
    void theInjectionFixtureAddsNoHeaderNoRecipientAndNoRawScript() throws Exception {
        smtp.start();
        imds.setDocument(Files.readString(INJECTION));
        startAgent(Map.of());

        agent.await("the mail", () -> smtp.getReceivedMessages().length >= 1);
        agent.await("the delivery", () -> agent.count("agent.sink.deliveries", "mail") == 1);
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(1, mails.length, "GreenMail delivers one copy per recipient: an injected Bcc would make two");
        MimeMessage mail = mails[0];
        assertEquals("ops@example.com", only(mail.getAllRecipients()));
        assertEquals(null, mail.getHeader("Bcc"));
        assertEquals(1, mail.getHeader("Subject").length);
        assertFalse(mail.getSubject().contains("injected"), mail.getSubject());

        String source = source(mail);
        String headers = source.substring(0, source.indexOf("\r\n\r\n"));
        List<String> names = new ArrayList<>();
        for (Header h : Collections.list(mail.getAllHeaders())) {
            names.add(h.getName().toLowerCase(java.util.Locale.ROOT));
        }
        assertFalse(names.contains("bcc"), names.toString());
        assertEquals(1, Collections.frequency(names, "subject"), names.toString());
        assertFalse(headers.contains("attacker@example.com"), headers);
        assertFalse(headers.toLowerCase(java.util.Locale.ROOT).contains("subject: injected"), headers);

        MimeMultipart parts = (MimeMultipart) mail.getContent();
        String html = (String) part(parts, "text/html").getContent();
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        String plain = (String) part(parts, "text/plain").getContent();
        assertTrue(plain.contains("Bcc: attacker@example.com"), "the event id is shown as text in the body");
    }

    @Test
    void anSmtpOutageFollowedByRecoveryLosesNothing() throws Exception {
        // the relay is down: nothing listens on the port
        Instant notBefore = Instant.now().plus(Duration.ofMinutes(30));
        imds.setEvents(List.of(SimEvent.scheduled("outage-1", "Freeze", notBefore, "myvm"),
                SimEvent.scheduled("outage-2", "Redeploy", notBefore, "myvm")));
        startAgent(Map.of());
        agent.await("failed attempts while the relay is down",
                () -> agent.count("agent.sink.retries", "mail") >= 3);
        assertEquals(0, agent.count("agent.sink.deliveries", "mail"));

        smtp.start();
        agent.await("both mails after recovery", () -> agent.count("agent.sink.deliveries", "mail") == 2);
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertEquals(2, mails.length);
        List<String> subjects = Arrays.stream(mails).map(MailSinkRouteTest::subject).sorted().toList();
        assertTrue(subjects.get(0).startsWith("[Scheduled] Freeze of myvm in 30 min"), subjects.toString());
        assertTrue(subjects.get(1).startsWith("[Scheduled] Redeploy of myvm in 30 min"), subjects.toString());
        assertFalse(Files.exists(state.resolve("dead-letter/mail.jsonl")), "nothing dead-lettered");
    }

    @Test
    void onlyTheChosenStatusesAreMailed() throws Exception {
        smtp.start();
        SimEvent freeze = SimEvent.scheduled("digest-1", "Freeze", Instant.now().plusSeconds(900), "myvm");
        imds.setEvents(List.of(freeze));
        startAgent(Map.of("agent.mail.statuses", "Scheduled"));
        agent.await("the Scheduled mail", () -> smtp.getReceivedMessages().length == 1);
        imds.setEvents(List.of(freeze.started()));
        agent.await("the Started record taken off the queue", () -> queueEmptyAfter(2));
        imds.setEvents(List.of());
        agent.await("the Completed record taken off the queue", () -> queueEmptyAfter(3));
        assertEquals(1, smtp.getReceivedMessages().length, "Started and Completed are not mailed");
        assertTrue(smtp.getReceivedMessages()[0].getSubject().startsWith("[Scheduled] Freeze of myvm"));
    }

    /** True once {@code n} records went through the mail queue (delivered or skipped) and it is empty. */
    private boolean queueEmptyAfter(int n) {
        try {
            Path delivered = state.resolve("delivered/mail.dat");
            return Files.exists(delivered) && Files.readAllLines(delivered).size() == n
                    && Files.list(state.resolve("queue/mail")).findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String only(Address[] addresses) {
        assertEquals(1, addresses.length, Arrays.toString(addresses));
        return ((jakarta.mail.internet.InternetAddress) addresses[0]).getAddress();
    }

    static BodyPart part(MimeMultipart parts, String type) throws Exception {
        for (int i = 0; i < parts.getCount(); i++) {
            if (parts.getBodyPart(i).isMimeType(type)) {
                return parts.getBodyPart(i);
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    static String source(MimeMessage mail) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
