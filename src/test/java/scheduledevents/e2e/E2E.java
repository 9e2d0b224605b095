package scheduledevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.RecordedRequest;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.Await;
import scheduledevents.testing.TestAgent;

/** What the end-to-end tests share: settings for an agent against a simulator, and simulator-side waits. */
final class E2E {
    /** How long a command of the jar (--help, --once, a refused start) may take: only a bound for a broken build. */
    static final Duration RUN = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FREEZE_ID = "C7061BAC-AFDC-4513-B24B-AA5F13A16123";

    private E2E() {
    }

    /** A fast-polling agent whose state and records file live in {@code dir}. */
    static Map<String, String> env(ImdsSimulator imds, Path dir) {
        Map<String, String> env = new HashMap<>();
        TestAgent.fastSettings(imds, dir).forEach((key, value) -> env.put(TestAgent.envName(key), value));
        return env;
    }

    static SimEvent freezeScheduled(String vm) {
        return SimEvent.scheduled(FREEZE_ID, "Freeze", Instant.now().plus(Duration.ofMinutes(15)), vm);
    }

    static long scheduledEventGets(ImdsSimulator imds) {
        return imds.requests().stream().filter(E2E::isScheduledEventsGet).count();
    }

    static boolean isScheduledEventsGet(RecordedRequest r) {
        return r.method().equals("GET") && r.pathAndQuery().startsWith("/metadata/scheduledevents");
    }

    /** Waits until the agent has polled {@code polls} more times: whatever it would do with a document, it did. */
    static void awaitMorePolls(ImdsSimulator imds, int polls) {
        long target = scheduledEventGets(imds) + polls;
        Await.until(polls + " more polls", Duration.ofSeconds(30), () -> scheduledEventGets(imds) >= target);
    }

    static void setEvents(ImdsSimulator imds, SimEvent... events) {
        imds.setEvents(List.of(events));
    }

    /** JSON lines of a records file (the log sink's agent.sink.log.file). */
    static List<JsonNode> records(Path file) {
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

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
