package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.e2e.E2E.transitions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Issue 11, item 7: a state file with unreadable bytes (a disk error, a crash half-way through a write) no longer
 * stops the agent: it keeps a copy of the damaged file, goes on with what it could read, and says so in one warning
 * naming the file.
 */
class DamagedStateIT extends AgainstSimulator {
    private static final String KEY = E2E.FREEZE_ID.toLowerCase();

    @Test
    void aKeyStoreWithTwoBadBytesIsRepairedAtStartAndTheAgentGoesOn() throws IOException {
        Path records = dir.resolve("records.jsonl");
        Map<String, String> env = E2E.env(imds, dir);
        SimEvent scheduled = E2E.freezeScheduled("myvm");
        E2E.setEvents(imds, scheduled);
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            E2E.setEvents(imds, scheduled.started());
            agent.await("Started", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Started"));
            agent.await("both keys kept", Duration.ofSeconds(30), () -> read(keys()).lines().count() == 2);
            agent.stop();
        }
        byte[] damaged = Files.readAllBytes(keys());
        damaged[0] = (byte) 0xC3;  // two bytes that are no text in any charset the agent reads
        damaged[1] = (byte) 0xFF;
        Files.write(keys(), damaged);

        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            E2E.setEvents(imds);
            agent.await("Completed", Duration.ofSeconds(30), () -> transitions(records).contains(KEY + "/Completed"));
            E2E.awaitMorePolls(imds, 5);
            assertTrue(agent.isAlive());
            List<String> warnings = agent.stderr().lines().filter(l -> l.contains("log.dat")).toList();
            assertEquals(1, warnings.size(), agent.stderr());
            String warning = warnings.get(0);
            assertTrue(warning.contains(keys().toString()) && warning.contains("1 unreadable")
                    && warning.contains("may be delivered again"), warning);
            List<Path> copies = corruptCopies(keys());
            assertEquals(1, copies.size(), copies.toString());
            assertTrue(warning.contains(copies.get(0).getFileName().toString()), warning);
            assertArrayEquals(damaged, Files.readAllBytes(copies.get(0)), "the damaged file is kept as it was");
            assertFalse(read(keys()).contains("\uFFFD"));
            assertTrue(read(keys()).lines().anyMatch(l -> l.equals(KEY + "/Started")), "the readable key is kept");
            assertTrue(read(keys()).lines().anyMatch(l -> l.equals(KEY + "/Completed")));
        }
        assertEquals(List.of(KEY + "/Scheduled", KEY + "/Started", KEY + "/Completed"), transitions(records));
    }

    @Test
    void unreadableStateAndApprovalsFilesAreKeptAsCopiesAndNamedAndTheAgentGoesOn() throws IOException {
        Path records = dir.resolve("records.jsonl");
        Path state = Files.createDirectories(dir.resolve("state"));
        byte[] badDocument = "{\"DocumentIncarnation\":3,\"Events\":[{\"EventId\":\"\u00c3\u00ff".getBytes(
                StandardCharsets.ISO_8859_1);
        Files.write(state.resolve("last-document.json"), badDocument);
        Files.write(state.resolve("approvals.json"), new byte[] {'{', '"', (byte) 0xC3, (byte) 0xFF, '"'});
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).start()) {
            agent.await("Scheduled", Duration.ofSeconds(60), () -> transitions(records).contains(KEY + "/Scheduled"));
            String stderr = agent.stderr();
            for (String name : List.of("last-document.json", "approvals.json")) {
                Path file = state.resolve(name);
                List<String> warnings = stderr.lines().filter(l -> l.contains(file.toString())).toList();
                assertEquals(1, warnings.size(), stderr);
                List<Path> copies = corruptCopies(file);
                assertEquals(1, copies.size(), name);
                assertTrue(warnings.get(0).contains(copies.get(0).getFileName().toString()), warnings.get(0));
            }
            assertArrayEquals(badDocument, Files.readAllBytes(corruptCopies(state.resolve("last-document.json")).get(0)));
        }
    }

    private Path keys() {
        return dir.resolve("state/delivered/log.dat");
    }

    private static List<Path> corruptCopies(Path file) {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(file.getFileName() + ".corrupt-")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
