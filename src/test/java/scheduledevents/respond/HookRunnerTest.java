package scheduledevents.respond;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.observability.AgentMetrics;

class HookRunnerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T16:00:00Z");

    @TempDir
    Path dir;

    private HookRunner runner(Duration timeout) {
        return new HookRunner(dir, timeout, AgentMetrics.inMemory(), Clock.fixed(NOW, ZoneOffset.UTC));
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
        ObjectMapper json = new ObjectMapper();
        HookRunner runner = runner(Duration.ofMinutes(5));
        assertEquals(Duration.ofSeconds(29), runner.limitFor(json.readTree("{\"NotBeforeUtc\":\"2026-11-25T16:00:30Z\"}")));
        assertEquals(Duration.ofMinutes(5), runner.limitFor(json.readTree("{\"NotBeforeUtc\":\"2026-11-25T17:00:00Z\"}")));
        assertEquals(Duration.ofMinutes(5), runner.limitFor(json.readTree("{\"NotBeforeUtc\":null}")));
        assertEquals(Duration.ofSeconds(1), runner.limitFor(json.readTree("{\"NotBeforeUtc\":\"2026-11-25T15:00:00Z\"}")));
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

    private void executable(String name, String script) throws IOException {
        Path file = Files.writeString(dir.resolve(name), script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
