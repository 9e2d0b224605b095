package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.e2e.E2E.transitions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/**
 * A sink that is down for a while, and an agent killed with -9 in the middle of it: every record still arrives,
 * once, when the sink is back. The log sink's file is the sink here: its folder is blocked by a plain file.
 */
class SinkOutageIT extends AgainstSimulator {
    private static final String KEY = E2E.FREEZE_ID.toLowerCase();


    @Test
    void aSinkThatFailsForAWhileGetsEveryRecordAfterwardsEvenAcrossKill9() throws IOException {
        Path blocker = dir.resolve("sink");
        Files.writeString(blocker, "a plain file where the records' folder should be");
        Path records = blocker.resolve("records.jsonl");
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_SINK_LOG_FILE", records.toString());
        Path queue = dir.resolve("state/queue/log");

        SimEvent scheduled = E2E.freezeScheduled("myvm");
        E2E.setEvents(imds, scheduled);
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("Scheduled queued", Duration.ofSeconds(60), () -> queued(queue) >= 1);
            E2E.setEvents(imds, scheduled.started());
            agent.await("Started queued", Duration.ofSeconds(30), () -> queued(queue) >= 2);
            E2E.setEvents(imds);
            agent.await("Completed queued", Duration.ofSeconds(30), () -> queued(queue) >= 3);
            agent.await("a failed delivery", Duration.ofSeconds(30), () -> agent.stderr().contains("will retry"));
            assertEquals("", agent.stdout(), "nothing was delivered while the sink was down");
            agent.kill9();
        }

        Files.delete(blocker);
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("every record delivered", Duration.ofSeconds(60), () -> transitions(records).size() >= 3);
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of(KEY + "/Scheduled", KEY + "/Started", KEY + "/Completed"), transitions(records));
            assertEquals(0, queued(queue), "the queue is empty once the sink accepted everything");
            assertTrue(agent.metrics().contains("agent_sink_deliveries_total{sink=\"log\"} 3.0"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long queued(Path queue) {
        if (!Files.isDirectory(queue)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
