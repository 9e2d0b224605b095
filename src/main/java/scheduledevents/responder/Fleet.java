package scheduledevents.responder;

import java.util.List;
import java.util.Optional;
import scheduledevents.responder.fleet.ApplyResult;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetQuery;
import scheduledevents.responder.intake.Delivery;
import scheduledevents.responder.intake.FleetReport;

/**
 * What the routes need of the fleet store (bean {@code fleetStore}, the contract's {@code FleetStore}).
 * {@link #apply} commits the whole delivery in one transaction before it returns, or throws (the route answers 500
 * and Event Grid retries).
 */
public interface Fleet {
    ApplyResult apply(List<FleetReport> reports);

    /** The webhook route's step: stores a parsed delivery's reports ({@link #apply}). */
    default ApplyResult store(Delivery delivery) {
        return apply(delivery.reports());
    }

    /** Newest NotBefore first, without History. */
    List<FleetEvent> events(FleetQuery query);

    /** The event (EventId compared case-insensitively) with its History. */
    Optional<FleetEvent> event(String eventId);

    /** Records an attempt to approve the event from the centre (its Approval and a History entry). */
    void recordApproval(String eventId, int occurrence, FleetEvent.Approval attempt);

    /** Whether the database answers (health). */
    boolean healthy();

}
