package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/**
 * The agent's state folder on a disk that fills up: a real 2 MiB tmpfs mounted over agent.state.dir (mounting needs
 * root, as CI and the developers' machines run; elsewhere this test fails and says so rather than skipping). While
 * records cannot be queued the agent says so once (not once a poll), leaves no temporary files behind, reports
 * DOWN on /observe/health and counts the failures; once there is room again every transition it saw meanwhile is
 * delivered, in order.
 */
class DiskFullIT extends AgainstSimulator {
    private static final String A = "d15cf011-0000-0000-0000-00000000000a";
    private static final String B = "d15cf011-0000-0000-0000-00000000000b";

    Path state;
    boolean mounted;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        state = Files.createDirectories(dir.resolve("state"));
        run("mount", "-t", "tmpfs", "-o", "size=2m,mode=0755", "tmpfs", state.toString());
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            try {
                run("umount", state.toString());
            } catch (AssertionError busy) {
                run("umount", "-l", state.toString());
            }
        }
    }

    @Test
    void aFullDiskIsReportedOnceAndHealthIsDownThenEveryTransitionSeenMeanwhileIsDelivered() throws Exception {
        Instant later = Instant.now().plus(Duration.ofMinutes(30));
        SimEvent a = SimEvent.scheduled(A, "Freeze", later, "myvm");
        SimEvent b = SimEvent.scheduled(B, "Reboot", later, "myvm");
        Map<String, String> env = E2E.env(imds, dir); // the records file is outside the small disk
        env.put("AGENT_SINKS", "log,webhook");
        env.put("AGENT_WEBHOOK_FORMAT", "json");
        Path records = dir.resolve("records.jsonl");
        Path filler = state.resolve("filler");
        try (RecordReceiver webhook = new RecordReceiver()) {
            env.put("AGENT_WEBHOOK_URL", webhook.url());
            E2E.setEvents(imds, a);
            try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
                agent.await("the first record", Duration.ofSeconds(60), () -> webhook.received().size() == 1
                        && E2E.completeLines(records) == 1);
                agent.awaitHealthy();

                fill(filler);
                int logged = agent.stderr().length();
                // Two transitions, then two more, all seen while nothing can be queued
                E2E.setEvents(imds, a.started(), b);
                E2E.awaitMorePolls(imds, 20);
                E2E.setEvents(imds, b.started());
                E2E.awaitMorePolls(imds, 20);

                String episode = agent.stderr().substring(logged);
                List<String> lines = episode.lines().toList();
                String metrics = agent.metrics();
                assertAll("while the disk is full",
                    () -> assertEquals(503, agent.healthStatus(), "health DOWN"),
                    () -> assertEquals(List.of(), temporaryFiles(), "no temporary file left"),
                    () -> assertTrue(metrics.contains("agent_queue_write_failures_total{sink=\"log\"}"),
                            "a metric counts the failed writes"),
                    () -> assertEquals(1, lines.stream().filter(l -> l.contains("Cannot queue")).count(),
                            "one line for the episode:\n" + episode),
                    () -> assertTrue(lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                            "no stack trace:\n" + episode),
                    // besides that line: one line per transition seen (4), whatever the number of polls (40)
                    () -> assertTrue(lines.size() <= 6, lines.size() + " lines:\n" + episode),
                    () -> assertEquals(List.of(A + "/Scheduled"), E2E.transitions(records)));

                Files.delete(filler);
                List<String> expected = List.of(A + "/Scheduled", A + "/Started", B + "/Scheduled", B + "/Started",
                        A + "/Completed");
                agent.await("every transition delivered", Duration.ofSeconds(60),
                        () -> E2E.completeLines(records) >= expected.size()
                                && webhook.received().size() >= expected.size());
                agent.awaitHealthy();
                E2E.awaitMorePolls(imds, 10);
                assertEquals(expected, E2E.transitions(records), "log sink");
                assertEquals(expected, webhook.received(), "webhook sink");
                assertEquals(List.of(), temporaryFiles());
                assertTrue(agent.stderr().substring(logged).contains("queued again"), agent.stderr());
            }
        }
    }

    /** Writes {@code file} until the disk refuses more. */
    private static void fill(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer page = ByteBuffer.allocate(4096);
            while (true) {
                page.clear();
                out.write(page);
            }
        } catch (IOException full) {
            assertTrue(Files.getFileStore(file).getUsableSpace() < 4096, "the disk is full: " + full);
        }
    }

    private List<String> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(state.resolve("queue"))) {
            return files.map(f -> state.relativize(f).toString()).filter(f -> f.endsWith(".tmp")).toList();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit + ": " + out
                    + " (this test mounts a small tmpfs as the agent's state folder: it needs root, as CI has)");
        }
        return out;
    }
}
