package scheduledevents;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import scheduledevents.config.AgentConfiguration;
import scheduledevents.config.InvalidSettingException;
import scheduledevents.config.SettingsReader;
import scheduledevents.simulator.SimulatorCommand;

/**
 * Command line entry point: {@code java -jar scheduled-events-agent.jar [--demo | --simulate | --once | --help]}.
 * Without a mode it runs the agent: Camel main with {@code application.properties} and {@code routes/} from the
 * working directory.
 */
public final class Agent {
    static final String USAGE = """
            Usage: java -jar scheduled-events-agent.jar [mode] [options]

            Modes:
              (none)        run the agent: poll IMDS, detect transitions, deliver them to the sinks
              --demo        run the built-in IMDS simulator and the agent against it, printing records to the
                            console; ends when the scenario is over (about 40 s). Works on any machine.
              --simulate    run the IMDS simulator alone (see --simulate --help)
              --once        poll IMDS once, print the normalised document as JSON, exit 0 (or 1 with a reason)
              --help        this text

            Options:
              --config FILE   settings file (default: application.properties in the working directory)
              --routes DIR    folder of YAML routes (default: routes/ in the working directory)
              --scenario S    with --demo: a built-in scenario name or a scenario file (default: demo)

            Every setting can also come from the environment: agent.sink.log.file <- AGENT_SINK_LOG_FILE.
            """;

    private Agent() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.contains("--help") || rest.contains("-h")) {
            if (rest.contains("--simulate")) {
                return SimulatorCommand.run(new String[] {"--help"}, out, err);
            }
            out.print(USAGE);
            return 0;
        }
        if (rest.remove("--simulate")) {
            return SimulatorCommand.run(rest.toArray(String[]::new), out, err);
        }
        try {
            Options options = Options.parse(rest);
            if (options.mode.equals("--once")) {
                return OnceCommand.run(options.config, out, err);
            }
            if (options.mode.equals("--demo")) {
                return DemoCommand.run(options, err);
            }
            return runAgent(options, Map.of(), null);
        } catch (InvalidSettingException | IllegalArgumentException e) {
            err.println("scheduled-events-agent: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Runs Camel main until it is stopped (SIGTERM, Ctrl-C) or {@code overrides} says to stop.
     *
     * @param whenStarted run once the routes are up (the demo starts its scenario then), or null
     */
    static int runAgent(Options options, Map<String, String> overrides, Runnable whenStarted) {
        Main main = newMain(options.config, options.routes, overrides, whenStarted);
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
     * Camel main set up as {@link #runAgent} runs it, not yet started (in-process tests start it through here too).
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

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** The parsed command line. */
    record Options(String mode, Path config, Path routes, String scenario) {
        static Options parse(List<String> args) {
            Map<String, String> values = new LinkedHashMap<>();
            String mode = "";
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--demo", "--once" -> {
                        if (!mode.isEmpty()) {
                            throw new IllegalArgumentException("choose one of --demo, --once, --simulate");
                        }
                        mode = a;
                    }
                    case "--config", "--routes", "--scenario" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(a + " needs a value");
                        }
                        values.put(a, args.get(++i));
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "' (see --help)");
                }
            }
            return new Options(mode, Path.of(values.getOrDefault("--config", "application.properties")),
                    values.containsKey("--routes") ? Path.of(values.get("--routes")) : null,
                    values.getOrDefault("--scenario", "demo"));
        }
    }
}
