package scheduledevents.responder.approve;

import java.util.List;
import java.util.Optional;
import scheduledevents.responder.fleet.FleetEvent;

/** What approving needs of the fleet store: the event as the API shows it, and a place for each attempt. */
public interface ApprovalStore {
    /** The event (EventId in any case) with its History and current Approval. */
    Optional<FleetEvent> event(String eventId);

    /** The Scheduled fleet events (for the approval rules), without History. */
    List<FleetEvent> scheduled();

    /** Records an attempt in the event's occurrence {@code occurrence}. */
    void record(String eventId, int occurrence, FleetEvent.Approval attempt);
}
