package scheduledevents.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.settings.InvalidSettingException;

/** ResponderSettings over the packaged defaults (responder/responder.properties) and overrides, as the runner reads them. */
class ResponderSettingsTest {
    @TempDir
    Path dir;

    private static ResponderSettings read(Map<String, String> overrides) {
        return ResponderSettings.read(ResponderRunner.lookup(null, overrides));
    }

    private static Map<String, String> withSecrets() {
        Map<String, String> m = new HashMap<>();
        m.put("responder.delivery-secret", "delivery-XYZ");
        m.put("responder.api-token", "token-XYZ");
        return m;
    }

    @Test
    void theDefaultsWithTheTwoSecretsAreAValidResponder() {
        ResponderSettings s = read(withSecrets());
        assertEquals(8080, s.port());
        assertEquals(1048576, s.maxBodySize());
        assertEquals("", s.databaseUrl());
        assertEquals(Path.of("data/responder"), s.dataDir());
        assertFalse(s.toString().contains("XYZ"), s.toString());
    }

    @Test
    void withoutTheDeliverySecretStartUpStopsWithOneLineNamingTheKey() {
        Map<String, String> m = withSecrets();
        m.remove("responder.delivery-secret");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(m));
        assertTrue(e.getMessage().startsWith("Invalid setting responder.delivery-secret: must be set"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void withoutTheApiTokenStartUpStops() {
        Map<String, String> m = withSecrets();
        m.put("responder.api-token", "   ");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(m));
        assertTrue(e.getMessage().startsWith("Invalid setting responder.api-token: must be set"), e.getMessage());
    }

    @Test
    void secretsComeFromFilesWhenTheKeyIsEmpty() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "from-file-secret\n", StandardCharsets.UTF_8);
        Path token = Files.writeString(dir.resolve("token"), "from-file-token", StandardCharsets.UTF_8);
        Path password = Files.writeString(dir.resolve("pw"), "from-file-pw\r\n", StandardCharsets.UTF_8);
        Map<String, String> m = new HashMap<>();
        m.put("responder.delivery-secret-file", secret.toString());
        m.put("responder.api-token-file", token.toString());
        m.put("responder.db.password-file", password.toString());
        ResponderSettings s = read(m);
        assertEquals("from-file-secret", s.deliverySecret());
        assertEquals("from-file-token", s.apiToken());
        assertEquals("from-file-pw", s.databasePassword());
    }

    @Test
    void anUnreadableSecretFileIsNamedByItsKey() {
        Map<String, String> m = withSecrets();
        m.remove("responder.delivery-secret");
        m.put("responder.delivery-secret-file", dir.resolve("missing").toString());
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(m));
        assertTrue(e.getMessage().startsWith("Invalid setting responder.delivery-secret-file: cannot read"),
                e.getMessage());
    }

    @Test
    void aBadDatabaseUrlIsRefusedWithoutShowingIt() {
        Map<String, String> m = withSecrets();
        m.put("responder.db.url", "postgres://admin:hunter2@db:5432/x");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(m));
        assertTrue(e.getMessage().startsWith("Invalid setting responder.db.url"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aBadPortIsOneLine() {
        Map<String, String> m = withSecrets();
        m.put("responder.port", "99999");
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read(m));
        assertEquals("Invalid setting responder.port: must be between 1 and 65535, got 99999", e.getMessage());
    }

    /** STANDARDS: every key of the settings file with a one-line comment right above it. */
    @Test
    void everyKeyOfResponderPropertiesHasAComment() throws IOException {
        Path file = Fixtures.PROJECT_ROOT.resolve("responder/responder.properties");
        String previous = "";
        Pattern key = Pattern.compile("^([a-z][a-z0-9.-]*)\\s*=.*");
        int keys = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = key.matcher(line);
            if (m.matches()) {
                keys++;
                assertTrue(previous.startsWith("# "), m.group(1) + " has no comment line above it");
            }
            previous = line;
        }
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        assertEquals(props.size(), keys);
    }
}
