package scheduledevents.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * The agent's start-up path: Camel main with the composition root ({@link AgentConfiguration}), shared by the agent,
 * {@code --demo} and the in-process tests.
 */
public final class AgentRunner {
    private AgentRunner() {
    }

    /**
     * Runs Camel main until it is stopped (SIGTERM, Ctrl-C) or {@code overrides} says to stop.
     *
     * @param whenStarted run once the routes are up (the demo starts its scenario then), or null
     */
    public static int run(Options options, Map<String, String> overrides, Runnable whenStarted) {
        Main main = newMain(options.config(), options.routes(), overrides, whenStarted);
        try {
            main.run();
            return main.getExitCode();
        } catch (Exception e) {
            InvalidSettingException setting = find(e, InvalidSettingException.class);
            if (setting != null) {
                throw setting;
            }
            System.err.println("scheduled-events-agent: failed to start: " + rootMessage(e));
            return 1;
        }
    }

    /**
     * Camel main set up as {@link #run} runs it, not yet started (in-process tests start it through here too).
     *
     * @param routes folder of YAML routes, or null for routes/ in the working directory
     * @param whenStarted run once the routes are up (the demo starts its scenario then), or null
     */
    public static Main newMain(Path config, Path routes, Map<String, String> overrides, Runnable whenStarted) {
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("settings file " + config.toAbsolutePath()
                    + " not found: run from the agent's folder or pass --config FILE");
        }
        Main main = new Main();
        // this release's application.properties (packaged) first, then the user's file, which wins
        main.setDefaultPropertyPlaceholderLocation(SettingsReader.locations(config));
        main.configure().addConfiguration(new AgentConfiguration());
        main.addMainListener(AgentConfiguration.sinkCheck());
        if (whenStarted != null) {
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport started) {
                    whenStarted.run();
                }
            });
        }
        if (routes != null) {
            main.configure().setRoutesIncludePattern("file:" + routes.toAbsolutePath() + "/*.yaml");
        }
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
