package scheduledevents.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EventStatusTest {
    @Test
    void theKnownStatusesAreTheFourARecordCanHave() {
        assertEquals(List.of("Scheduled", "Started", "Completed", "Canceled"),
                Stream.of(EventStatus.values()).filter(EventStatus::known).map(EventStatus::text).toList());
    }

    @Test
    void onlyScheduledAndStartedComeFromImds() {
        assertTrue(EventStatus.SCHEDULED.fromImds());
        assertTrue(EventStatus.STARTED.fromImds());
        assertFalse(EventStatus.COMPLETED.fromImds(), "the agent's word for an event that disappeared");
        assertFalse(EventStatus.CANCELED.fromImds());
        assertFalse(EventStatus.OTHER.fromImds());
    }

    @Test
    void aStatusImdsAddsLaterIsOther() {
        assertEquals(EventStatus.OTHER, EventStatus.of("Paused"));
        assertEquals(EventStatus.OTHER, EventStatus.of(null));
        assertNull(EventStatus.OTHER.text());
    }

    @Test
    void ofIsExactAndOfAnyCaseIgnoresCase() {
        assertEquals(EventStatus.OTHER, EventStatus.of("scheduled"));
        assertEquals(EventStatus.SCHEDULED, EventStatus.ofAnyCase("scheduled"));
        assertEquals(EventStatus.CANCELED, EventStatus.ofAnyCase("CANCELED"));
        assertEquals(EventStatus.OTHER, EventStatus.ofAnyCase("Paused"));
        assertEquals(EventStatus.OTHER, EventStatus.ofAnyCase(null));
    }
}
