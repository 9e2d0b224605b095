package scheduledevents.eventgrid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged agent ({@code target/scheduled-events-agent.jar}) as a separate {@code java} process, started from the
 * project folder (its application.properties and routes/) with settings in the environment, as on a VM. Output goes
 * to files so that a test can read everything the agent logged. (A shared helper is being written elsewhere; this
 * one stays small and local until they are unified.)
 */
final class AgentJar implements AutoCloseable {
    private final Map<String, String> env;
    private final Path out;
    private final Path err;
    private Process process;

    AgentJar(Map<String, String> env, Path logDir) {
        this.env = new LinkedHashMap<>(env);
        this.out = logDir.resolve("agent.out");
        this.err = logDir.resolve("agent.err");
    }

    AgentJar start() throws IOException {
        Path jar = Path.of("target", "scheduled-events-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run mvn package (or verify) first");
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString()));
        builder.directory(Path.of("").toAbsolutePath().toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AGENT_") || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().putAll(env);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(err.toFile()));
        process = builder.start();
        return this;
    }

    /** Everything the agent wrote on stdout and stderr, over all its starts. */
    String output() throws IOException {
        return read(out) + read(err);
    }

    String stderr() throws IOException {
        return read(err);
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush; what is on disk is all that survives. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as systemd or docker stop do; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("agent did not stop within 30 s of SIGTERM");
        }
        return process.exitValue();
    }

    int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("agent still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Waits for a condition, failing with the agent's output if it does not hold in time. */
    void await(BooleanSupplier condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "\n--- agent output ---\n" + output());
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("agent exited (" + process.exitValue() + ") before: " + what
                        + "\n--- agent output ---\n" + output());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
