package scheduledevents.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import scheduledevents.eventgrid.CredentialType;
import scheduledevents.eventgrid.EventSchema;

/**
 * Settings of sink "eventgrid" ({@code agent.eventgrid.*}). They are checked only when the sink is enabled in
 * agent.sinks; otherwise they are read leniently, because the sink's route is created (not started) all the same.
 * The key comes from {@code agent.eventgrid.key} (in practice AGENT_EVENTGRID_KEY) or from the file named by
 * {@code agent.eventgrid.key-file}; it is never part of a message or of {@link #toString()}.
 */
public record EventGridSettings(
        boolean enabled,
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

    static EventGridSettings read(Function<String, String> raw, boolean enabled) {
        String endpoint = raw.apply("agent.eventgrid.endpoint");
        String keyValue = raw.apply("agent.eventgrid.key");
        String keyFile = raw.apply("agent.eventgrid.key-file");
        String subject = raw.apply("agent.eventgrid.subject");
        String clientId = raw.apply("agent.eventgrid.managed-identity.client-id");
        if (!enabled) {
            return new EventGridSettings(false, endpoint, orDefault(() -> CredentialType.parse(
                    raw.apply("agent.eventgrid.auth")), CredentialType.ACCESS_KEY), null,
                    orDefault(() -> EventSchema.parse(raw.apply("agent.eventgrid.schema")), EventSchema.EVENT_GRID),
                    orDefault(() -> nonEmpty(raw.apply("agent.eventgrid.event-type")), "ScheduledEvent"), subject,
                    Duration.ofHours(1), clientId, 1, MAX_BYTES_PER_REQUEST);
        }
        CredentialType auth = parse("agent.eventgrid.auth", () -> CredentialType.parse(raw.apply("agent.eventgrid.auth")));
        EventSchema schema = parse("agent.eventgrid.schema", () -> EventSchema.parse(raw.apply("agent.eventgrid.schema")));
        checkEndpoint(endpoint);
        String key = null;
        if (auth.usesAccessKey()) {
            key = key(keyValue, keyFile, auth);
        } else if (!keyValue.isEmpty() || !keyFile.isEmpty()) {
            throw new InvalidSettingException("agent.eventgrid.key", "is set but agent.eventgrid.auth is "
                    + raw.apply("agent.eventgrid.auth") + ", which uses no key: remove the key from this VM");
        }
        String eventType = raw.apply("agent.eventgrid.event-type");
        if (eventType.isEmpty()) {
            throw new InvalidSettingException("agent.eventgrid.event-type", "must not be empty");
        }
        long sasMillis = number("agent.eventgrid.sas-validity", raw, 60_000, 365L * 24 * 3600 * 1000);
        int maxEvents = (int) number("agent.eventgrid.batch.max-events", raw, 1, MAX_EVENTS_PER_REQUEST);
        long maxBytes = number("agent.eventgrid.batch.max-bytes", raw, 4096, MAX_BYTES_PER_REQUEST);
        return new EventGridSettings(true, endpoint, auth, key, schema, eventType, subject,
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

    private static long number(String key, Function<String, String> raw, long min, long max) {
        String value = raw.apply(key);
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "must be a whole number, got " + SettingsReader.quoted(key, value));
        }
        if (n < min || n > max) {
            throw new InvalidSettingException(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    private static <T> T parse(String key, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, e.getMessage());
        }
    }

    private static <T> T orDefault(java.util.function.Supplier<T> parser, T fallback) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private static String nonEmpty(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return value;
    }

    @Override
    public String toString() {
        return "EventGridSettings[enabled=" + enabled + ", endpoint=" + endpoint + ", auth=" + auth + ", key="
                + (key == null ? "none" : "***") + ", schema=" + schema + ", eventType=" + eventType + "]";
    }
}
