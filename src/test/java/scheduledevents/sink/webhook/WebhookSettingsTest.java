package scheduledevents.sink.webhook;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.TestSettings;

class WebhookSettingsTest {
    static WebhookSettings read(Map<String, String> values) {
        return WebhookSettings.read(TestSettings.reader(values));
    }

    @Test
    void aMissingOrBadUrlStopsStartUpWithoutRepeatingIt() {
        assertEquals("Invalid setting agent.webhook.url: must be set (AGENT_WEBHOOK_URL) to the endpoint's URL when "
                + "agent.sinks has webhook", assertThrows(InvalidSettingException.class, () -> read(Map.of())).getMessage());
        String message = assertThrows(InvalidSettingException.class,
                () -> read(Map.of("agent.webhook.url", "ftp://hooks.example.com/T0KEN"))).getMessage();
        assertTrue(message.startsWith("Invalid setting agent.webhook.url: must be an http:// or https:// URL"),
                message);
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

    /** Teams and Slack put the token in the path, others in the query: no part of a bad URL is repeated. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://hooks.example.com:99999/services/T0KEN?sig=T0KEN | port 99999 is outside 1-65535",
            "https://hooks.example.com:65536/services/T0KEN | port 65536 is outside 1-65535",
            "https://hooks.example.com:0/services/T0KEN | port 0 is outside 1-65535",
            "https://hooks.example.com:99999999999/services/T0KEN | port",
            "https://ops:T0KEN@hooks.example.com/services/x | user info",
            "https://hooks.example.com/services/T0KEN with a space | is not a valid URL",
            "mailto:T0KEN@example.com | must be an http:// or https:// URL",
            "https:///services/T0KEN | host",
            "https://hooks_T0KEN.example.com/x | host"})
    void aBadUrlIsRefusedAtStartWithoutRepeatingAnyPartOfIt(String url, String problem) {
        String message = assertThrows(InvalidSettingException.class, () -> read(Map.of("agent.webhook.url", url)))
                .getMessage();
        assertTrue(message.startsWith("Invalid setting agent.webhook.url: "), message);
        assertTrue(message.contains(problem), message);
        assertFalse(message.contains("T0KEN") || message.contains("services"), message);
    }

    @Test
    void urlsWithAPortInRangeAndAQueryAreAccepted() {
        assertEquals(65535, read(Map.of("agent.webhook.url", "https://hooks.example.com:65535/services/T0KEN?a=b"))
                .url().getPort());
        assertEquals(1, read(Map.of("agent.webhook.url", "http://127.0.0.1:1/T0KEN")).url().getPort());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Authorization Bearer s3cretTok | part 1 ",
            "X-A: 1; Authorization Bearer s3cretTok | part 2 ",
            "X-A: 1;; Authorization=Bearer s3cretTok: x | part 2 ",
            "s3cretTok | part 1 ",
            ": s3cretTok | part 1 "})
    void malformedHeadersAreRefusedWithoutShowingAnyPartOfThem(String headers, String where) {
        String message = assertThrows(InvalidSettingException.class, () -> WebhookSettings.headers(headers))
                .getMessage();
        assertTrue(message.startsWith("Invalid setting agent.webhook.headers: "), message);
        assertTrue(message.contains(where), message);
        assertTrue(message.contains("Name: value"), "says the expected form: " + message);
        assertFalse(message.contains("s3cretTok") || message.contains("Bearer"), message);
    }
}
