package scheduledevents.transitions;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.durable.DamagedFiles;
import scheduledevents.durable.DurableFiles;
import scheduledevents.imds.MalformedDocumentException;
import scheduledevents.imds.ScheduledEventsParser;
import scheduledevents.logging.UntrustedText;
import scheduledevents.record.Occurrence;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;

/**
 * The last Scheduled Events document the agent acted on, kept in {@code agent.state.dir} so that a restart (or the
 * VM's own reboot) neither replays nor loses a transition. Stored in IMDS's own format and read back with the same
 * parser, so there is one way to read an event; the occurrence of each event (so that one which comes back is told
 * apart, also after a restart) rides in the same file, written in one atomic step with the events.
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

    /** The events last acted on (see {@link #loadSaved} for their occurrences too). */
    public ScheduledEventsDocument load() {
        return loadSaved().document();
    }

    /**
     * What {@link #save} kept: the document, and the occurrence of each event seen (ended ones too), under the
     * top-level {@code Occurrences} that IMDS's parser ignores. A file of an earlier release has none.
     */
    public Saved loadSaved() {
        if (!Files.exists(file)) {
            return new Saved(EMPTY, Map.of());
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return new Saved(damaged("bytes that are not UTF-8"), Map.of());
        } catch (IOException e) {
            // Not the content (a folder in its place, no permission): leave it for the operator to see to
            LOG.warn("State file {} cannot be read ({}); starting from an empty state", file, e.toString());
            return new Saved(EMPTY, Map.of());
        }
        ScheduledEventsDocument document;
        try {
            document = parser.parse(text);
        } catch (MalformedDocumentException e) {
            return new Saved(damaged(e.getMessage()), Map.of());
        }
        return new Saved(document, occurrences(text));
    }

    /** The document and the occurrences kept with it (keys: lower-case EventIds, oldest first). */
    public record Saved(ScheduledEventsDocument document, Map<String, Occurrence> occurrences) {
    }

    private Map<String, Occurrence> occurrences(String text) {
        Map<String, Occurrence> occurrences = new LinkedHashMap<>();
        int unreadable = 0;
        try {
            JsonNode all = mapper.readTree(text).path("Occurrences");
            for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode number = entry.getValue().path("Occurrence");
                if (!number.isIntegralNumber() || !number.canConvertToInt() || number.intValue() < 1) {
                    unreadable++;
                    continue;
                }
                occurrences.put(entry.getKey(), new Occurrence(number.intValue(), since(entry.getValue())));
            }
        } catch (IOException e) {
            unreadable++; // the parser read the same text: not reached
        }
        if (unreadable > 0) {
            LOG.warn("State file {}: {} unreadable occurrence entries skipped (such an event, should it come back,"
                    + " counts from 1 again)", file, unreadable);
        }
        return occurrences;
    }

    private static Instant since(JsonNode occurrence) {
        try {
            return occurrence.path("Since").isTextual() ? Instant.parse(occurrence.path("Since").asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
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
        save(incarnation, events, Map.of());
    }

    /** @param occurrences by lower-case EventId, oldest first, for live and for ended events */
    public void save(long incarnation, Collection<ScheduledEvent> events, Map<String, Occurrence> occurrences) {
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
        if (!occurrences.isEmpty()) {
            ObjectNode all = root.putObject("Occurrences");
            occurrences.forEach((key, occurrence) -> {
                ObjectNode node = all.putObject(key);
                node.put("Occurrence", occurrence.number());
                node.put("Since", occurrence.since() == null ? null : occurrence.since().toString());
            });
        }
        try {
            DurableFiles.writeAtomically(file, mapper.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save state to " + file + ": " + e.getMessage(), e);
        }
    }
}
