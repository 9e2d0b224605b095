package scheduledevents.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionRecordTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A record as the agent queues it (SinkQueues writes it with a plain ObjectMapper), of a type it does not know. */
    private static final String LINE = "{\"EventId\":\"C7061BAC-AFDC-4513-B24B-AA5F13A16123\",\"EventType\":\"Hibernate\","
            + "\"ResourceType\":\"VirtualMachine\",\"Resources\":[\"myvm\",\"othervm\"],\"EventStatus\":\"Paused\","
            + "\"NotBefore\":\"Wed, 25 Nov 2026 17:11:22 GMT\",\"Description\":\"line one\\nline <two>\","
            + "\"EventSource\":\"Platform\",\"DurationInSeconds\":5,\"NotBeforeUtc\":\"2026-11-25T17:11:22Z\","
            + "\"DocumentIncarnation\":2,\"ObservedAt\":\"2026-11-25T16:56:22.104Z\",\"NoticeSeconds\":899,"
            + "\"AffectsThisVm\":true,\"Vm\":{\"Name\":\"myvm\",\"ResourceId\":\"/subscriptions/s/resourceGroups/rg/"
            + "providers/Microsoft.Compute/virtualMachines/myvm\",\"VmId\":\"02aab8a4\",\"Location\":\"westeurope\","
            + "\"VmScaleSetName\":null,\"SubscriptionId\":\"s\",\"ResourceGroupName\":\"rg\",\"Zone\":\"1\"},"
            + "\"Approved\":false,\"ApprovedAt\":null,\"Occurrence\":2}";

    @Test
    void aQueuedRecordReadsBackToTheSameBytes() throws IOException {
        TransitionRecord record = TransitionRecord.read(LINE);
        assertEquals(LINE, JSON.writeValueAsString(record), "read and written again, nothing added or lost");
    }

    @Test
    void aRecordTheAgentMadeReadsBackEqual() throws IOException {
        ScheduledEvent event = new ScheduledEvent("e1", "Freeze", "VirtualMachine", List.of("myvm"), "Scheduled",
                "Wed, 25 Nov 2026 17:11:22 GMT", "d", "Platform", 5, Instant.parse("2026-11-25T17:11:22Z"));
        TransitionRecord made = TransitionRecord.of(event, 7, Instant.parse("2026-11-25T17:00:00Z"), "myvm",
                VmIdentity.UNKNOWN.withName("myvm"), null);
        assertEquals(made, TransitionRecord.read(JSON.writeValueAsString(made)));
        assertEquals(EventType.FREEZE, made.type());
        assertEquals(EventStatus.SCHEDULED, made.status());
    }

    @Test
    void anUnknownTypeAndStatusAreKeptAsReceived() throws IOException {
        TransitionRecord record = TransitionRecord.read(LINE);
        assertEquals("Hibernate", record.eventType());
        assertEquals(EventType.OTHER, record.type());
        assertEquals("Paused", record.eventStatus());
        assertEquals(EventStatus.OTHER, record.status());
    }

    @Test
    void typeAndStatusAreMatchedInTheSpellingTheAgentWrites() throws IOException {
        TransitionRecord record = TransitionRecord.read("{\"EventType\":\"freeze\",\"EventStatus\":\"scheduled\"}");
        assertEquals(EventType.OTHER, record.type(), "as the mail view and approval always compared them");
        assertEquals(EventStatus.OTHER, record.status());
        assertEquals("freeze", record.eventType());
    }

    @Test
    void missingOrMistypedFieldsReadAsAbsent() throws IOException {
        TransitionRecord empty = TransitionRecord.read("{}");
        assertNull(empty.eventId());
        assertNull(empty.affectsThisVm());
        assertEquals(List.of(), empty.resources());
        assertEquals(VmIdentity.UNKNOWN, empty.vm());
        assertEquals(1, empty.occurrence(), "a record of an earlier release is the first occurrence");

        TransitionRecord odd = TransitionRecord.read("{\"EventId\":42,\"Resources\":\"myvm\",\"Vm\":\"myvm\","
                + "\"DurationInSeconds\":\"5\",\"NoticeSeconds\":1.5,\"Occurrence\":\"2\",\"AffectsThisVm\":null}");
        assertEquals("42", odd.eventId(), "every field is text as received");
        assertEquals(List.of(), odd.resources());
        assertEquals(VmIdentity.UNKNOWN, odd.vm());
        assertNull(odd.durationInSeconds());
        assertNull(odd.noticeSeconds());
        assertEquals(1, odd.occurrence());
        assertNull(odd.affectsThisVm());
    }

    @Test
    void textThatIsNotJsonFails() {
        assertThrows(IOException.class, () -> TransitionRecord.read("not json {"));
    }
}
