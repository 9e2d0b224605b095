package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scheduledevents.testing.Await;

class SimulatorCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulatorCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheFlagsAndReturnsZero() {
        assertEquals(0, run("--help"));

        String usage = out.toString(StandardCharsets.UTF_8);
        for (String flag : new String[] {"--port", "--host", "--scenario", "--speed", "--vm-name", "--loop"}) {
            assertTrue(usage.contains(flag), flag);
        }
        assertTrue(usage.contains("8086"));
        assertTrue(usage.contains("spot-preempt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port abc", "--port 70000", "--port", "--speed 0", "--speed fast", "--speed NaN",
            "--bogus", "--scenario no-such-scenario", "--vm-name  ", "--port=-1", "extra"})
    void badArgumentsGiveOneLineOnStderrAndNonZero(String line) {
        int status = run(line.split(" ", -1));

        assertNotEquals(0, status);
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().startsWith("simulator: "), err());
        assertFalse(err().contains("Exception") || err().contains("\tat "), err());
    }

    @Test
    void aScenarioPathThatIsNotAFileIsABadArgument() {
        assertEquals(2, run("--scenario", "/"));
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void anInvalidScenarioFileIsReportedInOneLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"name\": \"broken\", \"events\": [{\"EventId\": \"e1\"}]}");

        assertEquals(2, run("--scenario", file.toString()));
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().contains("broken.json") && err().contains("EventType"), err());
    }

    @Test
    void aBusyPortIsReportedInOneLine() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(1, run("--port", Integer.toString(busy.getLocalPort()), "--scenario", "freeze"));
        }
        assertEquals(1, err().lines().count(), err());
        assertTrue(err().contains("cannot listen on 127.0.0.1:"), err());
    }

    @Test
    void servesTheChosenScenarioUntilInterrupted() throws Exception {
        AtomicInteger status = new AtomicInteger(-1);
        Thread command = new Thread(() -> status.set(run("--port=0", "--scenario", "host-failure", "--speed", "100",
                "--vm-name", "cli-vm", "--loop")));
        command.start();
        String line = awaitLine();
        Matcher url = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+) ").matcher(line);
        assertTrue(url.find(), line);
        assertTrue(line.contains("host-failure") && line.contains("100x") && line.contains("cli-vm"), line);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> compute = http.send(HttpRequest.newBuilder(URI.create(url.group(1)
                + "/metadata/instance/compute?api-version=2021-02-01")).header("Metadata", "true").build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode computeJson = ImdsTestClient.parse(compute.body());
        command.interrupt();
        command.join(5_000);

        assertEquals("cli-vm", computeJson.path("name").asText());
        assertFalse(command.isAlive());
        assertEquals(0, status.get());
        assertEquals("", err());
    }

    private String awaitLine() {
        Await.until("the simulator's start line", Duration.ofSeconds(30),
                () -> out.toString(StandardCharsets.UTF_8).endsWith("\n"), () -> "stderr: " + err());
        return out.toString(StandardCharsets.UTF_8).strip();
    }
}
