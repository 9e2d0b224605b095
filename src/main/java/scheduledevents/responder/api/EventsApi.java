package scheduledevents.responder.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetQuery;

/**
 * {@code GET /api/events} ({@code {"events": [...]}}, filters status, type, resourceGroup, vm, limit) and
 * {@code GET /api/events/{eventId}} (the event with its History, or nothing: 404). Bean {@code eventsApi},
 * responder/routes/20-api.yaml. Text is written by Jackson: every field is escaped JSON, never interpreted.
 */
public class EventsApi {
    public static final int MAX_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<FleetQuery, List<FleetEvent>> events;
    private final Function<String, Optional<FleetEvent>> event;

    public EventsApi(Function<FleetQuery, List<FleetEvent>> events, Function<String, Optional<FleetEvent>> event) {
        this.events = events;
        this.event = event;
    }

    /** @throws IllegalArgumentException a bad limit (answered 400) */
    public String list(String status, String type, String resourceGroup, String vm, String limit)
            throws JsonProcessingException {
        FleetQuery query = new FleetQuery(blankToNull(status), blankToNull(type), blankToNull(resourceGroup),
                blankToNull(vm), limit(limit));
        return JSON.writeValueAsString(Map.of("events", events.apply(query)));
    }

    /** The event's JSON, or null when there is none. */
    public String one(String eventId) throws JsonProcessingException {
        if (eventId == null || eventId.isBlank()) {
            return null;
        }
        Optional<FleetEvent> found = event.apply(eventId.trim());
        return found.isPresent() ? JSON.writeValueAsString(found.get()) : null;
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return FleetQuery.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
