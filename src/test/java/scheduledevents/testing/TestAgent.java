package scheduledevents.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import scheduledevents.app.AgentRunner;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.simulator.ImdsSimulator;

/**
 * The agent under test, started one of two ways, both from the project folder (its application.properties, routes/
 * and templates/):
 * <ul>
 * <li>{@link #jar}: the packaged agent, {@code java <the container's JVM flags> -jar target/scheduled-events-agent.jar},
 * settings in the environment as on a VM; stdout and stderr go to files of their own in the work folder, per start;
 * <li>{@link #inProcess}: Camel main in this JVM, set up by {@link AgentRunner#newMain}, the start-up path of {@code main},
 * settings as override properties.
 * </ul>
 * Either way the health server listens on a free port. No JUnit here (bench code may reuse it).
 */
public abstract class TestAgent implements AutoCloseable {
    public static final Path JAR = Path.of("target", "scheduled-events-agent.jar");
    /** How long {@link #await(String, Await.Condition)} waits: only a bound for a broken build. */
    public static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The container's JVM flags (see Dockerfile): C1 only also makes the many starts of the suite quicker; out of
     * memory, the agent exits, as in production, saying so on stderr.
     */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr");
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicInteger RUNS = new AtomicInteger();

    final int healthPort;

    TestAgent(int healthPort) {
        this.healthPort = healthPort;
    }

    /** The packaged jar as its own process; output in {@code workDir}. */
    public static Builder jar(Path workDir) {
        return new Builder(workDir, false);
    }

    /** The agent in this JVM, through the start-up path of {@code main}. */
    public static Builder inProcess(Path workDir) {
        return new Builder(workDir, true);
    }

    /** Settings, environment, flags and arguments of one start. */
    public static final class Builder {
        private final Path workDir;
        private final boolean inProcess;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmFlags = new ArrayList<>(JVM_FLAGS);
        private final List<String> args = new ArrayList<>();

        private Builder(Path workDir, boolean inProcess) {
            this.workDir = workDir;
            this.inProcess = inProcess;
            settings.put("agent.health.port", String.valueOf(Ports.free()));
            if (inProcess) {
                // an hour: a record reaches its sink because the fan-out woke the sink's consumer, never by a
                // fallback poll
                settings.put("agent.sink.queue.fallback-poll", "3600000");
            }
        }

        /**
         * Against {@code imds}, quickly: state in workDir/state, records in workDir/records.jsonl, polls every
         * 100 ms, IMDS back-off at most 500 ms, sink retries after 100 ms up to 500 ms. Each can be set again.
         */
        public Builder against(ImdsSimulator imds) {
            settings.putAll(fastSettings(imds, workDir));
            return this;
        }

