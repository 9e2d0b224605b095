package scheduledevents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsReaderTest {
    private static SettingsReader reader(String key, String value) {
        return new SettingsReader(Map.of(key, value)::get);
    }

    @Test
    void aValueThatIsNotSecretIsQuotedSafely() {
        InvalidSettingException e = assertThrows(InvalidSettingException.class,
                () -> reader("agent.mail.port", "58\u001b7").integer("agent.mail.port", 1, 65535));
        assertEquals("Invalid setting agent.mail.port: must be a whole number, got '58\\u001b7'", e.getMessage());
    }

    /** Whatever check a key goes through, a key that names a secret never has its value repeated. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"agent.mail.password", "agent.eventgrid.key", "agent.webhook.url",
            "agent.webhook.headers", "agent.eventgrid.endpoint", "agent.some.token", "agent.other.secret"})
    void aSecretKeysValueIsNeverQuoted(String key) {
        SettingsReader s = reader(key, "hunter2-S3CRET");
        for (Runnable check : List.<Runnable>of(() -> s.integer(key, 1, 2), () -> s.bool(key),
                () -> s.oneOf(key, List.of("a", "b")))) {
            String message = assertThrows(InvalidSettingException.class, check::run).getMessage();
            assertTrue(message.startsWith("Invalid setting " + key + ": "), message);
            assertFalse(message.contains("S3CRET"), message);
        }
    }
}
