package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.testing.TestAgent;

/**
 * More records waiting than one poll of a queue takes (500): every sink and the respond stage still take them in
 * queue-name order, which is the order they were queued in. Before, Camel took the first 500 files the folder
 * listing gave and sorted only those, so a Started could be delivered after the Completed of the same event.
 */
class QueueOrderIT extends AgainstSimulator {
    private static final int EVENTS = 500;
    /** Every tenth event names this VM: hooks run for those only (a hook run costs a process). */
    private static final int HOOKED_EVERY = 10;
    private static final List<String> STATUSES = List.of("Scheduled", "Started", "Completed");
    private static final String HOOK = """
            #!/bin/sh
            echo "$EVENT_ID/$EVENT_STATUS" >> "$HOOK_OUT/runs.log"
            """;

    @Test
    void fifteenHundredQueuedRecordsReachTheLogSinkTheWebhookAndTheHooksInQueueOrder() throws Exception {
        Path state = dir.resolve("state");
        List<String> queued = queueRecords(state, List.of("log", "webhook", "respond"));
        Path hooks = Files.createDirectories(dir.resolve("hooks"));
        hook(hooks.resolve("all.sh"));
        hook(hooks.resolve("all.completed.sh"));
        Path hookOut = Files.createDirectories(dir.resolve("hook-out"));
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_SINKS", "log,webhook");
        env.put("AGENT_WEBHOOK_FORMAT", "json");
        env.put("AGENT_HOOKS_DIR", hooks.toString());
        env.put("HOOK_OUT", hookOut.toString());
        Path records = dir.resolve("records.jsonl");
        Path runs = hookOut.resolve("runs.log");
        List<String> posted;
        try (RecordReceiver webhook = new RecordReceiver()) {
            env.put("AGENT_WEBHOOK_URL", webhook.url());
            try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
                agent.await("every record in the log sink", Duration.ofSeconds(180),
                        () -> E2E.completeLines(records) >= queued.size());
                agent.await("every record posted to the webhook", Duration.ofSeconds(180),
                        () -> webhook.received().size() >= queued.size());
                // hooks run once per event before it (Scheduled; Started is the same stage) and once after it
                agent.await("every hook run", Duration.ofSeconds(180),
                        () -> lines(runs).size() >= 2 * EVENTS / HOOKED_EVERY);
                agent.stop();
            }
            posted = webhook.received();
        }

        List<String> hooked = new ArrayList<>();
        for (int e = 0; e < EVENTS; e += HOOKED_EVERY) {
            hooked.add(queued.get(3 * e));
            hooked.add(queued.get(3 * e + 2));
        }
        assertAll(() -> assertEquals(queued, E2E.transitions(records), "log sink"),
                () -> assertEquals(queued, posted, "webhook sink"),
                () -> assertEquals(hooked, lines(runs), "respond stage (hooks for this VM's events, in queue order)"));
    }

    /**
     * Puts the same {@code EVENTS * 3} records in each queue folder, named as SinkQueues names them
     * ({@code <millis>-<sequence>.json}) and written in a shuffled order, so that neither the folder's listing order
     * nor the files' times match the names. Returns "eventid/Status" in name order.
     */
    private static List<String> queueRecords(Path state, List<String> queues) throws IOException {
        ObjectMapper json = new ObjectMapper();
        long start = Instant.now().minusSeconds(60).toEpochMilli();
        Instant notBefore = Instant.now().plus(Duration.ofHours(2));
        List<String> expected = new ArrayList<>();
        List<String[]> files = new ArrayList<>();
        int sequence = 0;
        for (int e = 0; e < EVENTS; e++) {
            String id = String.format("0RDER000-0000-0000-0000-%012d", e);
            for (String status : STATUSES) {
                sequence++;
                String vm = e % HOOKED_EVERY == 0 ? "myvm" : "othervm";
                ScheduledEvent event = new ScheduledEvent(id, "Freeze", "VirtualMachine", List.of(vm), status,
                        "", "queued before the agent started", "Platform", 5, notBefore);
                TransitionRecord record = TransitionRecord.of(event, e + 1, Instant.ofEpochMilli(start + sequence),
                        "myvm", VmIdentity.UNKNOWN.withName("myvm"), null);
                files.add(new String[] {String.format("%013d-%09d.json", start + sequence, sequence),
                        json.writeValueAsString(record)});
                expected.add(id.toLowerCase() + "/" + status);
            }
        }
        Collections.shuffle(files, new Random(42));
        for (String queue : queues) {
            Path folder = Files.createDirectories(state.resolve("queue").resolve(queue));
            for (String[] file : files) {
                Files.writeString(folder.resolve(file[0]), file[1]);
            }
        }
        return expected;
    }

    private static void hook(Path file) throws IOException {
        Files.writeString(file, HOOK);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static List<String> lines(Path file) {
        try {
            // "EventId/EventStatus", the id lower-cased as E2E.transitions does
            return Files.exists(file) ? Files.readAllLines(file).stream()
                    .map(l -> l.substring(0, l.indexOf('/')).toLowerCase() + l.substring(l.indexOf('/'))).toList()
                    : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
