package scheduledevents.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.simulator.ImdsSimulator;

/** The harness itself, on the packaged jar: a wait notices that the agent is gone and shows what it said. */
class TestAgentIT {
    @TempDir
    Path dir;

    @Test
    void awaitFailsAtOnceWhenTheAgentExitedShowingItsExitCodeAndOutput() throws Exception {
        try (ImdsSimulator imds = new ImdsSimulator().start();
                TestAgent agent = TestAgent.jar(dir).against(imds).setting("agent.poll.interval", "soon").start()) {
            // the timeout is a minute: had the wait been waited out, the message would say "not within"
            AssertionError e = assertThrows(AssertionError.class,
                    () -> agent.await("a record", () -> false));
            assertTrue(e.getMessage().startsWith("the agent exited with 2 before: a record"), e.getMessage());
            assertTrue(e.getMessage().contains("Invalid setting agent.poll.interval"), e.getMessage());
            assertEquals(2, agent.exitCode());
        }
    }

    @Test
    void settingsReachTheJarAsEnvironmentVariablesAndTheHealthPortIsFree() throws Exception {
        try (ImdsSimulator imds = new ImdsSimulator().start();
                TestAgent agent = TestAgent.jar(dir).against(imds).start()) {
            agent.awaitHealthy();
            agent.await("a poll of the simulator", () -> !imds.requests().isEmpty());
            assertTrue(agent.metrics().contains("agent_imds_polls_total"), "metrics on the same port");
            assertEquals(143, agent.stop(), "SIGTERM: 128 + 15");
        }
    }
}
