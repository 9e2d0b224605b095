package scheduledevents.durable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeAtomicallyReplacesContentAndLeavesOnlyTheTarget() throws Exception {
        Path target = dir.resolve("f.json");
        DurableFiles.writeAtomically(target, "old".getBytes(StandardCharsets.UTF_8));
        DurableFiles.writeAtomically(target, "new".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("new".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("f.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void aWriteThatFailsLeavesNoTemporaryFile() throws Exception {
        // A non-empty folder where the file should go: the bytes are written, the rename fails
        Path target = Files.createDirectories(dir.resolve("f.json"));
        Files.writeString(target.resolve("inside"), "x");
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThrows(IOException.class,
                    () -> DurableFiles.writeAtomically(target, "new".getBytes(StandardCharsets.UTF_8)));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("f.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void requireWritableDirectoryCreatesItAndLeavesNoProbe() throws Exception {
        Path state = dir.resolve("new/state");
        assertDoesNotThrow(() -> DurableFiles.requireWritableDirectory(state));
        try (Stream<Path> files = Files.list(state)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void requireWritableDirectoryFailsUnderARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThrows(IOException.class, () -> DurableFiles.requireWritableDirectory(file.resolve("state")));
    }
}
