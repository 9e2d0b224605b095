package scheduledevents.responder.notify;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import scheduledevents.Fixtures;
import scheduledevents.settings.SettingsReader;

/** The repository's responder/responder.properties (the packaged defaults) with a test's values over it. */
final class ResponderTestSettings {
    private ResponderTestSettings() {
    }

    static Map<String, String> shipped() {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Fixtures.PROJECT_ROOT.resolve("responder/responder.properties"),
                StandardCharsets.UTF_8)) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new HashMap<>();
        file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
        return values;
    }

    static SettingsReader reader(Map<String, String> given) {
        Map<String, String> values = shipped();
        values.putAll(given);
        return new SettingsReader(values::get);
    }
}
