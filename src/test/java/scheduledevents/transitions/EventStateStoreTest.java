package scheduledevents.transitions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scheduledevents.Fixtures;
import scheduledevents.imds.ScheduledEventsParser;
import scheduledevents.record.Occurrence;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;

class EventStateStoreTest {
    @TempDir
    Path dir;

    private final ScheduledEventsParser parser = new ScheduledEventsParser();

    private List<ScheduledEvent> events(String... fixtures) throws Exception {
        List<ScheduledEvent> all = new ArrayList<>();
        for (String f : fixtures) {
            all.addAll(parser.parse(Fixtures.read(f)).events());
        }
        return all;
    }

    @Test
    void missingStateFileLoadsAsEmptyState() {
        ScheduledEventsDocument loaded = new EventStateStore(dir).load();
        assertEquals(0, loaded.documentIncarnation());
        assertEquals(List.of(), loaded.events());
        assertTrue(loaded.complete());
    }

    @Test
    void savedEventsLoadBackWithEveryField() throws Exception {
        List<ScheduledEvent> saved = events("02-freeze-scheduled.json", "api-2019-01-01-no-optional-fields.json",
                "redeploy-two-events.json", "preempt-spot.json", "notbefore-iso8601.json");
        EventStateStore store = new EventStateStore(dir);
        store.save(42, saved);
        ScheduledEventsDocument loaded = store.load();
        assertEquals(42, loaded.documentIncarnation());
        assertEquals(saved, loaded.events(), "every field, nulls included, survives the round trip");
        assertTrue(loaded.complete());
    }

    @Test
    void oddEventsSurviveTheRoundTripUnchanged() throws Exception {
        List<ScheduledEvent> saved = events("malformed/injection-attempt.json",
                "malformed/bad-notbefore-and-resources.json", "malformed/unknown-type-and-status.json");
        EventStateStore store = new EventStateStore(dir);
        store.save(7, saved);
        assertEquals(saved, store.load().events());
    }

    @Test
    void aNewStoreOnTheSameDirectoryReadsWhatAnotherSaved() throws Exception {
        List<ScheduledEvent> saved = events("03-freeze-started.json");
        new EventStateStore(dir).save(3, saved);
        ScheduledEventsDocument loaded = new EventStateStore(dir).load();
        assertEquals(3, loaded.documentIncarnation());
        assertEquals(saved, loaded.events());
    }

    @Test
    void laterSaveReplacesEarlierOne() throws Exception {
        EventStateStore store = new EventStateStore(dir);
        store.save(2, events("02-freeze-scheduled.json"));
        store.save(4, List.of());
        ScheduledEventsDocument loaded = store.load();
        assertEquals(4, loaded.documentIncarnation());
        assertEquals(List.of(), loaded.events());
    }

