package scheduledevents.delivery;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import scheduledevents.record.TransitionRecord;

/**
 * The sink template's status filter (routes/40-sink-delivery.yaml, step {@code wanted-status}): a sink with a filter
 * ({@code agent.mail.statuses}, {@code agent.webhook.statuses}) gets only the records whose EventStatus it wants;
 * every other sink gets all. A record that is not wanted is taken off the queue, its key kept, and not counted as
 * delivered.
 */
public class StatusFilters {
    /** One sink's filter, over the record as queued. */
    public interface Filter {
        boolean wanted(TransitionRecord record);
    }

    private final Map<String, Filter> filters = new HashMap<>();

    public StatusFilters add(String sink, Filter filter) {
        filters.put(sink, filter);
        return this;
    }

    /** The filter step: the sink is the one whose route ({@code sink-<name>}) took the record. */
    public boolean wanted(Exchange exchange) throws IOException {
        Filter filter = filters.get(DeliveryPolicy.sinkOf(exchange));
        return filter == null || filter.wanted(TransitionRecord.read(exchange.getIn().getBody(String.class)));
    }
}
