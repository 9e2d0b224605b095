package scheduledevents.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.Scenario;

/**
 * {@code --demo}: the IMDS simulator and the agent in one process, on any machine. The simulator plays a scenario
 * faster than real time; the agent polls it with the real routes and prints each record on stdout. It stops by
 * itself a few seconds after the scenario's last event is gone.
 */
public final class DemoCommand {
    private static final int MARGIN_SECONDS = 5;

    private DemoCommand() {
    }

    public static int run(Options options, PrintStream err) {
        Scenario scenario;
        try {
            scenario = Scenario.resolve(options.scenario());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load scenario '" + options.scenario() + "': " + e.getMessage());
        }
        try (ImdsSimulator simulator = new ImdsSimulator().start()) {
            Path state = Files.createTempDirectory("scheduled-events-demo-");
            double speed = scenario.defaultSpeed();
            int seconds = (int) Math.ceil(scenario.lengthSeconds() / speed) + MARGIN_SECONDS;
            err.printf("Demo: IMDS simulator on %s plays '%s' (%s) for about %d s; this VM is '%s'.%n"
                            + "Records appear below as JSON lines; state in %s.%n",
                    simulator.baseUrl(), scenario.name(), scenario.description(), seconds, simulator.vmName(), state);
            Map<String, String> overrides = new LinkedHashMap<>();
            overrides.put("agent.imds.url", simulator.baseUrl());
            overrides.put("agent.state.dir", state.toString());
            overrides.put("agent.sinks", "log");
            overrides.put("agent.sink.log.file", "");
            overrides.put("agent.health.port", "0");
            overrides.put("camel.main.duration-max-seconds", String.valueOf(seconds));
            // The scenario starts once the agent runs, so that a fast scenario is not half over before the first poll
            return AgentRunner.run(options, overrides, () -> simulator.play(scenario, speed));
        } catch (IOException e) {
            err.println("scheduled-events-agent: cannot start the demo: " + e.getMessage());
            return 1;
        }
    }
}