    @Test
    void saveCreatesMissingStateDirectoryAndLeavesNoTemporaryFile() throws Exception {
        Path nested = dir.resolve("a/b");
        new EventStateStore(nested).save(1, events("reboot-user.json"));
        try (Stream<Path> files = Files.list(nested)) {
            assertEquals(List.of("last-document.json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void stateFileIsAnImdsDocumentTheParserReads() throws Exception {
        new EventStateStore(dir).save(9, events("redeploy-two-events.json"));
        ScheduledEventsDocument reparsed = parser.parse(
                Files.readString(dir.resolve("last-document.json"), StandardCharsets.UTF_8));
        assertEquals(9, reparsed.documentIncarnation());
        assertEquals(List.of(), reparsed.problems());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "not json at all", "{\"DocumentIncarnation\":6,\"Events\":[", "[]",
            "{\"DocumentIncarnation\":\"x\",\"Events\":[]}", "{\"DocumentIncarnation\":1}", "\u0000\u0001\u0002"})
    void damagedStateFileLoadsAsEmptyStateWithoutException(String content) throws Exception {
        Files.writeString(dir.resolve("last-document.json"), content, StandardCharsets.UTF_8);
        ScheduledEventsDocument loaded = new EventStateStore(dir).load();
        assertEquals(0, loaded.documentIncarnation());
        assertEquals(List.of(), loaded.events());
        List<Path> aside = corruptCopies();
        assertEquals(1, aside.size(), "the damaged file is moved aside for a look: " + aside);
        assertEquals(content, Files.readString(aside.get(0), StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("last-document.json")), "so the next start does not warn again");
    }

    @Test
    void stateFileWithBytesThatAreNoUtf8IsMovedAsideAndLoadsAsEmptyState() throws Exception {
        byte[] damaged = Fixtures.read("02-freeze-scheduled.json").getBytes(StandardCharsets.UTF_8);
        damaged[20] = (byte) 0xC3;
        damaged[21] = (byte) 0xFF;
        Files.write(dir.resolve("last-document.json"), damaged);
        assertEquals(List.of(), new EventStateStore(dir).load().events());
        assertArrayEquals(damaged, Files.readAllBytes(corruptCopies().get(0)));
    }

    @Test
    void occurrencesAreSavedAndLoadedWithTheEvents() throws Exception {
        EventStateStore store = new EventStateStore(dir);
        Map<String, Occurrence> occurrences = new LinkedHashMap<>();
        occurrences.put("c7061bac-afdc-4513-b24b-aa5f13a16123", new Occurrence(2, Instant.parse("2026-11-25T16:56:22.104Z")));
        occurrences.put("gone-1", new Occurrence(1, Instant.parse("2026-11-24T10:00:00Z")));
        store.save(5, events("02-freeze-scheduled.json"), occurrences);
        EventStateStore.Saved saved = new EventStateStore(dir).loadSaved();
        assertEquals(5, saved.document().documentIncarnation());
        assertEquals(events("02-freeze-scheduled.json"), saved.document().events());
        assertEquals(occurrences, saved.occurrences());
        assertEquals(List.of("c7061bac-afdc-4513-b24b-aa5f13a16123", "gone-1"), List.copyOf(saved.occurrences().keySet()),
                "in order: the oldest is forgotten first");
        assertEquals(List.of(), parser.parse(Files.readString(dir.resolve("last-document.json"))).problems(),
                "still a document IMDS's parser reads");
    }

    @Test
    void aStateFileOfAnEarlierReleaseLoadsWithNoOccurrences() throws Exception {
        Files.writeString(dir.resolve("last-document.json"), Fixtures.read("02-freeze-scheduled.json"));
        EventStateStore.Saved saved = new EventStateStore(dir).loadSaved();
        assertEquals(1, saved.document().events().size());
        assertEquals(Map.of(), saved.occurrences());
    }

    @Test
    void unreadableOccurrenceEntriesAreSkippedAndTheRestKept() throws Exception {
        Files.writeString(dir.resolve("last-document.json"), "{\"DocumentIncarnation\":3,\"Events\":[],"
                + "\"Occurrences\":{\"a\":{\"Occurrence\":2,\"Since\":\"2026-11-25T16:56:22Z\"},"
                + "\"b\":{\"Occurrence\":\"x\"},\"c\":{\"Occurrence\":3,\"Since\":\"yesterday\"},\"d\":7}}");
        EventStateStore.Saved saved = new EventStateStore(dir).loadSaved();
        assertEquals(Map.of("a", new Occurrence(2, Instant.parse("2026-11-25T16:56:22Z")),
                "c", new Occurrence(3, null)), saved.occurrences());
    }

    @Test
    void stateFileThatIsADirectoryLoadsAsEmptyState() throws Exception {
        Files.createDirectory(dir.resolve("last-document.json"));
        ScheduledEventsDocument loaded = new EventStateStore(dir).load();
        assertEquals(List.of(), loaded.events());
    }

    @Test
    void damagedStateFileCanBeOverwrittenBySave() throws Exception {
        Files.writeString(dir.resolve("last-document.json"), "garbage{", StandardCharsets.UTF_8);
        EventStateStore store = new EventStateStore(dir);
        store.save(2, events("02-freeze-scheduled.json"));
        assertFalse(store.load().events().isEmpty());
    }

    private List<Path> corruptCopies() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("last-document.json.corrupt-")).toList();
        }
    }
}
