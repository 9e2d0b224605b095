package scheduledevents.sink.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scheduledevents.settings.InvalidSettingException;

/** What the mail sink's settings say when they are wrong: the key and the problem, never a secret. */
class MailSettingsTest {
    private static String failure(Map<String, String> extra) {
        Map<String, String> values = MailComposerTest.settings();
        values.putAll(extra);
        return assertThrows(InvalidSettingException.class, () -> MailComposerTest.read(values)).getMessage();
    }

    /** A portal URL is not meant to hold a secret, but one given with credentials or a query is not repeated. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://admin:S3CRET@portal.azure.com | user info",
            "https://portal.azure.com/?token=S3CRET | query",
            "https://portal.azure.com/S3CRET | without a path",
            "https://portal.azure.com:99999 | port 99999 is outside 1-65535",
            "http://portal.azure.com | must be an https:// URL"})
    void aBadPortalUrlIsRefusedWithoutRepeatingIt(String url, String problem) {
        String message = failure(Map.of("agent.mail.portal-url", url));
        assertTrue(message.startsWith("Invalid setting agent.mail.portal-url: "), message);
        assertTrue(message.contains(problem), message);
        assertFalse(message.contains("S3CRET") || message.contains("portal.azure"), message);
    }

    @Test
    void theShippedPortalUrlsAreAccepted() {
        Map<String, String> values = MailComposerTest.settings();
        assertEquals("https://portal.azure.com", MailComposerTest.read(values).portalUrl());
        values.put("agent.mail.portal-url", "https://portal.azure.us");
        assertEquals("https://portal.azure.us", MailComposerTest.read(values).portalUrl());
    }

    @Test
    void aPasswordIsNeverPartOfAMessage() {
        String message = failure(Map.of("agent.mail.username", "agent", "agent.mail.password", "hunter2-S3CRET",
                "agent.mail.starttls", "false"));
        assertTrue(message.startsWith("Invalid setting agent.mail.starttls: "), message);
        assertFalse(message.contains("S3CRET"), message);
        message = failure(Map.of("agent.mail.password", "hunter2-S3CRET", "agent.mail.port", "hunter2-S3CRET"));
        assertTrue(message.startsWith("Invalid setting agent.mail.port: "), message);
    }
}
