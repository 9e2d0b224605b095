package scheduledevents.transitions;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.OnceLog;
import scheduledevents.logging.UntrustedText;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.EventStatus;
import scheduledevents.record.Occurrence;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;

/**
 * Turns successive documents into one record per new (EventId, EventStatus), plus Completed or Canceled when an
 * event disappears. IMDS has no "Completed" status: an event that had started, or whose NotBefore had passed, and
 * is gone, is over; one that vanished while still Scheduled before its NotBefore was canceled.
 *
 * <p>An event that comes back after the agent called it over is a new {@link Occurrence}: its records say so and are
 * new records for every sink. A Scheduled event is called Canceled only once {@code canceledAfter} documents in a row
 * lack it, so a passing empty document is not a cancellation; Completed is never delayed (its latency is measured).
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
    /** Ended events remembered so that their return is told apart: years of events on one VM. */
    static final int MAX_ENDED_REMEMBERED = 1000;

    private final EventStateStore store;
    private final Scope scope;
    private final Supplier<VmIdentity> identity;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Function<String, Instant> approvedAt;
    private final int canceledAfter;
    private final int maxEnded;
    private Map<String, ScheduledEvent> last;
    private Map<String, Occurrence> occurrences;
    private Map<String, Integer> missing = Map.of();
    private long lastIncarnation;
    private String lastText;
    /** Records detected but not all queued: queued again, first, with the next document's. */
    private List<TransitionRecord> notQueued = List.of();
    /** {@code last} is ahead of the state file: a document was taken as seen without being committed. */
    private boolean unsaved;
    private final OnceLog saveProblems = new OnceLog(LOG);

    /** Calls an event Canceled at the first document without it, and knows of no approval. */
    public TransitionDetector(EventStateStore store, Scope scope, Supplier<VmIdentity> identity, AgentMetrics metrics,
                              Clock clock) {
        this(store, scope, identity, metrics, clock, eventId -> null, 1);
    }

    /**
     * @param approvedAt    when this agent approved an event (by EventId), or null: records carry it
     * @param canceledAfter documents in a row that must lack a Scheduled event before it is called Canceled (1: the
     *                      first)
     */
    public TransitionDetector(EventStateStore store, Scope scope, Supplier<VmIdentity> identity, AgentMetrics metrics,
                              Clock clock, Function<String, Instant> approvedAt, int canceledAfter) {
        this(store, scope, identity, metrics, clock, approvedAt, canceledAfter, MAX_ENDED_REMEMBERED);
    }

    TransitionDetector(EventStateStore store, Scope scope, Supplier<VmIdentity> identity, AgentMetrics metrics,
                       Clock clock, Function<String, Instant> approvedAt, int canceledAfter, int maxEnded) {
        this.maxEnded = maxEnded;
        if (canceledAfter < 1) {
            throw new IllegalArgumentException("canceledAfter must be at least 1");
        }
        this.approvedAt = approvedAt;
        this.canceledAfter = canceledAfter;
        this.store = store;
        this.scope = scope;
        this.identity = identity;
        this.metrics = metrics;
        this.clock = clock;
        EventStateStore.Saved saved = store.loadSaved();
        this.last = byKey(saved.document().events());
        this.lastIncarnation = saved.document().documentIncarnation();
        this.occurrences = new LinkedHashMap<>(saved.occurrences());
    }

    /**
     * False when {@code text} is exactly the document last acted on (committed): it can hold no transition, so the
     * route skips parsing and comparing it. That is the common case, once a second on every VM, for days.
     * True after a restart, for a document whose records never all reached the queues (no commit), and while an
     * event is missing but not yet called Canceled: each document counts then, even the same one again.
     */
    public synchronized boolean isNew(String text) {
        return text != null && (!text.equals(lastText) || !missing.isEmpty());
    }

    public synchronized Transitions detect(ScheduledEventsDocument doc) {
        Instant now = clock.instant();
        VmIdentity vm = identity.get();
        String vmName = vm.name();
        Map<String, ScheduledEvent> current = byKey(doc.events());
        Map<String, Occurrence> nextOccurrences = new LinkedHashMap<>(occurrences);
        Map<String, Integer> nextMissing = new HashMap<>();
        List<TransitionRecord> records = new ArrayList<>(notQueued);
        for (ScheduledEvent event : current.values()) {
            ScheduledEvent before = last.get(event.key());
            if (before != null) {
                // an event saved by an earlier release has no occurrence yet: its first
                Occurrence occurrence = nextOccurrences.computeIfAbsent(event.key(), k -> Occurrence.first(now));
                if (!before.hasStatus(event.eventStatus())) {
                    emit(records, event, occurrence, doc, now, vmName, vm);
                }
                continue;
            }
            Occurrence earlier = nextOccurrences.remove(event.key()); // put back last: the newest is kept longest
            Occurrence occurrence = earlier == null ? Occurrence.first(now) : earlier.next(now);
            nextOccurrences.put(event.key(), occurrence);
            if (earlier != null) {
                LOG.info("Event {} is back after the agent reported it over: occurrence {}",
                        UntrustedText.forLog(event.eventId()), occurrence.number());
            }
            emit(records, event, occurrence, doc, now, vmName, vm);
        }
        Map<String, ScheduledEvent> next = new LinkedHashMap<>(current);
        for (ScheduledEvent gone : last.values()) {
            String key = gone.key();
            if (current.containsKey(key)) {
                continue;
            }
            if (!doc.complete()) {
                next.put(key, gone); // an unreadable entry may be this very event: decide on a later document
                if (missing.containsKey(key)) {
                    nextMissing.put(key, missing.get(key));
                }
                continue;
            }
            EventStatus end = endOf(gone, now);
            int missedIn = missing.getOrDefault(key, 0) + 1;
            if (end == EventStatus.CANCELED && missedIn < canceledAfter) {
                next.put(key, gone); // maybe a passing empty document: look again at the next one
                nextMissing.put(key, missedIn);
                continue;
            }
            Occurrence occurrence = nextOccurrences.computeIfAbsent(key, k -> Occurrence.first(null));
            emit(records, gone.withStatus(end), occurrence, doc, now, vmName, vm);
        }
        forgetOldestEnded(nextOccurrences, next, maxEnded);
        boolean changed = unsaved || !next.equals(last) || doc.documentIncarnation() != lastIncarnation
                || !nextOccurrences.equals(occurrences);
        return new Transitions(List.copyOf(records), doc.documentIncarnation(), List.copyOf(next.values()), changed,
                nextOccurrences, nextMissing);
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
        // Not saved: after a restart the count starts again, which delays a Canceled and never loses one
        missing = Map.copyOf(transitions.missing());
        if (transitions.stateChanged()) {
            last = byKey(List.copyOf(transitions.nextState()));
            lastIncarnation = transitions.incarnation();
            occurrences = new LinkedHashMap<>(transitions.occurrences());
            unsaved = true;
        }
        if (unsaved) {
            try {
                store.save(lastIncarnation, last.values(), occurrences);
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
        missing = Map.copyOf(transitions.missing());
        last = byKey(List.copyOf(transitions.nextState()));
        lastIncarnation = transitions.incarnation();
        occurrences = new LinkedHashMap<>(transitions.occurrences());
        unsaved = true;
    }

    static EventStatus endOf(ScheduledEvent gone, Instant now) {
        boolean started = gone.hasStatus(EventStatus.STARTED);
        boolean due = gone.notBeforeUtc() != null && !now.isBefore(gone.notBeforeUtc());
        return started || due ? EventStatus.COMPLETED : EventStatus.CANCELED;
    }

    private void emit(List<TransitionRecord> records, ScheduledEvent event, Occurrence occurrence,
                      ScheduledEventsDocument doc, Instant now, String vmName, VmIdentity vm) {
        if (!scope.keeps(event, vmName)) {
            return;
        }
        Instant approved = approvedAt.apply(event.eventId());
        if (approved != null && occurrence.number() > 1 && occurrence.since() != null
                && approved.isBefore(occurrence.since())) {
            approved = null; // that approval released an earlier occurrence
        }
        records.add(TransitionRecord.of(event, doc.documentIncarnation(), now, vmName, vm, approved,
                occurrence.number()));
        LOG.info("Event {} {} {} (NotBefore {}{})", UntrustedText.forLog(event.eventId()),
                UntrustedText.forLog(event.eventType()), UntrustedText.forLog(event.eventStatus()),
                UntrustedText.forLog(event.notBefore()),
                occurrence.number() > 1 ? ", occurrence " + occurrence.number() : "");
    }

    /** Keeps every event in {@code live} and the {@code max} ended ones seen last. */
    private static void forgetOldestEnded(Map<String, Occurrence> occurrences, Map<String, ScheduledEvent> live,
                                          int max) {
        long ended = occurrences.keySet().stream().filter(k -> !live.containsKey(k)).count();
        for (Iterator<String> keys = occurrences.keySet().iterator(); ended > max && keys.hasNext(); ) {
            if (!live.containsKey(keys.next())) {
                keys.remove();
                ended--;
            }
        }
    }

    private static Map<String, ScheduledEvent> byKey(List<ScheduledEvent> events) {
        Map<String, ScheduledEvent> map = new LinkedHashMap<>();
        // Duplicate EventIds in one document: the later entry wins, as a reader of the document would assume
        events.forEach(e -> map.put(e.key(), e));
        return map;
    }
}
