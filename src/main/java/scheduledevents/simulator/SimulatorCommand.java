package scheduledevents.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * {@code --simulate}: runs the IMDS simulator in the foreground until the process is killed (or the calling thread
 * is interrupted). Port 8086 by default, to stay clear of the usual 8080/8081/8085 development servers.
 */
public final class SimulatorCommand {

    public static final int DEFAULT_PORT = 8086;
    public static final String DEFAULT_SCENARIO = "demo";

    static final String USAGE = """
            Usage: --simulate [options]
              Serves a simulated Azure IMDS (Scheduled Events) on loopback until killed.
              --host HOST          address to bind (default %s)
              --port N             port, 0 = any free port (default %d)
              --scenario NAME|PATH built-in scenario or scenario JSON file (default %s)
                                   built-in: %s
              --speed X            time scale, e.g. 60 plays a 15-minute notice in 15 s
                                   (default: the scenario's own speed, else 1)
              --vm-name NAME       this VM's name, substituted for {vm} in Resources (default %s)
              --loop               restart the scenario each time it ends
              --help               show this help
            """.formatted(ImdsSimulator.DEFAULT_HOST, DEFAULT_PORT, DEFAULT_SCENARIO,
            String.join(", ", Scenario.BUILT_IN), ImdsSimulator.DEFAULT_VM_NAME);

    private SimulatorCommand() {
    }

    record Options(String host, int port, String scenario, Double speed, String vmName, boolean loop, boolean help) {

        static Options parse(String[] args) {
            String host = ImdsSimulator.DEFAULT_HOST;
            int port = DEFAULT_PORT;
            String scenario = DEFAULT_SCENARIO;
            Double speed = null;
            String vmName = ImdsSimulator.DEFAULT_VM_NAME;
            boolean loop = false;
            Deque<String> rest = new ArrayDeque<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) { // --port=8086 means --port 8086
                    rest.add(arg.substring(0, eq));
                    rest.add(arg.substring(eq + 1));
                } else {
                    rest.add(arg);
                }
            }
            while (!rest.isEmpty()) {
                String flag = rest.poll();
                switch (flag) {
                    case "--help", "-h" -> {
                        return new Options(host, port, scenario, speed, vmName, loop, true);
                    }
                    case "--loop" -> loop = true;
                    case "--host" -> host = nonBlank(flag, value(rest, flag));
                    case "--port" -> port = port(value(rest, flag));
                    case "--scenario" -> scenario = nonBlank(flag, value(rest, flag));
                    case "--speed" -> speed = speed(value(rest, flag));
                    case "--vm-name" -> vmName = nonBlank(flag, value(rest, flag));
                    default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
                }
            }
            return new Options(host, port, scenario, speed, vmName, loop, false);
        }

        private static String value(Deque<String> rest, String flag) {
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return rest.poll();
        }

        private static String nonBlank(String flag, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(flag + " must not be empty");
            }
            return value;
        }

        private static int port(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException ignored) {
                // same message as out of range
            }
            throw new IllegalArgumentException("--port must be a number 0..65535, got '" + value + "'");
        }

        private static double speed(String value) {
            try {
                double speed = Double.parseDouble(value);
                if (Double.isFinite(speed) && speed > 0) {
                    return speed;
                }
            } catch (NumberFormatException ignored) {
                // same message as non-positive
            }
            throw new IllegalArgumentException("--speed must be a positive number, got '" + value + "'");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** @return 0 after --help or an orderly stop, 1 if it cannot listen, 2 on bad arguments or scenario */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** As {@link #run(String[])}, printing to the given streams (so a caller's CLI tests can capture them). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        Scenario scenario;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.print(USAGE);
                return 0;
            }
            scenario = Scenario.resolve(options.scenario());
        } catch (IllegalArgumentException e) {
            err.println("simulator: " + e.getMessage() + " (see --help)");
            return 2;
        } catch (IOException e) {
            err.println("simulator: cannot read scenario file: " + e.getClass().getSimpleName() + " " + e.getMessage());
            return 2;
        }
        return serve(options, scenario, out, err);
    }

    private static int serve(Options options, Scenario scenario, PrintStream out, PrintStream err) {
        double speed = options.speed() != null ? options.speed() : scenario.defaultSpeed();
        ImdsSimulator simulator = new ImdsSimulator(options.host(), options.port(), options.vmName(),
                Clock.systemUTC());
        try {
            simulator.start();
        } catch (IOException | RuntimeException e) {
            err.println("simulator: cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "imds-simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        simulator.play(scenario, speed, options.loop());
        out.printf("IMDS simulator listening on %s (scenario %s, speed %sx, VM %s%s)%n", simulator.baseUrl(),
                scenario.name(), formatSpeed(speed), options.vmName(), options.loop() ? ", looping" : "");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            simulator.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run; nothing to undo
            }
        }
        return 0;
    }

    private static String formatSpeed(double speed) {
        return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
    }
}
