package scheduledevents.responder.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;

/**
 * The notifications owed, as {@link FleetNotifier} sees the store: the durable outbox written in the same transaction
 * as each fleet status change (FleetStore implements it). Reasons handed to it are safe one-liners: no secret, no
 * URL path or query, event text only through {@code UntrustedText}.
 */
public interface FleetOutbox {
    /**
     * Up to {@code limit} due items (neither sent nor dead, next attempt reached, lease free or expired), claimed for
     * {@code owner} for {@code lease}: no other owner gets them until the lease runs out, so a notifier killed
     * mid-send costs at most one duplicate.
     */
    List<OutboxItem> claim(String owner, int limit, Duration lease);

    /** The fleet event as stored now (every affected VM), by its key (lower-case EventId). */
    Optional<FleetEvent> event(String eventKey);

    /** Delivered: never sent again. */
    void sent(long id);

    /** Not delivered this time: counts the attempt, frees the claim, due again at {@code nextAttempt}. */
    void failed(long id, String safeReason, Instant nextAttempt);

    /** Refused for good, or attempts exhausted: never sent again, kept with its reason. */
    void dead(long id, String safeReason);
}
