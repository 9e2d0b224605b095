package scheduledevents.sink.eventgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scheduledevents.app.AgentSettings;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.TestSettings;

class EventGridSettingsTest {
    private static final String SECRET = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
    private final Map<String, String> values = new HashMap<>();

    /** The values set by the test over the shipped application.properties. */
    private EventGridSettings read() {
        return AgentSettings.readEventGrid(TestSettings.with(values));
    }

    private String failure(String expectedKey) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> read());
        assertTrue(e.getMessage().startsWith("Invalid setting " + expectedKey + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        return e.getMessage();
    }

    @Test
    void enabledWithoutEndpointStopsStartUpNamingTheKey() {
        values.put("agent.eventgrid.key", SECRET);
        String message = failure("agent.eventgrid.endpoint");
        assertTrue(message.contains("AGENT_EVENTGRID_ENDPOINT"), message);
    }

    @Test
    void enabledWithoutKeyStopsStartUpAndSaysWhereTheKeyGoes() {
        values.put("agent.eventgrid.endpoint", "https://t.westeurope-1.eventgrid.azure.net/api/events");
        String message = failure("agent.eventgrid.key");
        assertTrue(message.contains("AGENT_EVENTGRID_KEY"), message);

        values.put("agent.eventgrid.auth", "sas");
        failure("agent.eventgrid.key");
    }

    @Test
    void managedIdentityNeedsNoKeyAndRefusesOne() {
        values.put("agent.eventgrid.endpoint", "https://t.westeurope-1.eventgrid.azure.net/api/events");
        values.put("agent.eventgrid.auth", "managed-identity");
        assertEquals(CredentialType.MANAGED_IDENTITY, read().auth());

        values.put("agent.eventgrid.key", SECRET);
        failure("agent.eventgrid.key");
    }

    @Test
    void plainHttpAndNonsenseAreRefusedInOneLine() {
        values.put("agent.eventgrid.key", SECRET);
        values.put("agent.eventgrid.endpoint", "http://t.westeurope-1.eventgrid.azure.net/api/events");
        assertTrue(failure("agent.eventgrid.endpoint").contains("https://"));

        values.put("agent.eventgrid.endpoint", "https://t.westeurope-1.eventgrid.azure.net/api/events");
        values.put("agent.eventgrid.schema", "xml");
        failure("agent.eventgrid.schema");

        values.put("agent.eventgrid.schema", "cloudevents");
        values.put("agent.eventgrid.auth", "password");
        failure("agent.eventgrid.auth");

        values.put("agent.eventgrid.auth", "key");
        values.put("agent.eventgrid.batch.max-events", "5001");
        failure("agent.eventgrid.batch.max-events");
    }

    /** An endpoint may carry a SAS in its query or credentials before its host: none of it is ever repeated. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://t.westeurope-1.eventgrid.azure.net/api/events?sig=SAS-S3CRET | https://",
            "https://t.westeurope-1.eventgrid.azure.net/api/events?sig=SAS-S3CRET | query",
            "https://t.westeurope-1.eventgrid.azure.net/api/events#SAS-S3CRET | query",
            "https://t.westeurope-1.eventgrid.azure.net/api/events?sig=SAS S3CRET | is not a valid URL",
            "https://user:SAS-S3CRET@t.westeurope-1.eventgrid.azure.net/api/events | user info",
            "https://t.westeurope-1.eventgrid.azure.net:99999/api/events?sig=SAS-S3CRET | port 99999 is outside",
            "https://t.westeurope-1.eventgrid.azure.net:0/api/events | port 0 is outside 1-65535",
            "https://t_SAS-S3CRET.eventgrid.azure.net/api/events | host"})
    void aBadEndpointIsRefusedWithoutRepeatingIt(String endpoint, String problem) {
        values.put("agent.eventgrid.key", SECRET);
        values.put("agent.eventgrid.endpoint", endpoint);
        String message = failure("agent.eventgrid.endpoint");
        assertTrue(message.contains(problem), message);
        assertFalse(message.contains("S3CRET") || message.contains("api/events"), message);
    }

    @Test
    void anEndpointWithAPortInRangeIsAccepted() {
        values.put("agent.eventgrid.key", SECRET);
        values.put("agent.eventgrid.endpoint", "https://127.0.0.1:65535/api/events");
        assertEquals("https://127.0.0.1:65535/api/events", read().endpoint());
    }

    @Test
    void theKeyComesFromAFileAndNeverShowsInToString(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("eventgrid.key");
        Files.writeString(file, SECRET + "\n");
        values.put("agent.eventgrid.endpoint", "https://t.westeurope-1.eventgrid.azure.net/api/events");
        values.put("agent.eventgrid.key-file", file.toString());

        EventGridSettings settings = read();

        assertEquals(SECRET, settings.key());
        assertFalse(settings.toString().contains(SECRET), settings.toString());

        values.put("agent.eventgrid.key", SECRET);
        failure("agent.eventgrid.key");
        values.remove("agent.eventgrid.key");
        values.put("agent.eventgrid.key-file", dir.resolve("missing").toString());
        failure("agent.eventgrid.key-file");
    }
}
