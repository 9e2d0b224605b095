package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static scheduledevents.e2e.E2E.transitions;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/**
 * Issue 11, item 6: an event that vanishes (the agent says Canceled) and comes back is reported again, to every sink
 * and to the respond stage, as a new occurrence; the same record delivered twice is still dropped; and one transient
 * empty document does not cancel a Scheduled event.
 */
class ReturningEventIT extends AgainstSimulator {
    private static final String ID = "E6000000-0000-4000-8000-000000000006";
    private static final String KEY = ID.toLowerCase();
    private static final String RECORDING_HOOK = """
            #!/bin/sh
            echo "$(basename "$0") $EVENT_STATUS $EVENT_OCCURRENCE" >> "$HOOK_OUT/runs.log"
            """;

    @Test
    void anEventThatVanishesAndComesBackIsReportedAndHookedAgainAndARedeliveryIsStillDropped() throws Exception {
        Path hooks = Files.createDirectories(dir.resolve("hooks"));
        Path out = Files.createDirectories(dir.resolve("hook-out"));
        hook(hooks.resolve("Freeze.sh"));
        hook(hooks.resolve("Freeze.completed.sh"));
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_HOOKS_DIR", hooks.toString());
        env.put("HOOK_OUT", out.toString());
        Path records = dir.resolve("records.jsonl");
        SimEvent scheduled = SimEvent.scheduled(ID, "Freeze", Instant.now().plusSeconds(900), "myvm");

        E2E.setEvents(imds, scheduled);
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            E2E.setEvents(imds);
            agent.await("Canceled", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Canceled"));
            E2E.setEvents(imds, scheduled);
            agent.await("Scheduled again", Duration.ofSeconds(30), () -> count(transitions(records), KEY + "/Scheduled") == 2);
            agent.await("the hook for the return", Duration.ofSeconds(30), () -> runs(out).size() == 2);
            agent.stop();
        }
        // The agent restarts between the return and its start: the occurrence was remembered
        E2E.setEvents(imds, scheduled.started());
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("Started", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Started"));
            E2E.setEvents(imds);
            agent.await("Completed", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Completed"));
            agent.await("the completed hook", Duration.ofSeconds(30), () -> runs(out).size() == 3);
            E2E.awaitMorePolls(imds, 10);
            agent.stop();
        }
        List<JsonNode> delivered = E2E.records(records);
        assertEquals(List.of(KEY + "/Scheduled", KEY + "/Canceled", KEY + "/Scheduled", KEY + "/Started",
                KEY + "/Completed"), transitions(records));
        assertEquals(List.of(1, 1, 2, 2, 2), delivered.stream().map(r -> r.path("Occurrence").asInt()).toList());
        assertEquals(List.of("Freeze.sh Scheduled 1", "Freeze.sh Scheduled 2", "Freeze.completed.sh Completed 2"),
                runs(out), "before-hooks again for the return, .completed once it is over");

        // A kill -9 after delivering but before deleting a queue file delivers that record again: still dropped
        Path queue = dir.resolve("state/queue/log");
        List<String> lines = Files.readAllLines(records, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Files.writeString(queue.resolve(String.format("%013d-%09d.json", System.currentTimeMillis(), 900 + i)),
                    lines.get(i), StandardCharsets.UTF_8);
        }
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("the queue drained", Duration.ofSeconds(60), () -> queued(queue) == 0);
            E2E.awaitMorePolls(imds, 5);
        }
        assertEquals(5, transitions(records).size(), "every repeat dropped: " + transitions(records));
        assertEquals(3, runs(out).size());
    }

    @Test
    void oneEmptyDocumentInTheMiddleDoesNotCancelAScheduledEvent() {
        Path records = dir.resolve("records.jsonl");
        SimEvent scheduled = SimEvent.scheduled(ID, "Freeze", Instant.now().plusSeconds(900), "myvm");
        E2E.setEvents(imds, scheduled);
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).start()) {
            agent.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            imds.serveRawNext("{\"DocumentIncarnation\":99,\"Events\":[]}", 1);
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of(KEY + "/Scheduled"), transitions(records));
            // gone for good: Canceled after agent.canceled.missing-documents documents
            E2E.setEvents(imds);
            agent.await("Canceled", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Canceled"));
            E2E.awaitMorePolls(imds, 5);
            assertEquals(List.of(KEY + "/Scheduled", KEY + "/Canceled"), transitions(records));
        }
    }

    private static void hook(Path file) throws IOException {
        Files.writeString(file, RECORDING_HOOK);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> runs(Path out) {
        try {
            Path log = out.resolve("runs.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(List<String> items, String item) {
        return items.stream().filter(item::equals).count();
    }

    private static long queued(Path queue) {
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            return -1;
        }
    }
}