        /** One setting by its key in application.properties: AGENT_… in the jar's environment, or an override. */
        public Builder setting(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Builder settings(Map<String, String> keyValues) {
            settings.putAll(keyValues);
            return this;
        }

        /**
         * Environment variables of the jar (AGENT_… settings as a user writes them, JAVA_TOOL_OPTIONS for trust
         * stores, proxies or -Xlog); they win over {@link #setting}s of the same name.
         */
        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** More JVM flags for the jar, after {@link #JVM_FLAGS}. */
        public Builder jvmFlags(String... flags) {
            jvmFlags.addAll(List.of(flags));
            return this;
        }

        /** Command-line arguments of the jar: --once, --demo, --simulate, --help… */
        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        /** Starts the agent; returns as soon as the process runs (jar) or Camel has started (in process). */
        public TestAgent start() {
            int port = Integer.parseInt(settings.get("agent.health.port"));
            if (inProcess) {
                if (!env.isEmpty() || !args.isEmpty()) {
                    throw new IllegalStateException("in process, use setting(...): env and args are for the jar");
                }
                return InProcess.start(settings, port);
            }
            Map<String, String> variables = new LinkedHashMap<>();
            settings.forEach((k, v) -> variables.put(envName(k), v));
            variables.putAll(env);
            if (env.containsKey("AGENT_HEALTH_PORT")) {
                port = Integer.parseInt(env.get("AGENT_HEALTH_PORT"));
            }
            return JarProcess.start(workDir, jvmFlags, args, variables, port);
        }

        /** Runs a command of the jar (--once, --help, a start refused…) to its end; see {@link #exitCode()}. */
        public TestAgent runToEnd(Duration timeout) {
            TestAgent agent = start();
            agent.awaitExit(timeout);
            return agent;
        }
    }

    /** agent.sink.log.file → AGENT_SINK_LOG_FILE, as the agent reads the environment. */
    /**
     * A quick agent against {@code imds}, by setting key: state in dir/state, records in dir/records.jsonl, polls
     * every 100 ms, IMDS back-off at most 500 ms, sink retries after 100 ms up to 500 ms.
     */
    public static Map<String, String> fastSettings(ImdsSimulator imds, Path dir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("agent.imds.url", imds.baseUrl());
        settings.put("agent.state.dir", dir.resolve("state").toString());
        settings.put("agent.sink.log.file", dir.resolve("records.jsonl").toString());
        settings.put("agent.poll.interval", "100");
        settings.put("agent.imds.backoff.max", "500");
        settings.put("agent.sink.retry.initial-delay", "100");
        settings.put("agent.sink.retry.max-delay", "500");
        return settings;
    }

    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Waits until {@code condition} holds, for at most {@link #WAIT}; fails at once when the agent has exited, and
     * shows what it logged (or its state folder, in process) on failure.
     */
    public void await(String what, Await.Condition condition) {
        await(what, WAIT, condition);
    }

    public void await(String what, Duration timeout, Await.Condition condition) {
        Await.until(what, timeout, condition, this::diagnostics, this::ended);
    }

    /** Why waiting is over (the process exited), or null. */
    abstract String ended();

    /** What a failed wait shows. */
    abstract String diagnostics();

    public abstract boolean isAlive();

    /** Everything written on stdout (records only: the agent logs to stderr); "" in process. */
    public abstract String stdout();

    /** Everything written on stderr (the agent's log); "" in process. */
    public abstract String stderr();

    /** stdout then stderr. */
    public String output() {
        return stdout() + stderr();
    }

    /** Waits for the process to end by itself (a command, a start refused) and gives its exit status. */
    public abstract int awaitExit(Duration timeout);

    public int exitCode() {
        throw new UnsupportedOperationException("in process there is no exit code");
    }

    /** SIGTERM, as docker stop and systemctl stop send (Camel main's stop, in process); returns the exit status. */
    public abstract int stop();

    /** kill -9: no shutdown hook, no chance to flush anything. */
    public void kill9() {
        throw new UnsupportedOperationException("kill -9 needs the jar");
    }

    public long pid() {
        throw new UnsupportedOperationException("in process there is no pid of its own");
    }

    /** The Camel context of an agent started in process. */
    public CamelContext context() {
        throw new UnsupportedOperationException("the jar's context is in another process");
    }

    /** A counter of the agent's metrics by its meter name and sink tag, read from the registry (in process). */
    public double count(String name, String sink) {
        throw new UnsupportedOperationException("read metrics() of the jar");
    }

    /** The port of /observe/health and /observe/metrics. */
    public int healthPort() {
        return healthPort;
    }

    /** GET /observe/health: the HTTP status, or -1 when the server does not answer (yet). */
    public int healthStatus() {
        try {
            return HTTP.send(observe("health"), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** GET /observe/metrics: the Prometheus text. */
    public String metrics() throws IOException, InterruptedException {
        return HTTP.send(observe("metrics"), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpRequest observe(String what) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/observe/" + what))
                .timeout(Duration.ofSeconds(2)).build();
    }

    public void awaitHealthy() {
        await("agent health UP", () -> healthStatus() == 200);
    }

    @Override
    public abstract void close();

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The packaged agent as its own java process. */
    private static final class JarProcess extends TestAgent {
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        private JarProcess(Process process, Path stdout, Path stderr, int healthPort) {
            super(healthPort);
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static JarProcess start(Path workDir, List<String> jvmFlags, List<String> args, Map<String, String> env,
                int healthPort) {
            if (!Files.isRegularFile(JAR)) {
                throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn package first");
            }
            try {
                Files.createDirectories(workDir);
                List<String> command = new ArrayList<>();
                command.add(javaBin());
                command.addAll(jvmFlags);
                command.addAll(List.of("-jar", JAR.toString()));
                command.addAll(args);
                ProcessBuilder builder = new ProcessBuilder(command);
                builder.directory(Path.of("").toAbsolutePath().toFile());
                // nothing of the test JVM's own environment reaches the agent's settings or its JVM
                builder.environment().keySet().removeIf(k -> k.startsWith("AGENT_") || k.equals("JAVA_TOOL_OPTIONS"));
                builder.environment().putAll(env);
                String run = "agent-" + RUNS.incrementAndGet() + "-" + System.nanoTime();
                Path out = workDir.resolve(run + ".stdout");
                Path err = workDir.resolve(run + ".stderr");
                builder.redirectOutput(out.toFile()).redirectError(err.toFile());
                return new JarProcess(builder.start(), out, err, healthPort);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        String ended() {
            return process.isAlive() ? null : "the agent exited with " + process.exitValue();
        }

        @Override
        String diagnostics() {
            return "--- agent " + (process.isAlive() ? "running" : "exited with " + process.exitValue())
                    + ", last lines of stdout and stderr ---\n" + lastLines(stdout() + stderr(), 200);
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public String stdout() {
            return read(stdout);
        }

        @Override
        public String stderr() {
            return read(stderr);
        }

        @Override
        public int exitCode() {
            return process.exitValue();
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("agent did not exit within " + timeout + "\n" + diagnostics());
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        @Override
        public int stop() {
            process.destroy();
            return awaitExit(Duration.ofSeconds(30));
        }

        @Override
        public void kill9() {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(20));
        }

        /**
         * Kills it and whatever it started (the responder demo's agents): those are listed first, since once their
         * parent is gone they are no longer its descendants, and a test that failed before a clean stop must not
         * leave them running.
         */
        @Override
        public void close() {
            List<ProcessHandle> children = process.descendants().toList();
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }

        private static String lastLines(String text, int n) {
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    /** Camel main in this JVM, set up as {@code main} sets it up. */
    private static final class InProcess extends TestAgent {
        private final Main main;
        private final Path stateDir;
        private boolean stopped;

        private InProcess(Main main, Path stateDir, int healthPort) {
            super(healthPort);
            this.main = main;
            this.stateDir = stateDir;
        }

        static InProcess start(Map<String, String> settings, int healthPort) {
            Main main = AgentRunner.newMain(Path.of("application.properties"), null, settings, null);
            try {
                main.start();
            } catch (Exception e) {
                throw new IllegalStateException("the agent did not start: " + e.getMessage(), e);
            }
            String state = settings.get("agent.state.dir");
            return new InProcess(main, state == null ? null : Path.of(state), healthPort);
        }

        @Override
        String ended() {
            return stopped ? "the agent was stopped" : null;
        }

        @Override
        String diagnostics() {
            if (stateDir == null || !Files.isDirectory(stateDir)) {
                return "";
            }
            try (Stream<Path> files = Files.walk(stateDir)) {
                return "--- files under " + stateDir + " ---\n" + files.filter(Files::isRegularFile)
                        .map(f -> stateDir.relativize(f).toString()).sorted().collect(Collectors.joining("\n"));
            } catch (IOException | UncheckedIOException e) {
                return "(could not list " + stateDir + ": " + e.getMessage() + ")";
            }
        }

        @Override
        public boolean isAlive() {
            return !stopped;
        }

        @Override
        public String stdout() {
            return "";
        }

        @Override
        public String stderr() {
            return "";
        }

        @Override
        public int awaitExit(Duration timeout) {
            throw new UnsupportedOperationException("in process the agent runs until stop()");
        }

        @Override
        public int stop() {
            close();
            return 0;
        }

        @Override
        public CamelContext context() {
            return main.getCamelContext();
        }

        @Override
        public double count(String name, String sink) {
            return context().getRegistry().lookupByNameAndType("agentMetrics", AgentMetrics.class)
                    .count(name, "sink", sink);
        }

        @Override
        public void close() {
            if (!stopped) {
                stopped = true;
                main.stop();
            }
        }
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
