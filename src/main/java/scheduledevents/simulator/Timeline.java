package scheduledevents.simulator;

import java.time.Instant;
import java.util.List;

/**
 * Where the Events array comes from: a fixed list set by a test, or a scenario playing over time. Implementations
 * are only called under {@link ImdsState}'s lock, so they need no synchronisation of their own.
 */
interface Timeline {

    List<SimEvent> eventsAt(Instant now);

    /** Moves the matching Scheduled event(s) to Started; false if no Scheduled event has that id (any case). */
    boolean approve(String eventId, Instant now);

    /** Faults whose time has come since the last call, in order; each is handed out once. */
    List<ScenarioFault> faultsDue(Instant now);
}
