package scheduledevents.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Events set directly by a test: they never change by themselves, only through approvals. */
final class FixedEvents implements Timeline {

    private List<SimEvent> events;

    FixedEvents(List<SimEvent> events) {
        this.events = List.copyOf(events);
    }

    @Override
    public List<SimEvent> eventsAt(Instant now) {
        return events;
    }

    @Override
    public boolean approve(String eventId, Instant now) {
        boolean released = false;
        List<SimEvent> next = new ArrayList<>(events.size());
        for (SimEvent e : events) {
            if (e.isScheduled() && e.hasId(eventId)) {
                next.add(e.started());
                released = true;
            } else {
                next.add(e);
            }
        }
        events = List.copyOf(next);
        return released;
    }

    @Override
    public List<ScenarioFault> faultsDue(Instant now) {
        return List.of();
    }
}
