package scheduledevents.responder;

/** What the outbox timer needs of the notifier (bean {@code fleetNotifier}, the contract's {@code FleetNotifier}). */
public interface Notifier {
    /** Sends the due notifications of the outbox; returns how many were handled. */
    int dispatch();
}
