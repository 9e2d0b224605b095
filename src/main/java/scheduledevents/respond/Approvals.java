package scheduledevents.respond;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.durable.DamagedFiles;
import scheduledevents.durable.DurableFiles;
import scheduledevents.logging.UntrustedText;

/**
 * Which events this agent approved, and when, kept in {@code agent.state.dir/approvals.json}: the records of later
 * transitions of the event carry {@code Approved} and {@code ApprovedAt}, also after a restart.
 */
public class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
    private static final int MAX_KEPT = 1000;

    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, String> approvedAt = new LinkedHashMap<>();

    public Approvals(Path stateDir) {
        this(stateDir, Clock.systemUTC());
    }

    public Approvals(Path stateDir, Clock clock) {
        this.file = stateDir.resolve("approvals.json");
        this.clock = clock;
        if (Files.exists(file)) {
            load();
        }
    }

    /**
     * Reads the file; a damaged one (bad bytes, another shape, a time that is no time) is moved aside and the agent
     * goes on with the approvals it could read: a time it cannot read would otherwise fail every poll that meets the
     * event. Losing an approval only makes later records of that event say Approved false.
     */
    private void load() {
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            damaged(e.getOriginalMessage(), false);
            return;
        } catch (CharConversionException e) {
            damaged(e.getMessage(), false);
            return;
        } catch (IOException e) {
            LOG.warn("Approvals file {} cannot be read ({}); starting without it", file, e.toString());
            return;
        }
        if (root == null || !root.isObject()) {
            damaged("not a JSON object", false);
            return;
        }
        int unreadable = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                if (!entry.getValue().isTextual()) {
                    throw new DateTimeParseException("not text", entry.getValue().toString(), 0);
                }
                approvedAt.put(entry.getKey().toLowerCase(Locale.ROOT),
                        Instant.parse(entry.getValue().textValue()).toString());
            } catch (DateTimeParseException e) {
                unreadable++;
            }
        }
        if (unreadable > 0) {
            damaged(unreadable + " approval(s) without a readable time", true);
        }
    }

    private void damaged(String reason, boolean keepReadable) {
        String moved;
        try {
            moved = "moved it to " + DamagedFiles.moveAside(file, clock);
            if (keepReadable) {
                save();
            }
        } catch (IOException | UncheckedIOException e) {
            moved = "could not move it aside (" + e + ")";
        }
        LOG.warn("Approvals file {} is damaged ({}); {} and went on with the {} approval(s) it could read: records"
                + " of an event approved earlier may say Approved false", file, UntrustedText.forLog(reason), moved,
                approvedAt.size());
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
        save();
    }

    private void save() {
        try {
            DurableFiles.writeAtomically(file, mapper.writeValueAsBytes(approvedAt));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save approvals to " + file, e);
        }
    }
}
