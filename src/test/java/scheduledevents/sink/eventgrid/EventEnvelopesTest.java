package scheduledevents.sink.eventgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import scheduledevents.delivery.PermanentDeliveryException;

class EventEnvelopesTest {
    private final EventEnvelopes events = new EventEnvelopes(EventSchema.EVENT_GRID, "ScheduledEvent", "", "");

    private String id(String record) {
        return events.toEvent(record).text("id");
    }

    @Test
    void theIdIsAVersion5UuidOfVmAndTransition() {
        String scheduled = EventGridComponentTest.record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Scheduled");

        UUID id = UUID.fromString(id(scheduled));

        assertEquals(5, id.version());
        assertEquals(2, id.variant());
        assertEquals(id.toString(), id(scheduled), "same transition, same id: a retry is recognisable");
        assertEquals(id.toString(), id(scheduled.replace("F020BA2E", "f020ba2e")));
        assertNotEquals(id.toString(), id(EventGridComponentTest.record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5",
                "Started")));
        assertNotEquals(id.toString(), id(scheduled.replace("02aab8a4", "12aab8a4")), "another VM, another id");
    }

    @Test
    void aReturnedEventsRecordHasAnIdOfItsOwnAndAFirstOccurrenceKeepsTheIdOfEarlierReleases() {
        String scheduled = EventGridComponentTest.record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Scheduled");
        String first = scheduled.replace("{\"EventId\"", "{\"Occurrence\":1,\"EventId\"");
        String back = scheduled.replace("{\"EventId\"", "{\"Occurrence\":2,\"EventId\"");
        assertEquals(id(scheduled), id(first));
        assertNotEquals(id(scheduled), id(back), "a consumer that drops repeated ids must not drop the return");
        assertEquals(id(back), id(back.replace("2026-11-25T16:01:02.123Z", "2026-11-25T17:00:00Z")));
    }

    @Test
    void aQueueFileThatIsNotARecordIsRefusedForGood() {
        org.junit.jupiter.api.Assertions.assertThrows(scheduledevents.delivery.PermanentDeliveryException.class,
                () -> events.toEvent("not json {"));
        org.junit.jupiter.api.Assertions.assertThrows(scheduledevents.delivery.PermanentDeliveryException.class,
                () -> events.toEvent("[1,2]"));
    }

    @Test
    void theEventIsOfNoClassOfTheAzureSdk() {
        String record = EventGridComponentTest.record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Scheduled");
        for (EventSchema schema : EventSchema.values()) {
            WireEvent event = new EventEnvelopes(schema, "ScheduledEvent", "", "").toEvent(record);
            assertEquals(schema, event.schema());
            assertEquals(com.fasterxml.jackson.databind.node.ObjectNode.class, event.json().getClass());
            event.json().fields().forEachRemaining(field -> assertTrue(field.getValue().getClass().getName()
                    .startsWith("com.fasterxml.jackson."), field.getKey()));
            assertFalse(event.toString().contains("myvm"), "no record content in toString: " + event);
        }
    }

    @Test
    void knownUuidV5Vector() {
        // RFC 4122 DNS namespace, name "python.org": 886313e1-3b8a-5372-9b90-0c9aee199e5d
        assertEquals("886313e1-3b8a-5372-9b90-0c9aee199e5d", EventEnvelopes.nameUuidV5(
                UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org").toString());
    }

    @Test
    void withoutVmIdentityTheSubjectIsTheConfiguredNameOrAFixedWord() {
        String bare = "{\"EventId\":\"x\",\"EventStatus\":\"Scheduled\",\"Vm\":null}";
        assertEquals("myvm", new EventEnvelopes(EventSchema.EVENT_GRID, "T", "", "myvm").toEvent(bare)
                .text("subject"));
        assertEquals("unknown-vm", events.toEvent(bare).text("subject"));
        assertEquals("fixed", new EventEnvelopes(EventSchema.CLOUD_EVENTS, "T", "fixed", "").toEvent(bare)
                .text("subject"));
        assertEquals("/scheduled-events-agent/unknown-vm", new EventEnvelopes(EventSchema.CLOUD_EVENTS, "T", "", "")
                .toEvent(bare).text("source"));
    }
}
