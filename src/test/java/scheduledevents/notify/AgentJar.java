package scheduledevents.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent (target/scheduled-events-agent.jar) run as its own java process from the project folder, so the
 * real routes/, templates/ and application.properties are used; settings come from environment variables. Its
 * stdout and stderr go to one file, so a test can check what it logged.
 */
final class AgentJar implements AutoCloseable {
    private final Process process;
    private final Path output;

    private AgentJar(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static AgentJar start(Path workDir, Map<String, String> env) throws IOException {
        Path jar = Path.of("target/scheduled-events-agent.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("run mvn package first: " + jar.toAbsolutePath() + " is missing");
        }
        Path output = Files.createTempFile(workDir, "agent-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("AGENT_") || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("AGENT_HEALTH_PORT", "0");
        builder.environment().put("AGENT_POLL_INTERVAL", "100");
        builder.environment().put("AGENT_SINK_RETRY_INITIAL_DELAY", "100");
        builder.environment().put("AGENT_SINK_RETRY_MAX_DELAY", "500");
        builder.environment().putAll(env);
        return new AgentJar(builder.start(), output);
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end by itself (start-up refused, say) and gives its exit status. */
    int exitStatus() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the agent did not exit; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
