package scheduledevents.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.SettableClock;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;

class SinkQueuesTest {
    @TempDir
    Path state;

    private final SettableClock clock = SettableClock.at("2026-11-25T16:00:00Z");
    private final AgentMetrics metrics = AgentMetrics.inMemory();

    @Test
    void aQueueThatCannotBeWrittenFailsTheEnqueueIsCountedAndReportedDownUntilARecordIsQueuedAgain()
            throws Exception {
        SinkQueues queues = new SinkQueues(state, List.of("log", "webhook"), metrics, clock);
        QueueHealthCheck health = new QueueHealthCheck(queues);
        health.setCamelContext(new DefaultCamelContext());
        assertEquals(0.0, metrics.count("agent.queue.write.failures", "sink", "log"), "scraped before any failure");
        assertEquals(HealthCheck.State.UP, health.call().getState());

        // A plain file where the queues' folder should be: no record can be written
        Path blocker = Files.writeString(state.resolve("queue"), "not a folder");
        QueueWriteException failure = assertThrows(QueueWriteException.class, () -> queues.enqueue(record()));
        assertTrue(failure.getMessage().startsWith("cannot queue records for sink log in "), failure.getMessage());
        clock.set("2026-11-25T16:00:01Z");
        assertThrows(QueueWriteException.class, () -> queues.enqueue(record()));
        assertEquals(2.0, metrics.count("agent.queue.write.failures", "sink", "log"));
        assertEquals(Instant.parse("2026-11-25T16:00:00Z"), queues.failingSince(), "since the first failure");
        HealthCheck.Result down = health.call(Map.of());
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertTrue(down.getMessage().orElse("").contains("sink log"), down.getMessage().toString());
        assertEquals(false, health.isLiveness(), "a restart frees no disk space");

        Files.delete(blocker);
        queues.enqueue(record());
        assertNull(queues.failingSince());
        assertNull(queues.problem());
        assertEquals(HealthCheck.State.UP, health.call().getState());
        assertEquals(1, queues.depth("log"));
        assertEquals(1, queues.depth("webhook"));
        assertEquals(2.0, metrics.count("agent.queue.write.failures", "sink", "log"));
        assertNotNull(metrics.registry().find("agent.queue.write.failures").tags("sink", "webhook").counter());
    }

    private TransitionRecord record() {
        ScheduledEvent event = new ScheduledEvent("E1", "Reboot", "VirtualMachine", List.of("myvm"), "Scheduled", "",
                "test", "Platform", -1, null);
        return TransitionRecord.of(event, 1, clock.instant(), "myvm", VmIdentity.UNKNOWN.withName("myvm"), null);
    }
}
