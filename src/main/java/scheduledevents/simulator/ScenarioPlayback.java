package scheduledevents.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A scenario playing from a real start instant at a given speed. The document is a pure function of "now" plus the
 * approvals received, so a test clock drives it deterministically and no background thread is needed.
 */
final class ScenarioPlayback implements Timeline {

    private final Scenario scenario;
    private final String vmName;
    private final Instant start;
    private final double speed;
    private final boolean loop;
    private final long cycleNanos;

    private long cycle;
    private final Map<Integer, Instant> approvedAt = new HashMap<>();
    private int nextFault;

    ScenarioPlayback(Scenario scenario, String vmName, Instant start, double speed, boolean loop) {
        if (!(Double.isFinite(speed) && speed > 0)) {
            throw new IllegalArgumentException("speed must be a positive number: " + speed);
        }
        this.scenario = scenario;
        this.vmName = vmName;
        this.start = start;
        this.speed = speed;
        this.loop = loop;
        // At least one second per cycle, so an empty scenario cannot make the loop spin.
        this.cycleNanos = Math.max(toRealNanos(scenario.lengthSeconds()), 1_000_000_000L);
    }

    @Override
    public List<SimEvent> eventsAt(Instant now) {
        enterCycle(now);
        List<SimEvent> events = new ArrayList<>();
        for (int i = 0; i < scenario.events().size(); i++) {
            SimEvent e = eventAt(i, now);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    @Override
    public boolean approve(String eventId, Instant now) {
        enterCycle(now);
        boolean released = false;
        for (int i = 0; i < scenario.events().size(); i++) {
            SimEvent e = eventAt(i, now);
            if (e != null && e.isScheduled() && e.hasId(eventId)) {
                approvedAt.put(i, now);
                released = true;
            }
        }
        return released;
    }

    @Override
    public List<ScenarioFault> faultsDue(Instant now) {
        enterCycle(now);
        List<ScenarioFault> due = new ArrayList<>();
        List<ScenarioFault> faults = scenario.faults();
        while (nextFault < faults.size() && !now.isBefore(at(faults.get(nextFault).at()))) {
            due.add(faults.get(nextFault++));
        }
        return due;
    }

    /** The event as served at {@code now}, or null when it is not (yet, or any more) in the document. */
    private SimEvent eventAt(int index, Instant now) {
        ScenarioEvent e = scenario.events().get(index);
        Instant appear = at(e.appearAt());
        Instant notBefore = at(e.appearAt() + e.noticeSeconds());
        Instant startedAt = approvedAt.getOrDefault(index, notBefore);
        Instant gone = startedAt.plusNanos(toRealNanos(e.runSeconds()));
        if (now.isBefore(appear) || !now.isBefore(gone)) {
            return null;
        }
        if (e.cancelAt() != null && !now.isBefore(at(e.cancelAt())) && !startedAt.isBefore(at(e.cancelAt()))) {
            return null;
        }
        boolean started = !now.isBefore(startedAt);
        return new SimEvent(
                eventId(e),
                started ? SimEvent.STARTED : SimEvent.SCHEDULED,
                e.eventType(),
                e.resourceType(),
                e.resourcesFor(vmName),
                started ? "" : e.notBeforeFormat().format(notBefore),
                e.description(),
                e.eventSource(),
                e.durationInSeconds());
    }

    /**
     * Real IMDS never reuses an EventId, and an agent may remember the ones it handled, so each loop cycle after the
     * first gets fresh ids, derived deterministically and in the original's letter case.
     */
    private String eventId(ScenarioEvent e) {
        if (cycle == 0) {
            return e.eventId();
        }
        String derived = UUID.nameUUIDFromBytes((e.eventId() + "#" + cycle).getBytes(StandardCharsets.UTF_8))
                .toString();
        return e.eventId().equals(e.eventId().toUpperCase(Locale.ROOT)) ? derived.toUpperCase(Locale.ROOT) : derived;
    }

    /** When looping, starting a new cycle forgets the previous cycle's approvals and faults. */
    private void enterCycle(Instant now) {
        if (!loop) {
            return;
        }
        long elapsed = Duration.between(start, now).toNanos();
        long current = elapsed <= 0 ? 0 : elapsed / cycleNanos;
        if (current > cycle) {
            cycle = current;
            approvedAt.clear();
            nextFault = 0;
        }
    }

    /** The real instant of scenario second {@code seconds} in the current cycle. */
    private Instant at(double seconds) {
        return start.plusNanos(cycle * cycleNanos + toRealNanos(seconds));
    }

    private long toRealNanos(double scenarioSeconds) {
        return Math.round(scenarioSeconds * 1e9 / speed);
    }
}
