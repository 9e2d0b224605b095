package scheduledevents.responder.notify;

import java.util.Map;
import scheduledevents.settings.SettingsReader;
import scheduledevents.settings.TestSettings;

/** The repository's responder/responder.properties (the packaged defaults) with a test's values over it. */
final class ResponderTestSettings {
    private ResponderTestSettings() {
    }

    static Map<String, String> shipped() {
        return TestSettings.shipped("responder/responder.properties");
    }

    static SettingsReader reader(Map<String, String> given) {
        Map<String, String> values = shipped();
        values.putAll(given);
        return new SettingsReader(values::get);
    }
}
