package scheduledevents.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.events.MalformedDocumentException;
import scheduledevents.events.ScheduledEvent;
import scheduledevents.events.ScheduledEventsDocument;
import scheduledevents.events.ScheduledEventsParser;
import scheduledevents.events.UntrustedText;

/**
 * The last Scheduled Events document the agent acted on, kept in {@code agent.state.dir} so that a restart (or the
 * VM's own reboot) neither replays nor loses a transition. Stored in IMDS's own format and read back with the same
 * parser, so there is one way to read an event.
 */
public class EventStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(EventStateStore.class);
    private static final ScheduledEventsDocument EMPTY = new ScheduledEventsDocument(0, List.of(), true, List.of());

    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ScheduledEventsParser parser = new ScheduledEventsParser();

    public EventStateStore(Path stateDir) {
        this(stateDir, Clock.systemUTC());
    }

    public EventStateStore(Path stateDir, Clock clock) {
        this.file = stateDir.resolve("last-document.json");
        this.clock = clock;
    }

    public ScheduledEventsDocument load() {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return damaged("bytes that are not UTF-8");
        } catch (IOException e) {
            // Not the content (a folder in its place, no permission): leave it for the operator to see to
            LOG.warn("State file {} cannot be read ({}); starting from an empty state", file, e.toString());
            return EMPTY;
        }
        try {
            return parser.parse(text);
        } catch (MalformedDocumentException e) {
            return damaged(e.getMessage());
        }
    }

    /**
     * A damaged state file must not stop the agent: it is moved aside (kept for a look, and not warned about again at
     * the next start) and the agent starts empty, which may repeat a notice (the sinks drop what they delivered)
     * but never loses one.
     */
    private ScheduledEventsDocument damaged(String reason) {
        String moved;
        try {
            moved = "moved it to " + DamagedFiles.moveAside(file, clock);
        } catch (IOException e) {
            moved = "could not move it aside (" + e + ")";
        }
        LOG.warn("State file {} is damaged ({}); {} and started from an empty state: the events of the next document"
                + " are compared afresh, and each sink drops the records it already delivered", file,
                UntrustedText.forLog(reason), moved);
        return EMPTY;
    }

    public void save(long incarnation, Collection<ScheduledEvent> events) {
        ObjectNode root = mapper.createObjectNode();
        root.put("DocumentIncarnation", incarnation);
        ArrayNode array = root.putArray("Events");
        for (ScheduledEvent e : events) {
            ObjectNode node = array.addObject();
            node.put("EventId", e.eventId());
            node.put("EventType", e.eventType());
            node.put("ResourceType", e.resourceType());
            e.resources().forEach(node.putArray("Resources")::add);
            node.put("EventStatus", e.eventStatus());
            node.put("NotBefore", e.notBefore());
            node.put("Description", e.description());
            node.put("EventSource", e.eventSource());
            if (e.durationInSeconds() != null) {
                node.put("DurationInSeconds", e.durationInSeconds());
            }
        }
        try {
            DurableFiles.writeAtomically(file, mapper.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save state to " + file + ": " + e.getMessage(), e);
        }
    }
}
