package scheduledevents.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;
import scheduledevents.testing.TestAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.e2e.E2E.transitions;


/**
 * IMDS misbehaving: error statuses, slow answers, and every malformed document of the shared fixtures. The agent
 * must keep running, say what is wrong once per problem rather than once per poll, and process the next good
 * document.
 */
class ImdsFaultsIT extends AgainstSimulator {
    private static final Path MALFORMED = Fixtures.MALFORMED;


    @Test
    void everyMalformedFixtureAndFaultLeavesTheAgentRunningAndTheNextGoodDocumentIsProcessed() throws Exception {
        Path records = dir.resolve("records.jsonl");
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_IMDS_TIMEOUT", "1000");
        E2E.setEvents(imds);
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            List<Path> fixtures;
            try (Stream<Path> files = Files.list(MALFORMED)) {
                fixtures = files.sorted().toList();
            }
            assertTrue(fixtures.size() >= 7, "the malformed fixtures are there");
            for (Path fixture : fixtures) {
                imds.setDocument(Files.readString(fixture));
                E2E.awaitMorePolls(imds, 3);
                assertTrue(agent.isAlive(), "still running after " + fixture.getFileName());
            }
            imds.failNext(500, 2);
            imds.failNext(410, 2);
            imds.failNext(429, 2);
            imds.serveRawNext("<html><body>502 Bad Gateway</body></html>", 2);
            imds.delayNext(Duration.ofMillis(2500), 1);
            E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
            String key = E2E.FREEZE_ID.toLowerCase() + "/Scheduled";
            agent.await("the good document after the faults", Duration.ofSeconds(60),
                    () -> transitions(records).contains(key));
            E2E.awaitMorePolls(imds, 5);

            assertTrue(agent.isAlive());
            assertEquals(200, agent.healthStatus(), "healthy again once IMDS answers");
            String log = agent.stderr();
            assertFalse(log.contains("\tat "), "no stack trace in the log:\n" + log);
            assertEquals(1, occurrences(log, "DocumentIncarnation is not a number"), "once per problem:\n" + log);
            assertEquals(1, occurrences(log, "HTML or XML, not JSON"), "once per distinct problem:\n" + log);
            assertTrue(log.contains("IMDS answered HTTP 500"), log);
            assertTrue(log.contains("IMDS answered HTTP 429"), log);
            assertTrue(log.contains("did not answer within"), log);
            assertTrue(log.contains("IMDS answers again"), log);
            // The injection fixture's CR/LF never starts a new log line
            assertFalse(log.lines().anyMatch(l -> l.startsWith("Bcc:") || l.startsWith("Subject: injected")), log);
            String metrics = agent.metrics();
            assertTrue(metrics.contains("agent_imds_poll_errors_total{status=\"malformed\"}"), metrics);
            assertTrue(metrics.contains("agent_imds_poll_errors_total{status=\"500\"}"), metrics);
        }
    }

    @Test
    void imdsNeverSeesMoreThanFiveRequestsInAnySecond() {
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_POLL_INTERVAL", "10");
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            imds.clearRequests();
            E2E.awaitMorePolls(imds, 40);
            int peak = imds.maxRequestsInAnyWindow(Duration.ofSeconds(1));
            assertTrue(peak <= 5, "peak " + peak + " requests in one second");
            assertTrue(peak >= 3, "the agent polls as fast as the budget allows, peak " + peak);
        }
    }

    @Test
    void aSlowFirstAnswerIsWaitedForAndHealthFollowsImds() {
        // IMDS may take up to two minutes to answer a VM's first request of the day: the agent waits for it
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_IMDS_TIMEOUT", "1000");
        env.put("AGENT_HEALTH_DOWN_AFTER", "1500");
        imds.delayNext(Duration.ofMillis(4000), 1);
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            assertFalse(agent.stderr().contains("did not answer within"), agent.stderr());
            assertTrue(agent.isAlive());

            // about 5 s of failures at the capped backoff (500 ms): longer than down-after, then IMDS is back
            imds.failNext(503, 12);
            agent.await("health DOWN while IMDS fails", Duration.ofSeconds(30), () -> agent.healthStatus() == 503);
            agent.await("health UP again", Duration.ofSeconds(60), () -> agent.healthStatus() == 200);
            assertTrue(agent.isAlive());
        }
    }

    @Test
    void anImdsThatTricklesItsAnswerIsCutOffAtTheDeadlineSaidOnceHealthTurnsDownAndTheAgentRecovers()
            throws Exception {
        // One byte a second: no single read ever waits the 2 s timeout, so only a deadline on the whole answer ends
        // such a poll. Without one, a poll hung for minutes, silently, with health UP.
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_IMDS_TIMEOUT", "2000");
        env.put("AGENT_HEALTH_DOWN_AFTER", "3000");
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            imds.trickleNext(Duration.ofSeconds(1), 1_000_000);
            agent.await("health DOWN while IMDS trickles", Duration.ofSeconds(30), () -> agent.healthStatus() == 503);
            E2E.awaitMorePolls(imds, 3); // each trickled answer was cut off, and the agent asked again
            String metrics = agent.metrics();
            assertTrue(metrics.contains("agent_imds_poll_errors_total{status=\"timeout\"}"), metrics);
            String log = agent.stderr();
            assertEquals(1, occurrences(log, "still sending its answer after 2000 ms"), "said once:\n" + log);
            assertFalse(log.contains("\tat "), "no stack trace in the log:\n" + log);

            imds.clearFaults();
            agent.await("health UP once IMDS answers again", Duration.ofSeconds(30), () -> agent.healthStatus() == 200);
            assertTrue(agent.stderr().contains("IMDS answers again"), agent.stderr());
            assertTrue(agent.isAlive());
        }
    }

    private static long occurrences(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }
}
