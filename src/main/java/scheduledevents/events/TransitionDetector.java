package scheduledevents.events;

import java.io.UncheckedIOException;
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
import scheduledevents.observability.OnceLog;
import scheduledevents.state.EventStateStore;

/**
 * Turns successive documents into one record per new (EventId, EventStatus), plus Completed or Canceled when an
 * event disappears. IMDS has no "Completed" status: an event that had started, or whose NotBefore had passed, and
 * is gone, is over; one that vanished while still Scheduled before its NotBefore was canceled.
 *
 * <p>All events are tracked whatever the scope, so that learning this VM's name late never looks like events
 * disappearing. Scope only decides which transitions become records.
 *
 * <p>When the records of a document could not all be queued (a full disk), {@link #notQueued} keeps them and takes
 * the document as seen, in memory only: the next poll queues them again, before the records of what changed since,
 * so a transition seen meanwhile is neither forgotten nor reported out of order. The state file is written by the
 * next {@link #commit}, once every record is queued.
 */
public class TransitionDetector {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionDetector.class);
    /** Records kept while the queues cannot be written; past this, the oldest go (about 1 KiB each). */
    static final int MAX_NOT_QUEUED = 1000;

    private final EventStateStore store;
    private final Scope scope;
    private final Supplier<VmIdentity> identity;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Function<String, Instant> approvedAt;
    private Map<String, ScheduledEvent> last;
    private long lastIncarnation;
    private String lastText;
    /** Records detected but not all queued: queued again, first, with the next document's. */
    private List<TransitionRecord> notQueued = List.of();
    /** {@code last} is ahead of the state file: a document was taken as seen without being committed. */
    private boolean unsaved;
    private final OnceLog saveProblems = new OnceLog(LOG);

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
        List<TransitionRecord> records = new ArrayList<>(notQueued);
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
        boolean changed = unsaved || !next.equals(last) || doc.documentIncarnation() != lastIncarnation;
        return new Transitions(List.copyOf(records), doc.documentIncarnation(), List.copyOf(next.values()), changed);
    }

    /** Called once every record of {@code transitions} is in every sink's queue. */
    public synchronized void commit(Transitions transitions) {
        commit(transitions, null);
    }

    /**
     * As {@link #commit(Transitions)}, remembering the document's text for {@link #isNew}. When the state file
     * cannot be written (a full disk), the state is kept in memory and written on the next poll; that is logged
     * once, not once a poll, and the records, all queued, are not sent again.
     */
    public synchronized void commit(Transitions transitions, String documentText) {
        // Counted here, not in detect(): a transition detected again after a crash is one transition
        transitions.records().forEach(r -> metrics.transition(r.eventType(), r.eventStatus()));
        notQueued = List.of();
        if (transitions.stateChanged()) {
            last = byKey(List.copyOf(transitions.nextState()));
            lastIncarnation = transitions.incarnation();
            unsaved = true;
        }
        if (unsaved) {
            try {
                store.save(lastIncarnation, last.values());
            } catch (UncheckedIOException e) {
                // the same document is not new until its state is saved: the next poll tries again
                saveProblems.warn("Cannot save the state (" + e.getMessage() + "); trying again on every poll");
                return;
            }
            unsaved = false;
            if (saveProblems.reset()) {
                LOG.info("State saved again");
            }
        }
        lastText = documentText;
    }

    /**
     * The fan-out could not queue every record of {@code transitions} (a full disk). Keeps the records, to be queued
     * again first by the next {@link #detect}, and takes the document as seen, so that what changes meanwhile is
     * compared with it. Nothing is written: the state file follows at the next commit.
     */
    public synchronized void notQueued(Transitions transitions) {
        List<TransitionRecord> records = transitions.records();
        if (records.size() > MAX_NOT_QUEUED) {
            LOG.warn("{} records could not be queued for too long; the oldest {} are dropped",
                    records.size(), records.size() - MAX_NOT_QUEUED);
            records = records.subList(records.size() - MAX_NOT_QUEUED, records.size());
        }
        notQueued = List.copyOf(records);
        last = byKey(List.copyOf(transitions.nextState()));
        lastIncarnation = transitions.incarnation();
        unsaved = true;
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
