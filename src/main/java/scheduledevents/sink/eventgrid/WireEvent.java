package scheduledevents.sink.eventgrid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One event as it goes on the wire, in the topic's {@code schema}: the JSON object of the request's array (Event
 * Grid schema: {@code id}, {@code subject}, {@code eventType}, {@code eventTime}, {@code data}, {@code dataVersion};
 * CloudEvents: {@code id}, {@code source}, {@code data}, {@code type}, {@code time}, {@code specversion},
 * {@code datacontenttype}, {@code subject}). This is what {@link EventEnvelopes} makes of a record: no class of the Azure SDK,
 * so that publishing with a key or SAS token ({@link HttpsPublisher}) loads none. The producer turns it into the
 * SDK's types only when it publishes through the SDK (Microsoft Entra credentials, a given client).
 *
 * <p>A type of its own rather than a bare Jackson node: a body that is some other JSON tree is data to wrap, as
 * upstream does, not an event.
 */
public final class WireEvent {
    private final EventSchema schema;
    private final ObjectNode json;

    public WireEvent(EventSchema schema, ObjectNode json) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.json = Objects.requireNonNull(json, "json");
    }

    public EventSchema schema() {
        return schema;
    }

    /** The event's JSON object; not a copy. */
    public ObjectNode json() {
        return json;
    }

    /** A text field of the event, or null. */
    public String text(String field) {
        return json.hasNonNull(field) ? json.get(field).asText() : null;
    }

    @Override
    public String toString() {
        // never the data: a record can name hosts and people; the id says which event this is
        return "WireEvent[" + schema + ", id=" + text("id") + "]";
    }
}
