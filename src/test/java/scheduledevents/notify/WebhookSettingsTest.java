package scheduledevents.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import scheduledevents.config.InvalidSettingException;
import scheduledevents.config.SettingsReader;

class WebhookSettingsTest {
    static WebhookSettings read(Map<String, String> values) {
        return WebhookSettings.read(new SettingsReader(values::get, Notifications.DEFAULTS), true);
    }

    @Test
    void aMissingOrBadUrlStopsStartUpWithoutRepeatingIt() {
        assertEquals("Invalid setting agent.webhook.url: must be set (AGENT_WEBHOOK_URL) to the endpoint's URL when "
                + "agent.sinks has webhook", assertThrows(InvalidSettingException.class, () -> read(Map.of())).getMessage());
        String message = assertThrows(InvalidSettingException.class,
                () -> read(Map.of("agent.webhook.url", "ftp://hooks.example.com/T0KEN"))).getMessage();
        assertTrue(message.startsWith("Invalid setting agent.webhook.url: must be an https:// URL"), message);
        assertFalse(message.contains("T0KEN"), message);
        WebhookSettings ok = read(Map.of("agent.webhook.url", "https://hooks.example.com/services/T0KEN"));
        assertFalse(ok.toString().contains("T0KEN"), ok.toString());
        assertEquals("https://hooks.example.com/...", ok.endpointForLog());
    }

    @Test
    void headersAreCheckedWithoutShowingTheirValues() {
        assertEquals(Map.of("X-A", "1", "Authorization", "Bearer s3cret"),
                WebhookSettings.headers("X-A: 1; Authorization: Bearer s3cret"));
        String message = assertThrows(InvalidSettingException.class,
                () -> WebhookSettings.headers("Authorization: Bearer s3\u0007cret")).getMessage();
        assertFalse(message.contains("cret"), message);
        assertThrows(InvalidSettingException.class, () -> WebhookSettings.headers("Host: evil"));
        assertThrows(InvalidSettingException.class, () -> WebhookSettings.headers("no header name"));
    }

    @Test
    void defaultsAreTheValuesInApplicationProperties() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(reader);
        }
        Notifications.DEFAULTS.forEach((key, value) ->
                assertEquals(value, file.getProperty(key), "application.properties " + key));
        file.stringPropertyNames().stream().filter(k -> k.startsWith("agent.mail.") || k.startsWith("agent.webhook."))
                .forEach(k -> assertTrue(Notifications.DEFAULTS.containsKey(k), k + " has a default"));
    }
}
