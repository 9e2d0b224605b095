package scheduledevents.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import scheduledevents.Fixtures;

/**
 * Settings as the agent sees them: the repository's application.properties (the packaged defaults), with a test's
 * values over it, as the user's file and the environment would be.
 */
public final class TestSettings {
    private TestSettings() {
    }

    /** Every key of the repository's application.properties with its value. */
    public static Map<String, String> shipped() {
        return shipped("application.properties");
    }

    /** Every key of a settings file of the repository (application.properties, responder/responder.properties). */
    public static Map<String, String> shipped(String file) {
        return load(Fixtures.PROJECT_ROOT.resolve(file));
    }

    private static Map<String, String> load(java.nio.file.Path path) {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            file.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> values = new HashMap<>();
        file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
        return values;
    }

    /** The shipped values with {@code given} over them; a key in neither has no value (null). */
    public static Function<String, String> with(Map<String, String> given) {
        Map<String, String> values = shipped();
        values.putAll(given);
        return values::get;
    }

    /** A reader over {@link #with}. */
    public static SettingsReader reader(Map<String, String> given) {
        return new SettingsReader(with(given));
    }
}
