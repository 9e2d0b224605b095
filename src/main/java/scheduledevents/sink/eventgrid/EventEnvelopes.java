package scheduledevents.sink.eventgrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import scheduledevents.delivery.PermanentDeliveryException;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;

/**
 * Makes the Event Grid event for one transition record: {@code data} is the record as queued; {@code subject} is
 * this VM's resource id (its name when unknown) or {@code agent.eventgrid.subject}; {@code eventTime} is when the
 * agent observed the transition; {@code id} is a name-based UUID (version 5) of this VM and the transition (lower-case
 * EventId and EventStatus), so a publish that is retried, or repeated after a crash, carries the same id and a
 * consumer can drop the repeat.
 *
 * <p>In the CloudEvents schema the VM's resource id is the {@code source} and its name the {@code subject}.
 *
 * <p>The event is a {@link WireEvent}, the JSON object that goes on the wire, with the same members and values as
 * the Azure SDK sends for its {@code EventGridEvent} and {@code CloudEvent} (shown by EventGridComponentTest), and
 * {@code data} the record with its nulls: no class of the SDK is needed to make or to send it.
 */
public class EventEnvelopes {
    /** Namespace of the event ids: fixed, so ids stay the same across agent versions and restarts. */
    static final UUID ID_NAMESPACE = UUID.fromString("5f0e4c4e-8d1b-4f6e-9a59-3c2f1d0b7a61");
    static final String DATA_VERSION = "1.0";
    /** What an event adds to its record in the request (envelope, id, subject...): a generous bound. */
    static final int ENVELOPE_BYTES = 1024;

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventSchema schema;
    private final String eventType;
    private final String subject;
    private final String vmName;

    /**
     * @param subject fixed subject, or empty for this VM's resource id (name when unknown)
     * @param vmName  agent.vm.name, used when the record knows no VM identity; may be empty
     */
    public EventEnvelopes(EventSchema schema, String eventType, String subject, String vmName) {
        this.schema = schema;
        this.eventType = eventType;
        this.subject = subject == null || subject.isBlank() ? null : subject.trim();
        this.vmName = vmName == null || vmName.isBlank() ? null : vmName.trim();
    }

    /** The event for one record, as it goes on the wire in this schema. */
    public WireEvent toEvent(String recordJson) {
        JsonNode data = parse(recordJson);
        TransitionRecord record = TransitionRecord.from(data);
        String id = eventId(record, vmName);
        OffsetDateTime time = observedAt(record);
        String resourceId = text(record.vm().resourceId());
        String name = firstNonNull(text(record.vm().name()), vmName);
        ObjectNode event = mapper.createObjectNode();
        if (schema == EventSchema.EVENT_GRID) {
            // the members and their order as the SDK's EventGridEvent has them on the wire
            event.put("id", id);
            event.put("subject", firstNonNull(subject, resourceId, name, "unknown-vm"));
            event.put("eventType", eventType);
            event.put("eventTime", time.toString());
            event.set("data", data);
            event.put("dataVersion", DATA_VERSION);
            return new WireEvent(schema, event);
        }
        String source = resourceId != null ? resourceId
                : "/scheduled-events-agent/" + (name == null ? "unknown-vm" : name);
        // the members and their order as the SDK writes a CloudEvent with JSON data
        event.put("id", id);
        event.put("source", source);
        event.set("data", data);
        event.put("type", eventType);
        event.put("time", time.toString());
        event.put("specversion", "1.0");
        event.put("datacontenttype", "application/json");
        event.put("subject", firstNonNull(subject, name, resourceId, "unknown-vm"));
        return new WireEvent(schema, event);
    }

    /** An upper bound of the bytes the record's event adds to a request. */
    public static long estimatedBytes(String recordJson) {
        return (long) recordJson.getBytes(StandardCharsets.UTF_8).length + ENVELOPE_BYTES;
    }

    /**
     * Version 5 UUID of (this VM, lower-case EventId, EventStatus, and the Occurrence when it is 2 or more): a returned
     * event's records get ids of their own, and a first occurrence keeps the id earlier releases gave it.
     */
    static String eventId(TransitionRecord record, String fallbackVmName) {
        VmIdentity vm = record.vm();
        String who = firstNonNull(text(vm.vmId()), text(vm.resourceId()), text(vm.name()), fallbackVmName, "");
        int occurrence = record.occurrence();
        String name = who.toLowerCase(Locale.ROOT) + "\n"
                + Objects.toString(record.eventId(), "").toLowerCase(Locale.ROOT) + "\n"
                + Objects.toString(record.eventStatus(), "") + (occurrence > 1 ? "\n" + occurrence : "");
        return nameUuidV5(ID_NAMESPACE, name).toString();
    }

    static UUID nameUuidV5(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }

    private JsonNode parse(String recordJson) {
        try {
            JsonNode node = mapper.readTree(recordJson);
            if (node == null || !node.isObject()) {
                throw new PermanentDeliveryException("the queued record is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            // retrying cannot mend a file: dead-letter it at once (the message names no content)
            throw new PermanentDeliveryException("the queued record is not JSON");
        }
    }

    private static OffsetDateTime observedAt(TransitionRecord record) {
        String text = text(record.observedAt());
        if (text != null) {
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException ignored) {
                // fall through: the record is ours, but a hand-made one may lack it
            }
        }
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** A field's text, or null when it has none worth using. */
    private static String text(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String firstNonNull(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
