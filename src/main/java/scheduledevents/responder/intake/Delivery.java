package scheduledevents.responder.intake;

import java.util.List;

/**
 * What one webhook delivery carried.
 *
 * @param validationCode the {@code validationCode} of an Event Grid {@code SubscriptionValidationEvent} (answer it as
 *                       {@code {"validationResponse": "<code>"}}), null for a notification
 * @param reports        one report per usable event of the delivery, in the order received
 * @param ignored        one safe line per event that was not usable (names no event text beyond a sanitised id):
 *                       for the log and a counter; the usable events of the same batch are kept
 */
public record Delivery(String validationCode, List<FleetReport> reports, List<String> ignored) {
    public Delivery {
        reports = reports == null ? List.of() : List.copyOf(reports);
        ignored = ignored == null ? List.of() : List.copyOf(ignored);
    }

    /** True for Event Grid's subscription validation handshake. */
    public boolean isValidation() {
        return validationCode != null;
    }
}
