package scheduledevents;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import scheduledevents.app.AgentRunner;
import scheduledevents.app.DemoCommand;
import scheduledevents.app.OnceCommand;
import scheduledevents.app.Options;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.simulator.SimulatorCommand;

/**
 * Command line entry point: {@code java -jar scheduled-events-agent.jar [--demo | --simulate | --once | --help]}.
 * Without a mode it runs the agent: Camel main with {@code application.properties} and {@code routes/} from the
 * working directory. The agent itself is put together in {@link scheduledevents.app}.
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
              --responder   run the fleet responder instead of the agent: Event Grid webhook, fleet events in a
                            database, notifications and the JSON API on one port (responder/responder.properties,
                            responder/routes/; settings responder.*, environment RESPONDER_*)
              --responder --demo
                            the responder on an embedded database, fed by four agents on simulated VMs and an
                            emulated platform topic through its own webhook; fleet events in its API within a
                            minute; until Ctrl-C. Works on any machine.
              --help        this text

            Options:
              --config FILE   settings file (default: application.properties in the working directory; with
                              --responder: responder/responder.properties)
              --routes DIR    folder of YAML routes (default: routes/ in the working directory; with --responder:
                              responder/routes/)
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
            if (rest.remove("--responder")) {
                return responder(rest, err);
            }
            Options options = Options.parse(rest);
            if (options.mode().equals("--once")) {
                return OnceCommand.run(options.config(), out, err);
            }
            if (options.mode().equals("--demo")) {
                return DemoCommand.run(options, err);
            }
            return AgentRunner.run(options, Map.of(), null);
        } catch (InvalidSettingException | IllegalArgumentException e) {
            err.println("scheduled-events-agent: " + e.getMessage());
            return 2;
        }
    }

    /**
     * The responder's only door: its classes and libraries come from a class loader of its own, made only here
     * ({@link ResponderLoader}), so the agent's footprint stays as it was (ResponderIsolationIT).
     */
    private static int responder(List<String> args, PrintStream err) {
        return ResponderLoader.run(args, err);
    }
}
