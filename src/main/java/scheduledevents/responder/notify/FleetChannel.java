package scheduledevents.responder.notify;

import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;

/** One way of telling people about a fleet event ({@code mail}, {@code webhook}): one send per outbox item. */
public interface FleetChannel {
    /** The outbox's channel name this channel sends. */
    String name();

    /**
     * Sends one notification about {@code event} reaching {@code item}'s status; returns when it was accepted.
     *
     * @throws NotifyFailure when it was not: retryable or refused for good, with a reason safe for a log line
     */
    void send(OutboxItem item, FleetEvent event) throws NotifyFailure, InterruptedException;

    /** A send that did not go through. The message is safe: no secret, no URL path or query. */
    final class NotifyFailure extends Exception {
        private final boolean permanent;

        public NotifyFailure(String safeReason, boolean permanent) {
            super(safeReason, null, false, false);
            this.permanent = permanent;
        }

        /** True when retrying will not help (webhook 4xx other than 408/429, SMTP 5xx). */
        public boolean permanent() {
            return permanent;
        }
    }
}
