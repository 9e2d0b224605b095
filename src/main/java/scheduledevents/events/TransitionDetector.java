package scheduledevents.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.imds.VmIdentity;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.state.EventStateStore;

/**
 * Turns successive documents into one record per new (EventId, EventStatus), plus Completed or Canceled when an
 * event disappears. IMDS has no "Completed" status: an event that had started, or whose NotBefore had passed, and
 * is gone, is over; one that vanished while still Scheduled before its NotBefore was canceled.
 *
 * <p>All events are tracked whatever the scope, so that learning this VM's name late never looks like events
 * disappearing. Scope only decides which transitions become records.
 */
public class TransitionDetector {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionDetector.class);

    private final EventStateStore store;
    private final Scope scope;
    private final Supplier<VmIdentity> identity;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Function<String, Instant> approvedAt;
    private Map<String, ScheduledEvent> last;
    private long lastIncarnation;
    private String lastText;

    public TransitionDetector(EventStateStore store, Scope scope, Supplier<VmIdentity> identity, AgentMetrics metrics,
                              Clock clock) {
        this(store, scope, identity, metrics, clock, eventId -> null);
    }

    /** @param approvedAt when this agent approved an event (by EventId), or null: records carry it */
    public TransitionDetector(EventStateStore store, Scope scope, Supplier<VmIdentity> identity, AgentMetrics metrics,
                              Clock clock, Function<String, Instant> approvedAt) {
        this.approvedAt = approvedAt;
        this.store = store;
        this.scope = scope;
        this.identity = identity;
        this.metrics = metrics;
        this.clock = clock;
        ScheduledEventsDocument saved = store.load();
        this.last = byKey(saved.events());
        this.lastIncarnation = saved.documentIncarnation();
    }

    /**
     * False when {@code text} is exactly the document last acted on (committed): it can hold no transition, so the
     * route skips parsing and comparing it. That is the common case, once a second on every VM, for days.
     * True after a restart, and for a document whose records never all reached the queues (no commit).
     */
    public synchronized boolean isNew(String text) {
        return text != null && !text.equals(lastText);
    }

    public synchronized Transitions detect(ScheduledEventsDocument doc) {
        Instant now = clock.instant();
        VmIdentity vm = identity.get();
        String vmName = vm.name();
        Map<String, ScheduledEvent> current = byKey(doc.events());
        List<TransitionRecord> records = new ArrayList<>();
        for (ScheduledEvent event : current.values()) {
            ScheduledEvent before = last.get(event.key());
            if (before == null || !before.hasStatus(event.eventStatus())) {
                emit(records, event, doc, now, vmName, vm);
            }
        }
        Map<String, ScheduledEvent> next = new LinkedHashMap<>(current);
        for (ScheduledEvent gone : last.values()) {
            if (current.containsKey(gone.key())) {
                continue;
            }
            if (!doc.complete()) {
                next.put(gone.key(), gone); // an unreadable entry may be this very event: decide on a later document
                continue;
            }
            emit(records, gone.withStatus(endOf(gone, now)), doc, now, vmName, vm);
        }
        boolean changed = !next.equals(last) || doc.documentIncarnation() != lastIncarnation;
        return new Transitions(List.copyOf(records), doc.documentIncarnation(), List.copyOf(next.values()), changed);
    }

    /** Called once every record of {@code transitions} is in every sink's queue. */
    public synchronized void commit(Transitions transitions) {
        commit(transitions, null);
    }

    /** As {@link #commit(Transitions)}, remembering the document's text for {@link #isNew}. */
    public synchronized void commit(Transitions transitions, String documentText) {
        lastText = documentText;
        // Counted here, not in detect(): a transition detected again after a crash is one transition
        transitions.records().forEach(r -> metrics.transition(r.eventType(), r.eventStatus()));
        if (transitions.stateChanged()) {
            store.save(transitions.incarnation(), transitions.nextState());
            last = byKey(List.copyOf(transitions.nextState()));
            lastIncarnation = transitions.incarnation();
        }
    }

    static String endOf(ScheduledEvent gone, Instant now) {
        boolean started = gone.hasStatus(ScheduledEvent.STARTED);
        boolean due = gone.notBeforeUtc() != null && !now.isBefore(gone.notBeforeUtc());
        return started || due ? ScheduledEvent.COMPLETED : ScheduledEvent.CANCELED;
    }

    private void emit(List<TransitionRecord> records, ScheduledEvent event, ScheduledEventsDocument doc, Instant now,
                      String vmName, VmIdentity vm) {
        if (!scope.keeps(event, vmName)) {
            return;
        }
        records.add(TransitionRecord.of(event, doc.documentIncarnation(), now, vmName, vm,
                approvedAt.apply(event.eventId())));
        LOG.info("Event {} {} {} (NotBefore {})", UntrustedText.forLog(event.eventId()),
                UntrustedText.forLog(event.eventType()), UntrustedText.forLog(event.eventStatus()),
                UntrustedText.forLog(event.notBefore()));
    }

    private static Map<String, ScheduledEvent> byKey(List<ScheduledEvent> events) {
        Map<String, ScheduledEvent> map = new LinkedHashMap<>();
        // Duplicate EventIds in one document: the later entry wins, as a reader of the document would assume
        events.forEach(e -> map.put(e.key(), e));
        return map;
    }
}
