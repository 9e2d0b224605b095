package scheduledevents.respond;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The respond stage's key: hooks run once per event, stage and occurrence. */
class RespondStageTest {
    private final RespondStage stage = new RespondStage();

    private static String record(String status, Object occurrence) {
        return "{\"EventId\":\"E1\",\"EventStatus\":\"" + status + "\",\"AffectsThisVm\":true"
                + (occurrence == null ? "" : ",\"Occurrence\":" + occurrence) + "}";
    }

    @Test
    void scheduledAndStartedOfOneOccurrenceShareTheBeforeKey() throws Exception {
        assertEquals(stage.keyOf(record("Scheduled", 1)), stage.keyOf(record("Started", 1)));
        assertEquals(stage.keyOf(record("Scheduled", 2)), stage.keyOf(record("Started", 2)));
        assertNotEquals(stage.keyOf(record("Scheduled", 1)), stage.keyOf(record("Completed", 1)));
    }

    @Test
    void aReturnedEventRunsItsHooksAgainOnceForTheNewOccurrence() throws Exception {
        assertNotEquals(stage.keyOf(record("Scheduled", 1)), stage.keyOf(record("Scheduled", 2)),
                "before-hooks run again when the event comes back");
        assertNotEquals(stage.keyOf(record("Completed", 1)), stage.keyOf(record("Completed", 2)),
                "and .completed hooks when it is over again");
        assertEquals(stage.keyOf(record("Scheduled", 2)), stage.keyOf(record("Scheduled", 2)));
    }

    @Test
    void theFirstOccurrenceKeepsTheKeyOfEarlierReleases() throws Exception {
        assertEquals("e1/before", stage.keyOf(record("Scheduled", null)));
        assertEquals("e1/before", stage.keyOf(record("Started", 1)));
        assertEquals("e1/after", stage.keyOf(record("Completed", null)));
    }
}
