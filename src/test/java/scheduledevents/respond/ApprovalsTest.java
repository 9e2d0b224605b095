package scheduledevents.respond;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** approvals.json: kept across restarts, and a damaged one never stops the agent nor fails a poll. */
class ApprovalsTest {
    @TempDir
    Path dir;

    @Test
    void approvalsAreRememberedAcrossRestartsWhateverTheEventIdCase() {
        Instant at = Instant.parse("2026-11-25T16:56:22.104Z");
        new Approvals(dir).record("ABC-1", at);
        assertEquals(at, new Approvals(dir).approvedAt("abc-1"));
        assertNull(new Approvals(dir).approvedAt("other"));
    }

    @Test
    void anApprovalsFileWithBadBytesIsMovedAsideAndTheAgentGoesOnWithout() throws Exception {
        byte[] damaged = "{\"abc-1\":\"2026-11-25T16:56:22Z\",\"\u00c3\u00ff\":\"x\"}".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(dir.resolve("approvals.json"), damaged);
        Approvals approvals = new Approvals(dir);
        assertNull(approvals.approvedAt("abc-1"));
        assertArrayEquals(damaged, Files.readAllBytes(copies().get(0)));
        assertFalse(Files.exists(dir.resolve("approvals.json")));
        approvals.record("def-2", Instant.parse("2026-11-25T17:00:00Z"));
        assertEquals(Instant.parse("2026-11-25T17:00:00Z"), new Approvals(dir).approvedAt("def-2"));
    }

    @Test
    void anEntryWhoseTimeIsUnreadableIsDroppedAndTheOthersKept() throws Exception {
        Files.writeString(dir.resolve("approvals.json"),
                "{\"abc-1\":\"2026-11-25T16:56:22Z\",\"bad-2\":\"yesterday\",\"bad-3\":7,\"bad-4\":null}");
        Approvals approvals = new Approvals(dir);
        assertEquals(Instant.parse("2026-11-25T16:56:22Z"), approvals.approvedAt("abc-1"));
        assertNull(approvals.approvedAt("bad-2"), "was an exception on every poll that met the event");
        assertNull(approvals.approvedAt("bad-3"));
        assertNull(approvals.approvedAt("bad-4"));
        assertEquals(1, copies().size(), "the file as it was is kept for a look");
    }

    @Test
    void anApprovalsFileOfAnotherShapeIsMovedAside() throws Exception {
        Files.writeString(dir.resolve("approvals.json"), "[1,2,3]");
        assertNull(new Approvals(dir).approvedAt("abc-1"));
        assertEquals(List.of("[1,2,3]"), List.of(Files.readString(copies().get(0))));
    }

    private List<Path> copies() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("approvals.json.corrupt-")).toList();
        }
    }
}
