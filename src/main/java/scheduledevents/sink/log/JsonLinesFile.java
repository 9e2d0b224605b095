package scheduledevents.sink.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one record per line to {@code agent.sink.log.file}, the form Azure Monitor Agent and Fluent Bit tail.
 * The file is opened per record (records are rare) so that logrotate's rename-and-create works without a signal.
 */
public class JsonLinesFile {
    private final String file;

    public JsonLinesFile(String file) {
        this.file = file == null ? "" : file.trim();
    }

    public void append(String recordJson) throws IOException {
        if (file.isEmpty()) {
            return;
        }
        Path path = Path.of(file);
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, recordJson.strip() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
