package scheduledevents.responder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import scheduledevents.responder.fleet.ApplyResult;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetQuery;
import scheduledevents.responder.intake.BadDeliveryException;
import scheduledevents.responder.intake.Delivery;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.intake.ReportSource;
import scheduledevents.responder.intake.VmRef;

/**
 * THROWAWAY stand-ins for the parser, the store and the notifier (written on other branches), only so that the HTTP
 * front can be tested end to end through its real routes: a parser that knows the validation event and
 * {@code data.EventId}, a store in a map that can be told to fail, a notifier that counts. Not the real rules.
 */
final class InMemoryParts {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every report handed to the store (committed), in order. */
    final List<FleetReport> stored = Collections.synchronizedList(new ArrayList<>());
    /** Every body handed to the parser. */
    final List<byte[]> parsed = Collections.synchronizedList(new ArrayList<>());
    /** The content type handed to the parser with each body (null when the request had none). */
    final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean storeFails = new AtomicBoolean();
    final AtomicBoolean databaseDown = new AtomicBoolean();
    final AtomicInteger dispatches = new AtomicInteger();
    private final Map<String, FleetEvent> events = new LinkedHashMap<>();

    ResponderParts.Factory factory() {
        return (settings, metrics, clock) -> new ResponderParts(this::parse, fleet(), dispatches::incrementAndGet,
                null);
    }

    private Delivery parse(byte[] body, String contentType, Instant receivedAt) throws BadDeliveryException {
        parsed.add(body);
        contentTypes.add(contentType);
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new BadDeliveryException("body is not JSON");
        }
        if (root == null || !(root.isArray() || root.isObject())) {
            throw new BadDeliveryException("body is not an event or an array of events");
        }
        List<FleetReport> reports = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (JsonNode event : root.isArray() ? root : List.of(root)) {
            String type = event.path("eventType").asText(event.path("type").asText(""));
            if (type.equals("Microsoft.EventGrid.SubscriptionValidationEvent")) {
                return new Delivery(event.path("data").path("validationCode").asText(), List.of(), List.of());
            }
            JsonNode data = event.path("data");
            if (!data.hasNonNull("EventId")) {
                ignored.add("event without EventId");
                continue;
            }
            reports.add(new FleetReport(ReportSource.AGENT, event.path("id").asText(null),
                    data.path("EventId").asText(), data.path("EventType").asText(null),
                    data.path("EventStatus").asText("Scheduled"), null, null, null, null, null,
                    List.of(new VmRef("vm1", null, null, null)), null, 1, receivedAt));
        }
        return new Delivery(null, reports, ignored);
    }

    private Fleet fleet() {
        return new Fleet() {
            @Override
            public ApplyResult apply(List<FleetReport> reports) {
                if (storeFails.get()) {
                    throw new IllegalStateException("database connection refused to jdbc:postgresql://secret-host");
                }
                int duplicates = 0;
                synchronized (events) {
                    for (FleetReport r : reports) {
                        if (stored.stream().anyMatch(s -> s.deliveryId() != null && s.deliveryId().equals(r.deliveryId()))) {
                            duplicates++;
                            continue;
                        }
                        stored.add(r);
                        events.put(r.eventKey(), new FleetEvent(r.eventId(), r.eventType(), r.eventStatus(), null,
                                null, null, null, null, 1, List.of(new FleetEvent.Vm("vm1", null, null, null, null,
                                null)), List.of(), List.of("agent"), null, null, null));
                    }
                }
                return new ApplyResult(reports.size(), duplicates, 0, 0);
            }

            @Override
            public List<FleetEvent> events(FleetQuery query) {
                synchronized (events) {
                    return events.values().stream()
                            .filter(e -> query.status() == null || query.status().equalsIgnoreCase(e.eventStatus()))
                            .limit(query.limit()).toList();
                }
            }

            @Override
            public Optional<FleetEvent> event(String eventId) {
                synchronized (events) {
                    FleetEvent e = events.get(eventId.toLowerCase(java.util.Locale.ROOT));
                    return Optional.ofNullable(e).map(f -> new FleetEvent(f.eventId(), f.eventType(),
                            f.eventStatus(), null, null, null, null, null, 1, f.vms(), f.reportedBy(), f.sources(),
                            null, null, List.of(new FleetEvent.HistoryEntry("2026-12-01T10:00:00Z", "status",
                                    f.eventStatus(), null, null, null))));
                }
            }

            @Override
            public boolean healthy() {
                return !databaseDown.get();
            }
        };
    }
}
