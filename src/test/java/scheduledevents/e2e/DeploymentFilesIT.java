package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import scheduledevents.testing.TestAgent;

/**
 * The deployment files without a container engine: the Dockerfile's ENTRYPOINT run outside a container (the image's
 * paths mapped onto the build's), the systemd unit running the same command, and the class-data-sharing step.
 * {@link ContainerIT} builds the image and runs it.
 */
class DeploymentFilesIT extends AgainstSimulator {
    private static final String IMAGE_JAR = "/opt/scheduled-events-agent/scheduled-events-agent.jar";


    @Test
    void theDockerfileEntrypointRunsTheAgent() throws Exception {
        List<String> entrypoint = entrypoint();
        assertEquals("java", entrypoint.get(0));
        assertTrue(entrypoint.contains(IMAGE_JAR), entrypoint.toString());
        List<String> command = new ArrayList<>();
        for (String part : entrypoint) {
            command.add(part.equals("java") ? TestAgent.javaBin()
                    : part.equals(IMAGE_JAR) ? TestAgent.JAR.toAbsolutePath().toString() : part);
        }
        command.add("--once");
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(E2E.env(imds, dir));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains(E2E.FREEZE_ID), output);
    }

    @Test
    void outOfMemoryTheAgentExitsSayingSoOnStderrNotOnTheRecordStream() throws Exception {
        // The JVM writes "Terminating due to java.lang.OutOfMemoryError" through its own console, stdout by default
        List<String> command = new ArrayList<>();
        for (String part : entrypoint()) {
            if (part.equals("-jar")) {
                command.addAll(List.of("-Xms2m", "-Xmx2m")); // too small to start: out of memory at once
            }
            command.add(part.equals("java") ? TestAgent.javaBin()
                    : part.equals(IMAGE_JAR) ? TestAgent.JAR.toAbsolutePath().toString() : part);
        }
        command.add("--once");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(E2E.env(imds, dir));
        Path stdout = dir.resolve("oom.stdout");
        Path stderr = dir.resolve("oom.stderr");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertEquals(3, process.waitFor(), "ExitOnOutOfMemoryError's exit code");
        assertTrue(Files.readString(stderr).contains("Terminating due to java.lang.OutOfMemoryError"),
                Files.readString(stderr));
        assertEquals("", Files.readString(stdout));
    }

    @Test
    void theSystemdUnitRunsTheSameCommandAsTheContainer() throws Exception {
        String unit = Files.readString(Path.of("deploy/scheduled-events-agent.service"));
        Matcher exec = Pattern.compile("(?m)^ExecStart=(.*)$").matcher(unit);
        assertTrue(exec.find(), "ExecStart in the unit");
        List<String> execStart = Arrays.asList(exec.group(1).trim().split("\\s+"));
        List<String> entrypoint = new ArrayList<>(entrypoint());
        entrypoint.set(0, "/usr/bin/java");
        assertEquals(entrypoint, execStart);
    }

    @Test
    void theHealthcheckProbesTheDefaultHealthPortAndPath() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String properties = Files.readString(Path.of("application.properties"));
        Matcher port = Pattern.compile("(?m)^agent\\.health\\.port\\s*=\\s*(\\d+)").matcher(properties);
        assertTrue(port.find());
        // the HEALTHCHECK follows AGENT_HEALTH_PORT, by default the port of application.properties
        assertTrue(dockerfile.contains("http://127.0.0.1:${AGENT_HEALTH_PORT:-" + port.group(1) + "}/observe/health"),
                "HEALTHCHECK");
        assertTrue(dockerfile.contains("EXPOSE " + port.group(1)), "EXPOSE");
        for (Matcher copy = Pattern.compile("(?m)^COPY (?!--)(\\S+) ").matcher(dockerfile); copy.find(); ) {
            assertTrue(Files.exists(Path.of(copy.group(1))), "COPY source " + copy.group(1));
        }
    }

    @Test
    void theClassDataSharingTrainingRunOpensNoPort() throws Exception {
        // The image is often built with --network host: a port that something on the build host holds, whatever
        // the environment names it, must not fail the training run (it failed with "Address already in use")
        Path opt = Files.createDirectories(dir.resolve("opt"));
        Files.copy(TestAgent.JAR, opt.resolve("scheduled-events-agent.jar"));
        Files.createSymbolicLink(opt.resolve("lib"), Path.of("target/lib").toAbsolutePath());
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(held.getLocalPort());
            ProcessBuilder builder = new ProcessBuilder("sh", "deploy/cds-archive.sh", opt.toString(),
                    TestAgent.javaBin()).redirectErrorStream(true);
            builder.environment().put("AGENT_HEALTH_PORT", port);
            builder.environment().put("CDS_HEALTH_PORT", port);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertEquals(0, process.waitFor(), output);
        } finally {
            Files.delete(opt.resolve("lib"));
        }
        assertTrue(Files.size(opt.resolve("scheduled-events-agent.jsa")) > 0);
    }

    private static List<String> entrypoint() throws Exception {
        Matcher m = Pattern.compile("(?m)^ENTRYPOINT (\\[.*])$").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(m.find(), "ENTRYPOINT in exec form");
        return Arrays.asList(new ObjectMapper().readValue(m.group(1), String[].class));
    }
}
