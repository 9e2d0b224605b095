package scheduledevents.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.RecordedRequest;
import scheduledevents.simulator.SimEvent;

/** What the end-to-end tests share: settings for an agent against a simulator, and simulator-side waits. */
final class E2E {
    static final String FREEZE_ID = "C7061BAC-AFDC-4513-B24B-AA5F13A16123";

    private E2E() {
    }

    /** A fast-polling agent whose state and records file live in {@code dir}. */
    static Map<String, String> env(ImdsSimulator imds, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENT_IMDS_URL", imds.baseUrl());
        env.put("AGENT_STATE_DIR", dir.resolve("state").toString());
        env.put("AGENT_SINK_LOG_FILE", dir.resolve("records.jsonl").toString());
        env.put("AGENT_POLL_INTERVAL", "100");
        env.put("AGENT_IMDS_BACKOFF_MAX", "500");
        env.put("AGENT_SINK_RETRY_INITIAL_DELAY", "100");
        env.put("AGENT_SINK_RETRY_MAX_DELAY", "500");
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
        AgentProcess.await(polls + " more polls", Duration.ofSeconds(30), () -> scheduledEventGets(imds) >= target);
    }

    static void setEvents(ImdsSimulator imds, SimEvent... events) {
        imds.setEvents(List.of(events));
    }
}
