package scheduledevents.sink.eventgrid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * Settings of sink "eventgrid" ({@code agent.eventgrid.*}), read and checked only when agent.sinks has eventgrid
 * (otherwise the sink's routes are not created and nothing reads them).
 * The key comes from {@code agent.eventgrid.key} (in practice AGENT_EVENTGRID_KEY) or from the file named by
 * {@code agent.eventgrid.key-file}; it is never part of a message or of {@link #toString()}.
 */
public record EventGridSettings(
        String endpoint,
        CredentialType auth,
        String key,
        EventSchema schema,
        String eventType,
        String subject,
        Duration sasValidity,
        String managedIdentityClientId,
        int batchMaxEvents,
        long batchMaxBytes) {

    public static final String SINK = "eventgrid";
    /** Event Grid's limits per request. */
    public static final int MAX_EVENTS_PER_REQUEST = 5_000;
    public static final long MAX_BYTES_PER_REQUEST = 1_048_576;

    public static EventGridSettings read(SettingsReader s) {
        String endpoint = s.text("agent.eventgrid.endpoint");
        String keyValue = s.text("agent.eventgrid.key");
        String keyFile = s.text("agent.eventgrid.key-file");
        String subject = s.text("agent.eventgrid.subject");
        String clientId = s.text("agent.eventgrid.managed-identity.client-id");
        CredentialType auth = s.choice("agent.eventgrid.auth", CredentialType::parse, false);
        EventSchema schema = s.choice("agent.eventgrid.schema", EventSchema::parse, false);
        checkEndpoint(endpoint);
        String key = null;
        if (auth.usesAccessKey()) {
            key = key(keyValue, keyFile, auth);
        } else if (!keyValue.isEmpty() || !keyFile.isEmpty()) {
            throw new InvalidSettingException("agent.eventgrid.key", "is set but agent.eventgrid.auth is "
                    + s.text("agent.eventgrid.auth") + ", which uses no key: remove the key from this VM");
        }
        String eventType = s.text("agent.eventgrid.event-type");
        if (eventType.isEmpty()) {
            throw new InvalidSettingException("agent.eventgrid.event-type", "must not be empty");
        }
        long sasMillis = s.number("agent.eventgrid.sas-validity", 60_000, 365L * 24 * 3600 * 1000);
        int maxEvents = (int) s.number("agent.eventgrid.batch.max-events", 1, MAX_EVENTS_PER_REQUEST);
        long maxBytes = s.number("agent.eventgrid.batch.max-bytes", 4096, MAX_BYTES_PER_REQUEST);
        return new EventGridSettings(endpoint, auth, key, schema, eventType, subject,
                Duration.ofMillis(sasMillis), clientId, maxEvents, maxBytes);
    }

    /** The topic's URL alone: a SAS or key in its query or user info would be sent and logged with it. */
    private static void checkEndpoint(String endpoint) {
        String key = "agent.eventgrid.endpoint";
        if (endpoint.isEmpty()) {
            throw new InvalidSettingException(key, "must be set when sink eventgrid is enabled (the topic's URL, "
                    + "https://<topic>.<region>-1.eventgrid.azure.net/api/events; AGENT_EVENTGRID_ENDPOINT)");
        }
        SettingsReader.url(key, endpoint, List.of("https"), false,
                " (Event Grid takes no credentials over plain HTTP)");
    }

    private static String key(String keyValue, String keyFile, CredentialType auth) {
        if (!keyValue.isEmpty() && !keyFile.isEmpty()) {
            throw new InvalidSettingException("agent.eventgrid.key", "set either agent.eventgrid.key "
                    + "(AGENT_EVENTGRID_KEY) or agent.eventgrid.key-file, not both");
        }
        String key = keyValue;
        if (!keyFile.isEmpty()) {
            try {
                key = Files.readString(Path.of(keyFile), StandardCharsets.UTF_8).trim();
            } catch (IOException | RuntimeException e) {
                throw new InvalidSettingException("agent.eventgrid.key-file", "cannot read "
                        + Path.of(keyFile).toAbsolutePath() + " (" + e.getClass().getSimpleName() + ")");
            }
            if (key.isEmpty()) {
                throw new InvalidSettingException("agent.eventgrid.key-file", Path.of(keyFile).toAbsolutePath()
                        + " is empty");
            }
        }
        if (key.isEmpty()) {
            throw new InvalidSettingException("agent.eventgrid.key", "must be set when sink eventgrid uses "
                    + "agent.eventgrid.auth=" + (auth == CredentialType.ACCESS_KEY ? "key" : "sas")
                    + ": set AGENT_EVENTGRID_KEY or agent.eventgrid.key-file (or use auth managed-identity)");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSettingException("agent.eventgrid.key", "contains a control character");
        }
        return key;
    }

    @Override
    public String toString() {
        return "EventGridSettings[endpoint=" + endpoint + ", auth=" + auth + ", key="
                + (key == null ? "none" : "***") + ", schema=" + schema + ", eventType=" + eventType + "]";
    }
}
