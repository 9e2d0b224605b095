package scheduledevents.sink.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import scheduledevents.notification.Templates;
import scheduledevents.notification.TransitionView;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.TestSettings;

class MailComposerTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-12T16:31:00Z"), ZoneOffset.UTC);

    static Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("agent.mail.host", "smtp.example.com");
        s.put("agent.mail.from", "agent@example.com");
        s.put("agent.mail.to", "ops@example.com, oncall@example.com");
        return s;
    }

    static MailSettings read(Map<String, String> values) {
        return MailSettings.read(TestSettings.reader(values));
    }

    static String record(String type, String status, String notBeforeUtc, String vmName) {
        return "{\"EventId\":\"id-1\",\"EventType\":\"" + type + "\",\"Resources\":[\"myvm\"],\"EventStatus\":\""
                + status + "\",\"NotBeforeUtc\":" + (notBeforeUtc == null ? "null" : "\"" + notBeforeUtc + "\"")
                + ",\"DurationInSeconds\":9,\"EventSource\":\"Platform\",\"Description\":\"Host maintenance\","
                + "\"AffectsThisVm\":true,\"Vm\":{\"Name\":\"" + vmName + "\",\"ResourceId\":"
                + "\"/subscriptions/1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/myvm\"}}";
    }

    @Test
    void subjectNamesTypeStatusVmAndTimeLeft() throws Exception {
        MimeMessage mail = new MailComposer(read(settings()), CLOCK)
                .compose(record("Reboot", "Scheduled", "2026-11-12T16:45:00Z", "myvm"));
        assertEquals("[Scheduled] Reboot of myvm in 14 min (Thu 16:45 UTC)", mail.getSubject());
        assertEquals(2, mail.getRecipients(MimeMessage.RecipientType.TO).length);
    }

    @Test
    void aReturnedEventsSubjectSaysItIsBack() throws Exception {
        String back = record("Reboot", "Scheduled", "2026-11-12T16:45:00Z", "myvm").replace("{\"EventId\"",
                "{\"Occurrence\":2,\"EventId\"");
        MimeMessage mail = new MailComposer(read(settings()), CLOCK).compose(back);
        assertEquals("[Scheduled again] Reboot of myvm in 14 min (Thu 16:45 UTC)", mail.getSubject());
        Map<String, Object> view = TransitionView.of(back, CLOCK, "https://portal.azure.com");
        assertEquals(2, view.get("occurrence"));
        assertEquals(true, view.get("returned"));
        assertTrue(view.get("eventStatusExplained").toString().endsWith(
                "The event is back: it had been reported over (occurrence 2)."), view.get("eventStatusExplained").toString());
        assertEquals(false, TransitionView.of(record("Reboot", "Scheduled", null, "myvm"), CLOCK, "").get("returned"));
    }

    @Test
    void crLfInAnyFieldCannotAddAHeader() throws Exception {
        String evil = "Reboot\\r\\nBcc: attacker@example.com\\r\\nX-Evil: 1";
        MimeMessage mail = new MailComposer(read(settings()), CLOCK)
                .compose(record(evil, "Scheduled\\r\\nCc: a@example.com", null, "vm\\nReply-To: x@example.com"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        mail.writeTo(out);
        MimeMessage parsed = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(out.toByteArray()));
        assertEquals(null, parsed.getHeader("Bcc"));
        assertEquals(null, parsed.getHeader("X-Evil"));
        assertEquals(null, parsed.getHeader("Cc"));
        assertEquals(null, parsed.getHeader("Reply-To"));
        assertEquals(2, parsed.getAllRecipients().length);
        assertFalse(parsed.getSubject().contains("\n") || parsed.getSubject().contains("\r"));
        assertTrue(parsed.getSubject().contains("Bcc: attacker@example.com"), "shown as text: " + parsed.getSubject());
    }

    @Test
    void htmlIsEscapedAndTheTextPartIsNot() throws Exception {
        Map<String, Object> view = TransitionView.of(record("<b>Reboot</b>", "Started", null, "a&b"), CLOCK,
                "https://portal.azure.com");
        String html = Templates.load("k", java.nio.file.Path.of("templates/mail.html.mustache"),
                Templates.Escaping.HTML).render(view);
        assertFalse(html.contains("<b>Reboot</b>"), html);
        assertTrue(html.contains("&lt;b&gt;Reboot&lt;/b&gt; of a&amp;b"), html);
        String text = Templates.load("k", java.nio.file.Path.of("templates/mail.txt.mustache"),
                Templates.Escaping.TEXT).render(view);
        assertTrue(text.contains("<b>Reboot</b> of a&b"), text);
    }

    @Test
    void settingsAreCheckedOnlyWhenTheSinkIsEnabled() {
        Map<String, String> empty = new HashMap<>();
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(empty));
        assertEquals("Invalid setting agent.mail.host: must be set to the SMTP relay's name when agent.sinks has mail",
                e.getMessage());
        Map<String, String> noTo = settings();
        noTo.remove("agent.mail.to");
        assertTrue(assertThrows(InvalidSettingException.class, () -> read(noTo)).getMessage()
                .startsWith("Invalid setting agent.mail.to: must be set"));
        Map<String, String> clear = settings();
        clear.put("agent.mail.username", "agent");
        clear.put("agent.mail.password", "s3cret-pw");
        clear.put("agent.mail.starttls", "false");
        String message = assertThrows(InvalidSettingException.class, () -> read(clear)).getMessage();
        assertTrue(message.startsWith("Invalid setting agent.mail.starttls:"), message);
        assertFalse(message.contains("s3cret-pw"));
        clear.put("agent.mail.starttls", "true");
        assertFalse(read(clear).toString().contains("s3cret-pw"));
        Map<String, String> badTo = settings();
        badTo.put("agent.mail.to", "ops@example.com\r\nBcc: x@example.com");
        assertTrue(assertThrows(InvalidSettingException.class, () -> read(badTo)).getMessage()
                .startsWith("Invalid setting agent.mail.to:"));
    }
}
