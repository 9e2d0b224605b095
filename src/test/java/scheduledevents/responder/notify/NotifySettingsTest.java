package scheduledevents.responder.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;
import scheduledevents.settings.InvalidSettingException;

class NotifySettingsTest {
    static Map<String, String> both() {
        Map<String, String> s = new HashMap<>();
        s.put("responder.notify", "Mail, webhook");
        s.put("responder.mail.host", "smtp.example.com");
        s.put("responder.mail.from", "responder@example.com");
        s.put("responder.mail.to", "ops@example.com");
        s.put("responder.webhook.url", "https://hooks.example.com/services/T0KEN-s3cr3t");
        return s;
    }

    @Test
    void theShippedDefaultsNotifyNobodyAndRetryForAboutTwoDays() {
        NotifySettings s = NotifySettings.read(ResponderTestSettings.reader(Map.of()));
        assertEquals(Set.of(), s.channels());
        assertNull(s.mail());
        assertNull(s.webhook());
        assertEquals(List.of(), s.types());
        assertEquals(List.of(), s.statuses());
        assertEquals(new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), 48), s.retry());
    }

    @Test
    void everyKeyIsReadFromResponderKeysWithTheFleetTemplates() {
        Map<String, String> given = both();
        given.put("responder.notify.statuses", "scheduled, Canceled");
        given.put("responder.notify.types", "Freeze,Reboot");
        given.put("responder.mail.password", "pw-s3cr3t");
        given.put("responder.mail.username", "me");
        NotifySettings s = NotifySettings.read(ResponderTestSettings.reader(given));
        assertEquals(Set.of("mail", "webhook"), s.channels());
        assertEquals(List.of("Scheduled", "Canceled"), s.statuses());
        assertEquals(List.of("Freeze", "Reboot"), s.types());
        assertEquals("smtp.example.com", s.mail().host());
        assertEquals(587, s.mail().port());
        assertTrue(s.mail().starttls());
        assertEquals("fleet-webhook-json.json.mustache", s.webhook().template().getFileName().toString());
        assertEquals(List.of("Scheduled", "Started", "Completed", "Canceled"), s.mail().statuses().statuses(),
                "the outbox chooses the statuses; the sender takes all");
        assertFalse(s.toString().contains("s3cr3t"), s.toString());
    }

    @Test
    void errorsNameTheResponderKeysAndNeverTheSecrets() {
        Map<String, String> given = both();
        given.put("responder.notify", "mail,pager");
        assertNames("responder.notify", assertThrows(InvalidSettingException.class,
                () -> NotifySettings.read(ResponderTestSettings.reader(given))));

        Map<String, String> noHost = both();
        noHost.remove("responder.mail.host");
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> NotifySettings.read(ResponderTestSettings.reader(noHost)));
        assertNames("responder.mail.host", e);
        assertTrue(e.getMessage().contains("when responder.notify has mail"), e.getMessage());

        Map<String, String> badUrl = both();
        badUrl.put("responder.webhook.url", "ftp://hooks.example.com/T0KEN-s3cr3t");
        e = assertThrows(InvalidSettingException.class, () -> NotifySettings.read(ResponderTestSettings.reader(badUrl)));
        assertNames("responder.webhook.url", e);
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());

        Map<String, String> noPassword = both();
        noPassword.put("responder.mail.username", "me");
        e = assertThrows(InvalidSettingException.class,
                () -> NotifySettings.read(ResponderTestSettings.reader(noPassword)));
        assertTrue(e.getMessage().contains("RESPONDER_MAIL_PASSWORD"), e.getMessage());

        Map<String, String> backwards = both();
        backwards.put("responder.notify.retry.max-delay", "1000");
        assertNames("responder.notify.retry.max-delay", assertThrows(InvalidSettingException.class,
                () -> NotifySettings.read(ResponderTestSettings.reader(backwards))));
    }

    static void assertNames(String key, InvalidSettingException e) {
        assertTrue(e.getMessage().startsWith("Invalid setting " + key + ": "), e.getMessage());
    }

    @Test
    void everyKeyHasAOneLineCommentUnderTheNotificationsHeader() throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.PROJECT_ROOT.resolve("responder/responder.properties"));
        int header = lines.indexOf("## Notifications");
        assertTrue(header >= 0, "a ## Notifications section");
        for (int i = header + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.isBlank() && !line.startsWith("#")) {
                assertTrue(lines.get(i - 1).startsWith("# "), "no comment above " + line);
                assertTrue(line.startsWith("responder."), line);
            }
        }
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        RetryPolicy p = new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), 3);
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
                Duration.ofSeconds(240), Duration.ofMinutes(5), Duration.ofMinutes(5)),
                List.of(p.delayAfter(1), p.delayAfter(2), p.delayAfter(3), p.delayAfter(4), p.delayAfter(5),
                        p.delayAfter(1000)));
        assertFalse(p.exhausted(2));
        assertTrue(p.exhausted(3));
    }
}
