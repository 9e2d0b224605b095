package scheduledevents.respond;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.state.DurableFiles;

/**
 * Which events this agent approved, and when, kept in {@code agent.state.dir/approvals.json}: the records of later
 * transitions of the event carry {@code Approved} and {@code ApprovedAt}, also after a restart.
 */
public class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
    private static final int MAX_KEPT = 1000;

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> approvedAt = new LinkedHashMap<>();

    public Approvals(Path stateDir) {
        this.file = stateDir.resolve("approvals.json");
        if (Files.exists(file)) {
            try {
                approvedAt.putAll(mapper.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
            } catch (IOException e) {
                LOG.warn("Approvals file {} is unreadable ({}); starting without it", file, e.getMessage());
            }
        }
    }

    /** @return when this agent approved the event, or null */
    public synchronized Instant approvedAt(String eventId) {
        String at = approvedAt.get(eventId.toLowerCase(Locale.ROOT));
        return at == null ? null : Instant.parse(at);
    }

    synchronized void record(String eventId, Instant at) {
        approvedAt.put(eventId.toLowerCase(Locale.ROOT), at.toString());
        while (approvedAt.size() > MAX_KEPT) {
            approvedAt.remove(approvedAt.keySet().iterator().next());
        }
        try {
            DurableFiles.writeAtomically(file, mapper.writeValueAsBytes(approvedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save approvals to " + file, e);
        }
    }
}
