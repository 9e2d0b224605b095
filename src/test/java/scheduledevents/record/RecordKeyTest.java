package scheduledevents.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;
import scheduledevents.imds.ScheduledEventsParser;

class RecordKeyTest {
    private final RecordKey keys = new RecordKey();

    @Test
    void keyIsLowerCaseEventIdAndStatus() {
        assertEquals("c7061bac-afdc-4513-b24b-aa5f13a16123/Scheduled",
                RecordKey.key("C7061BAC-AFDC-4513-B24B-AA5F13A16123", "Scheduled"));
    }

    @Test
    void differentlyCasedEventIdsGiveTheSameKey() {
        assertEquals(RecordKey.key("AbC-1", "Started"), RecordKey.key("abc-1", "Started"));
        assertEquals(RecordKey.key("ABC-1", "Started"), RecordKey.key("abc-1", "Started"));
    }

    @Test
    void differentStatusesOfOneEventGiveDifferentKeys() {
        assertNotEquals(RecordKey.key("e1", "Scheduled"), RecordKey.key("e1", "Started"));
        assertNotEquals(RecordKey.key("e1", "Completed"), RecordKey.key("e1", "Canceled"));
    }

    @Test
    void crLfInEventIdGivesASingleLineKey() {
        String key = RecordKey.key("e3\r\nBcc: attacker@example.com", "Scheduled");
        assertFalse(key.contains("\r") || key.contains("\n"), key);
        assertTrue(key.contains("%0D%0A"), key);
    }

    @Test
    void slashInEventIdCannotForgeAnotherEventsKey() {
        assertNotEquals(RecordKey.key("a/Started", "x"), RecordKey.key("a", "Started/x"));
    }

    @Test
    void veryLongEventIdIsHashedToAFixedLength() {
        String longId = "x".repeat(5000);
        String key = RecordKey.key(longId, "Scheduled");
        assertTrue(key.startsWith("sha256:"), key);
        assertEquals("sha256:".length() + 64, key.length());
        assertEquals(key, RecordKey.key(longId, "Scheduled"), "stable");
        assertEquals(key, RecordKey.key(longId.toUpperCase(), "Scheduled"), "case-insensitive even when hashed");
        assertNotEquals(key, RecordKey.key(longId, "Started"));
        assertNotEquals(key, RecordKey.key("y" + longId.substring(1), "Scheduled"));
    }

    @Test
    void keyOfShortIdIsNotHashed() {
        String id = "a".repeat(150);
        assertEquals(id + "/Scheduled", RecordKey.key(id, "Scheduled"));
    }

    @Test
    void keyOfReadsEventIdAndStatusFromRecordJson() throws Exception {
        ScheduledEvent event = new ScheduledEventsParser().parse(Fixtures.read("02-freeze-scheduled.json"))
                .events().get(0);
        TransitionRecord record = TransitionRecord.of(event, 2, Instant.parse("2026-04-11T22:00:00Z"), "vm",
                VmIdentity.UNKNOWN, null);
        String json = new ObjectMapper().writeValueAsString(record);
        assertEquals("c7061bac-afdc-4513-b24b-aa5f13a16123/Scheduled", keys.keyOf(json));
    }

    @Test
    void keyOfGivesSameKeyForRecordsDifferingInEventIdCase() throws Exception {
        assertEquals(keys.keyOf("{\"EventId\":\"ABC\",\"EventStatus\":\"Started\"}"),
                keys.keyOf("{\"EventId\":\"abc\",\"EventStatus\":\"Started\"}"));
    }

    @Test
    void keyOfRecordWithCrLfEventIdIsOneLine() throws Exception {
        String key = keys.keyOf("{\"EventId\":\"e3\\r\\nBcc: x\",\"EventStatus\":\"Scheduled\"}");
        assertFalse(key.contains("\r") || key.contains("\n"), key);
    }

    // ---- an event that comes back (issue 11, item 6) ----

    @Test
    void aReturnedEventsRecordHasAKeyOfItsOwnForEveryStatus() throws Exception {
        for (String status : List.of("Scheduled", "Started", "Completed", "Canceled")) {
            String first = keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"" + status + "\",\"Occurrence\":1}");
            String back = keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"" + status + "\",\"Occurrence\":2}");
            String third = keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"" + status + "\",\"Occurrence\":3}");
            assertNotEquals(first, back, status + ": the return is a new record, not a repeat");
            assertNotEquals(back, third, status);
            assertEquals(back, keys.keyOf("{\"EventId\":\"e1\",\"EventStatus\":\"" + status
                    + "\",\"Occurrence\":2,\"ObservedAt\":\"later\"}"), "the same record resent has the same key");
        }
    }

    @Test
    void theFirstOccurrenceKeepsTheKeyOfEarlierReleasesSoAnUpgradeResendsNothing() throws Exception {
        String old = "e1/Scheduled";
        assertEquals(old, keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"Scheduled\"}"), "a record queued before");
        assertEquals(old, keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"Scheduled\",\"Occurrence\":1}"));
        assertEquals(old, keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"Scheduled\",\"Occurrence\":null}"));
    }

    @Test
    void anOccurrenceThatIsNotAPositiveNumberCountsAsTheFirst() throws Exception {
        for (String bad : List.of("0", "-2", "\"2\"", "2.5", "{}", "99999999999999999999")) {
            assertEquals("e1/Started",
                    keys.keyOf("{\"EventId\":\"E1\",\"EventStatus\":\"Started\",\"Occurrence\":" + bad + "}"), bad);
        }
    }
}
