package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.e2e.E2E.counts;
import static scheduledevents.e2e.E2E.transitions;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/** The agent jar against the IMDS simulator over loopback: one record per transition, across restarts too. */
class AgentLifecycleIT extends AgainstSimulator {
    private static final String KEY = E2E.FREEZE_ID.toLowerCase();


    @Test
    void freezeLifecycleYieldsScheduledStartedCompletedExactlyOnceEach() {
        Path records = dir.resolve("records.jsonl");
        SimEvent scheduled = E2E.freezeScheduled("myvm");
        E2E.setEvents(imds, scheduled);
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).start()) {
            agent.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            E2E.setEvents(imds, scheduled.started());
            agent.await("Started", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Started"));
            E2E.setEvents(imds);
            agent.await("Completed", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Completed"));
            E2E.awaitMorePolls(imds, 10);

            assertEquals(List.of(KEY + "/Scheduled", KEY + "/Started", KEY + "/Completed"), transitions(records));
            assertEquals(3, agent.stdout().lines().count(), "stdout carries the same records, once each");
            JsonNode first = E2E.records(records).get(0);
            assertEquals("myvm", first.path("Vm").path("Name").asText());
            assertTrue(first.path("AffectsThisVm").asBoolean());
            long notice = first.path("NoticeSeconds").asLong();
            assertTrue(notice > 800 && notice <= 900, "NoticeSeconds " + notice);
            assertTrue(Instant.parse(first.path("NotBeforeUtc").asText()).isAfter(Instant.now()));
            assertTrue(agent.isAlive());
        }
    }

    @Test
    void restartOnTheSameStateReplaysNothingAndLosesNothing() {
        Path records = dir.resolve("records.jsonl");
        Map<String, String> env = E2E.env(imds, dir);
        SimEvent scheduled = E2E.freezeScheduled("myvm");
        E2E.setEvents(imds, scheduled);
        try (TestAgent first = TestAgent.jar(dir).env(env).start()) {
            first.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            first.stop();
        }
        // While the agent is down the event starts: the restarted agent must report it, and only it
        E2E.setEvents(imds, scheduled.started());
        try (TestAgent second = TestAgent.jar(dir).env(env).start()) {
            second.await("Started after restart", Duration.ofSeconds(60),
                    () -> transitions(records).contains(KEY + "/Started"));
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of(KEY + "/Scheduled", KEY + "/Started"), transitions(records));
            second.stop();
        }
        try (TestAgent third = TestAgent.jar(dir).env(env).start()) {
            third.awaitHealthy();
            E2E.awaitMorePolls(imds, 10);
            assertEquals(2, transitions(records).size(), "a restart with nothing new replays nothing");
        }
    }

    @Test
    void scopeThisVmReportsOnlyEventsNamingThisVmAndScopeAllReportsEvery() {
        Path records = dir.resolve("records.jsonl");
        E2E.setEvents(imds, SimEvent.scheduled("other-1", "Reboot", Instant.now().plusSeconds(900), "othervm"),
                E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).start()) {
            agent.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            E2E.awaitMorePolls(imds, 5);
            assertEquals(List.of(KEY + "/Scheduled"), transitions(records));
        }
        Path all = dir.resolve("all");
        Map<String, String> env = E2E.env(imds, all);
        env.put("AGENT_SCOPE", "all");
        try (TestAgent agent = TestAgent.jar(all).env(env).start()) {
            Path allRecords = all.resolve("records.jsonl");
            agent.await("both events", Duration.ofSeconds(60), () -> transitions(allRecords).size() == 2);
            assertEquals(Map.of("other-1/Scheduled", 1, KEY + "/Scheduled", 1), counts(transitions(allRecords)));
        }
    }
}
