package scheduledevents.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventTypeTest {
    @Test
    void eachTypeIsFoundByItsImdsSpelling() {
        for (String text : new String[] {"Freeze", "Reboot", "Redeploy", "Preempt", "Terminate"}) {
            EventType type = EventType.of(text);
            assertTrue(type.known(), text);
            assertEquals(text, type.text());
        }
    }

    @Test
    void aTypeAzureAddsLaterIsOtherAndHasNoTextOfItsOwn() {
        assertEquals(EventType.OTHER, EventType.of("Hibernate"));
        assertEquals(EventType.OTHER, EventType.of(null));
        assertEquals(EventType.OTHER, EventType.of(""));
        assertFalse(EventType.OTHER.known());
        assertNull(EventType.OTHER.text(), "the record keeps the text as received, the enum does not invent one");
    }

    @Test
    void ofIsExactAndOfAnyCaseIgnoresCase() {
        assertEquals(EventType.OTHER, EventType.of("freeze"), "IMDS spells Freeze; other spellings are not it");
        assertEquals(EventType.FREEZE, EventType.ofAnyCase("freeze"));
        assertEquals(EventType.PREEMPT, EventType.ofAnyCase("PREEMPT"));
        assertEquals(EventType.OTHER, EventType.ofAnyCase("Hibernate"));
        assertEquals(EventType.OTHER, EventType.ofAnyCase(null));
    }
}
