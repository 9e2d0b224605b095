package scheduledevents.simulator;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the scheduledevents endpoint serves: the event source, DocumentIncarnation bookkeeping, the fault queue and
 * the approvals. All methods are synchronized: HTTP worker threads and the test thread share one instance.
 */
final class ImdsState {

    private Timeline timeline = new FixedEvents(List.of());
    private String rawDocument;
    private long incarnation = 1;
    private List<SimEvent> lastEvents = List.of();
    private final Deque<PendingFault> faults = new ArrayDeque<>();
    private final List<Approval> approvals = new ArrayList<>();

    private static final class PendingFault {
        final Fault fault;
        int remaining;

        PendingFault(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    synchronized void setTimeline(Timeline next, Instant now) {
        timeline = next;
        rawDocument = null;
        observe(now);
    }

    synchronized void setRawDocument(String body) {
        rawDocument = Objects.requireNonNull(body, "raw document");
    }

    synchronized String document(Instant now) {
        if (rawDocument != null) {
            return rawDocument;
        }
        observe(now);
        return DocumentJson.render(incarnation, lastEvents);
    }

    synchronized void approve(List<String> eventIds, Instant now) {
        for (String id : eventIds) {
            approvals.add(new Approval(id, now, timeline.approve(id, now)));
        }
        observe(now);
    }

    synchronized List<Approval> approvals() {
        return List.copyOf(approvals);
    }

    synchronized void addFault(Fault fault, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1: " + count);
        }
        faults.addLast(new PendingFault(fault, count));
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    /** The fault for this request, if any: scenario faults that fell due join the queue first. */
    synchronized Optional<Fault> takeFault(Instant now) {
        for (ScenarioFault due : timeline.faultsDue(now)) {
            addFault(due.toFault(), due.count());
        }
        PendingFault head = faults.peekFirst();
        if (head == null) {
            return Optional.empty();
        }
        if (--head.remaining == 0) {
            faults.removeFirst();
        }
        return Optional.of(head.fault);
    }

    /**
     * Incarnation counts changes of the Events array as they are observed (on each document and each mutation).
     * Two changes between observations count once; clients only need it to grow whenever the content differs.
     */
    private void observe(Instant now) {
        List<SimEvent> events = timeline.eventsAt(now);
        if (!events.equals(lastEvents)) {
            incarnation++;
            lastEvents = List.copyOf(events);
        }
    }
}
