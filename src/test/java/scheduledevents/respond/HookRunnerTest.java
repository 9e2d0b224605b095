package scheduledevents.respond;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.TransitionRecord;

class HookRunnerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T16:00:00Z");

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private final AgentMetrics metrics = AgentMetrics.inMemory();

    private HookRunner runner(Duration timeout) {
        return new HookRunner(dir, timeout, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private List<String> names(List<Path> hooks) {
        return hooks.stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void picksTheTypesHookThenAllAndTheCompletedOnesOnlyAfterTheEvent() throws IOException {
        for (String name : List.of("all.sh", "Freeze.sh", "freeze.completed.py", "all.completed", "Reboot.sh",
                "Freeze.sh~", ".Freeze.sh", "README.md", "Freeze.bak.old")) {
            Files.writeString(dir.resolve(name), "");
        }
        Files.createDirectory(dir.resolve("Freeze"));
        assertEquals(List.of("Freeze.sh", "all.sh"), names(runner(Duration.ofSeconds(5)).hooksFor("Freeze", "before")));
        assertEquals(List.of("freeze.completed.py", "all.completed"),
                names(runner(Duration.ofSeconds(5)).hooksFor("FREEZE", "after")));
        assertEquals(List.of("all.sh"), names(runner(Duration.ofSeconds(5)).hooksFor("Preempt", "before")));
        assertEquals(List.of(), runner(Duration.ofSeconds(5)).hooksFor("Freeze", "Canceled"));
    }

    @Test
    void aFolderWithOnlyDocumentationHasNoHooksButANamedOrExecutableFileIs() throws IOException {
        assertFalse(runner(Duration.ofSeconds(5)).anyHooks(), "an empty folder");
        Files.writeString(dir.resolve("README.md"), "how to write hooks");
        assertFalse(runner(Duration.ofSeconds(5)).anyHooks(), "documentation is not a hook");
        Files.writeString(dir.resolve("Reboot.sh"), "#!/bin/sh\n");
        assertTrue(runner(Duration.ofSeconds(5)).anyHooks(), "named after a type, even before chmod +x");
        Files.delete(dir.resolve("Reboot.sh"));
        executable("drain-lb.sh", "#!/bin/sh\n");
        assertTrue(runner(Duration.ofSeconds(5)).anyHooks(), "an executable someone put there");
    }

    @Test
    void anEventTypeCannotReachAFileOutsideTheHooksFolder() throws IOException {
        Files.writeString(dir.resolve("all.sh"), "");
        assertEquals(List.of("all.sh"), names(runner(Duration.ofSeconds(5)).hooksFor("../../bin/sh", "before")));
    }

    @Test
    void theTimeoutEndsBeforeNotBeforeAndIsTheSettingWhenThereIsNone() throws IOException {
        HookRunner runner = runner(Duration.ofMinutes(5));
        assertEquals(Duration.ofSeconds(29), runner.limitFor(notBefore("\"2026-11-25T16:00:30Z\"")));
        assertEquals(Duration.ofMinutes(5), runner.limitFor(notBefore("\"2026-11-25T17:00:00Z\"")));
        assertEquals(Duration.ofMinutes(5), runner.limitFor(notBefore("null")));
        assertEquals(Duration.ofSeconds(1), runner.limitFor(notBefore("\"2026-11-25T15:00:00Z\"")));
    }

    private static TransitionRecord notBefore(String json) throws IOException {
        return TransitionRecord.read("{\"NotBeforeUtc\":" + json + "}");
    }

    @Test
    void aRunReportsSuccessOnlyWhenEveryHookExitedZero() throws IOException {
        executable("Reboot.sh", "#!/bin/sh\nexit 0\n");
        executable("all.sh", "#!/bin/sh\nexit 1\n");
        String record = "{\"EventId\":\"e1\",\"EventType\":\"Reboot\",\"EventStatus\":\"Scheduled\",\"NotBeforeUtc\":null}";
        assertFalse(runner(Duration.ofSeconds(10)).run(record));
        Files.delete(dir.resolve("all.sh"));
        assertTrue(runner(Duration.ofSeconds(10)).run(record));
        assertTrue(runner(Duration.ofSeconds(10)).run(record.replace("Reboot", "Freeze")), "no hook is success");
    }

    @Test
    void aHookThatDoesNotReadStdinCannotHoldTheRunPastItsDeadline() throws IOException {
        // The record is over a pipe's buffer (64 KiB): writing it blocks until the hook reads, and this one never does
        executable("Reboot.sh", "#!/bin/sh\nsleep 30\n");
        String record = json.writeValueAsString(Map.of("EventId", "e1", "EventType", "Reboot",
                "EventStatus", "Scheduled", "Description", "d".repeat(100_000)));
        assertFalse(runner(Duration.ofSeconds(1)).run(record), "stopped at its deadline, not run to its end");
        assertEquals(1.0, metrics.count("agent.hooks.runs", "hook", "Reboot.sh", "outcome", "timeout"));
    }

    @Test
    void longFieldsAreCutInTheEnvironmentAndWholeOnStdin() throws IOException {
        // Over Linux's 128 KiB for one variable: the hook could not even start if it were passed whole
        executable("Freeze.sh", "#!/bin/sh\ncat > stdin.json\nprintf '%s' \"$EVENT_DESCRIPTION\" > description.txt\n"
                + "printf '%s' \"$EVENT_RESOURCES\" > resources.txt\n");
        String description = "Live migration \u00e9\u20ac\ud83d\ude80 ".repeat(7_000);
        List<String> resources = IntStream.range(0, 2_000).mapToObj(i -> "vm-" + i).toList();
        String record = json.writeValueAsString(Map.of("EventId", "e1", "EventType", "Freeze",
                "EventStatus", "Scheduled", "Description", description, "Resources", resources));
        assertTrue(runner(Duration.ofSeconds(10)).run(record), "the hook ran and exited 0");
        assertEquals(description, json.readTree(dir.resolve("stdin.json").toFile()).path("Description").asText(),
                "the whole record on stdin");
        for (String file : List.of("description.txt", "resources.txt")) {
            byte[] bytes = Files.readAllBytes(dir.resolve(file));
            String value = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(bytes.length <= HookRunner.MAX_VARIABLE_BYTES, file + ": " + bytes.length + " bytes");
            assertTrue(value.endsWith(HookRunner.CUT_MARKER), file);
            String kept = value.substring(0, value.length() - HookRunner.CUT_MARKER.length());
            assertTrue(kept.length() > 3_000, file + " keeps what fits");
            assertTrue((file.startsWith("description") ? description : String.join(",", resources)).startsWith(kept),
                    file + " is the value's beginning, cut between characters");
        }
    }

    @Test
    void aNulInAFieldDoesNotKeepTheHookFromRunning() throws IOException {
        executable("Freeze.sh", "#!/bin/sh\nprintf '%s' \"$EVENT_DESCRIPTION\" > description.txt\n");
        String record = json.writeValueAsString(Map.of("EventId", "e1", "EventType", "Freeze",
                "EventStatus", "Scheduled", "Description", "before\u0000after"));
        assertTrue(runner(Duration.ofSeconds(10)).run(record));
        assertEquals("beforeafter", Files.readString(dir.resolve("description.txt")));
    }

    private void executable(String name, String script) throws IOException {
        Path file = Files.writeString(dir.resolve(name), script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
