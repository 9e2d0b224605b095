package scheduledevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import scheduledevents.Await;

/**
 * The real agent, as a user runs it: {@code java -jar target/scheduled-events-agent.jar} in the project folder
 * (so the real application.properties and routes/ are used), configured through environment variables.
 */
final class AgentProcess implements AutoCloseable {
    static final Path JAR = Path.of("target/scheduled-events-agent.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final int healthPort;

    private AgentProcess(Process process, Path stdout, Path stderr, int healthPort) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.healthPort = healthPort;
    }

    /** Starts the agent with AGENT_* settings from {@code env}; output goes to files in {@code workDir}. */
    static AgentProcess start(Path workDir, Map<String, String> env, String... args) {
        try {
            Files.createDirectories(workDir);
            int port = freePort();
            // The container's JVM flags (see Dockerfile): C1 only also makes the many starts of this suite quicker;
            // out of memory, the agent exits, as in production, saying so on stderr
            List<String> command = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-Xmx64m",
                    "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr",
                    "-jar", JAR.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(k -> k.startsWith("AGENT_"));
            environment.put("AGENT_HEALTH_PORT", String.valueOf(port));
            environment.putAll(env);
            String run = "run-" + System.nanoTime();
            Path out = workDir.resolve(run + ".stdout");
            Path err = workDir.resolve(run + ".stderr");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new AgentProcess(builder.start(), out, err, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command of the jar to its end and returns its exit code; output is then in stdout()/stderr(). */
    static AgentProcess runToEnd(Path workDir, Map<String, String> env, String... args) {
        AgentProcess agent = start(workDir, env, args);
        agent.awaitExit(Duration.ofSeconds(90));
        return agent;
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** The port of /observe/health and /observe/metrics. */
    int healthPort() {
        return healthPort;
    }

    /** GET /observe/health: the HTTP status, or -1 when the server does not answer yet. */
    int healthStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/observe/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/observe/metrics"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    void awaitHealthy() {
        await("agent health UP", Duration.ofSeconds(60), () -> healthStatus() == 200);
    }

    void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("agent did not exit within " + timeout + "\n" + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** kill -9: no shutdown hook, no chance to flush anything. */
    void kill9() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(20));
    }

    /** SIGTERM, as docker stop and systemctl stop send. */
    void stop() {
        process.destroy();
        awaitExit(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** JSON lines of a records file (the log sink's agent.sink.log.file). */
    static List<JsonNode> records(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> records = new ArrayList<>();
        for (String line : read(file).split("\n")) {
            if (!line.isBlank()) {
                try {
                    records.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return records;
    }

    /** Lines of {@code file} written in full so far: a reader may catch the agent half-way through appending one. */
    static long completeLines(Path file) {
        return read(file).chars().filter(c -> c == '\n').count();
    }

    /** "eventid/Status" per record, in order. */
    static List<String> transitions(Path file) {
        return records(file).stream()
                .map(r -> r.path("EventId").asText().toLowerCase() + "/" + r.path("EventStatus").asText()).toList();
    }

    static Map<String, Integer> counts(List<String> items) {
        Map<String, Integer> counts = new HashMap<>();
        items.forEach(i -> counts.merge(i, 1, Integer::sum));
        return counts;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        Await.await(what, timeout, condition);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
