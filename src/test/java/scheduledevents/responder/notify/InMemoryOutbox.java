package scheduledevents.responder.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;

/** A simple, real {@link FleetOutbox} in memory, with the store's rules: due, claims with a lease, attempts. */
final class InMemoryOutbox implements FleetOutbox {
    /** One row of the outbox. */
    static final class Row {
        final long id;
        final String channel;
        final String eventKey;
        final String status;
        final int occurrence;
        int attempts;
        Instant nextAttempt;
        String claimedBy;
        Instant claimedUntil;
        boolean sent;
        boolean dead;
        String reason;
        final List<String> reasons = new ArrayList<>();
        final List<Instant> nextAttempts = new ArrayList<>();

        Row(long id, String channel, String eventKey, String status, int occurrence, Instant now) {
            this.id = id;
            this.channel = channel;
            this.eventKey = eventKey;
            this.status = status;
            this.occurrence = occurrence;
            this.nextAttempt = now;
        }
    }

    private final Clock clock;
    private final Map<String, FleetEvent> events = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();

    InMemoryOutbox(Clock clock) {
        this.clock = clock;
    }

    synchronized void put(FleetEvent event) {
        events.put(event.eventId().trim().toLowerCase(java.util.Locale.ROOT), event);
    }

    synchronized Row queue(String channel, FleetEvent event, String status, int occurrence) {
        Row row = new Row(rows.size() + 1, channel, event.eventId().trim().toLowerCase(java.util.Locale.ROOT), status,
                occurrence, clock.instant());
        rows.add(row);
        return row;
    }

    synchronized List<String> allReasons() {
        List<String> all = new ArrayList<>();
        rows.forEach(r -> all.addAll(r.reasons));
        return all;
    }

    @Override
    public synchronized List<OutboxItem> claim(String owner, int limit, Duration lease) {
        Instant now = clock.instant();
        List<OutboxItem> out = new ArrayList<>();
        for (Row r : rows) {
            if (out.size() >= limit) {
                break;
            }
            boolean free = r.claimedUntil == null || !r.claimedUntil.isAfter(now);
            if (!r.sent && !r.dead && !r.nextAttempt.isAfter(now) && free) {
                r.claimedBy = owner;
                r.claimedUntil = now.plus(lease);
                out.add(new OutboxItem(r.id, r.channel, r.eventKey, r.status, r.occurrence, r.attempts, now));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<FleetEvent> event(String eventKey) {
        return Optional.ofNullable(events.get(eventKey));
    }

    @Override
    public synchronized void sent(long id) {
        Row r = rows.get((int) id - 1);
        r.attempts++;
        r.sent = true;
        r.claimedUntil = null;
    }

    @Override
    public synchronized void failed(long id, String safeReason, Instant nextAttempt) {
        Row r = rows.get((int) id - 1);
        r.attempts++;
        r.reason = safeReason;
        r.reasons.add(safeReason);
        r.nextAttempt = nextAttempt;
        r.nextAttempts.add(nextAttempt);
        r.claimedUntil = null;
    }

    @Override
    public synchronized void dead(long id, String safeReason) {
        Row r = rows.get((int) id - 1);
        r.dead = true;
        r.reason = safeReason;
        r.reasons.add(safeReason);
        r.claimedUntil = null;
    }
}
