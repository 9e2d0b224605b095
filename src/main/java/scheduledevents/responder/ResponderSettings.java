package scheduledevents.responder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import scheduledevents.responder.approve.ApprovalRules;
import scheduledevents.responder.approve.ArmSettings;
import scheduledevents.responder.notify.NotifySettings;
import scheduledevents.responder.page.PageSettings;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * The responder's checked settings ({@code responder.*} in responder/responder.properties, environment
 * {@code RESPONDER_*}), read once at start through {@link SettingsReader}. The delivery secret and the API token are
 * required: there is no open mode. Secrets may come from a file ({@code *-file}); no message ever holds a value.
 *
 * @param databaseUrl empty = embedded H2 in {@code dataDir}
 */
public record ResponderSettings(
        String host,
        int port,
        long maxBodySize,
        String deliverySecret,
        String apiToken,
        Path dataDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Duration outboxInterval,
        NotifySettings notifications,
        PageSettings page,
        ArmSettings arm,
        ApprovalRules approvalRules) {

    /** Secrets are left out, so that a record printed by mistake never shows one. */
    @Override
    public String toString() {
        return "ResponderSettings[host=" + host + ", port=" + port + ", maxBodySize=" + maxBodySize + ", dataDir="
                + dataDir + ", database=" + (databaseUrl.isEmpty() ? "embedded" : "external") + "]";
    }

    /** @param lookup a key's value after the environment and the user's file, or null when it has none */
    public static ResponderSettings read(Function<String, String> lookup) {
        SettingsReader reader = new SettingsReader(lookup);
        String host = reader.nonEmpty("responder.host");
        int port = reader.integer("responder.port", 1, 65535);
        long maxBodySize = reader.number("responder.max-body-size", 1024, 64L * 1024 * 1024);
        String deliverySecret = secret(reader, "responder.delivery-secret", true,
                " (RESPONDER_DELIVERY_SECRET or RESPONDER_DELIVERY_SECRET_FILE): every delivery must carry it");
        String apiToken = secret(reader, "responder.api-token", true,
                " (RESPONDER_API_TOKEN or RESPONDER_API_TOKEN_FILE): the API answers only with it");
        Path dataDir = reader.path("responder.data-dir");
        String url = reader.text("responder.db.url");
        if (!url.isEmpty() && !url.startsWith("jdbc:")) {
            throw new InvalidSettingException("responder.db.url", "must be a JDBC URL (jdbc:postgresql://...)"
                    + " or empty for the embedded database (value not shown)");
        }
        String user = reader.text("responder.db.user");
        String password = secret(reader, "responder.db.password", false, "");
        // read here with the rest, so that a bad notification setting also stops start-up with one line
        NotifySettings notifications = NotifySettings.read(reader);
        return new ResponderSettings(host, port, maxBodySize, deliverySecret, apiToken, dataDir, url, user,
                password, notifications.interval(), notifications, PageSettings.read(reader),
                ArmSettings.read(reader), ApprovalRules.read(reader));
    }

    /**
     * A secret from its key or, when that is empty, from the file named by {@code <key>-file} (trailing line break
     * and spaces dropped, as a mounted secret often has one).
     */
    private static String secret(SettingsReader reader, String key, boolean required, String hint) {
        String value = reader.text(key);
        String fileKey = key + "-file";
        String file = reader.text(fileKey);
        if (value.isEmpty() && !file.isEmpty()) {
            try {
                value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new InvalidSettingException(fileKey, "cannot read the file (" + e.getClass().getSimpleName()
                        + ")");
            }
            if (value.isEmpty() && required) {
                throw new InvalidSettingException(fileKey, "the file is empty");
            }
        }
        if (value.isEmpty() && required) {
            throw new InvalidSettingException(key, "must be set" + hint);
        }
        return value;
    }
}
