package scheduledevents.responder.fleet;

/**
 * What one delivery did to the fleet, for the intake route's metrics and log line.
 *
 * @param reports             reports in the delivery
 * @param duplicates          reports already stored (Event Grid redelivery, a retried delivery): they changed nothing
 * @param statusChanges       fleet status changes they caused (a new fleet event counts as one)
 * @param notificationsQueued outbox rows written (one per status change and allowed channel)
 */
public record ApplyResult(int reports, int duplicates, int statusChanges, int notificationsQueued) {
    public static final ApplyResult NONE = new ApplyResult(0, 0, 0, 0);

    ApplyResult plus(ApplyResult other) {
        return new ApplyResult(reports + other.reports, duplicates + other.duplicates,
                statusChanges + other.statusChanges, notificationsQueued + other.notificationsQueued);
    }
}
