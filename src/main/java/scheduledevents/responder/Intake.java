package scheduledevents.responder;

import java.time.Instant;
import java.util.List;
import scheduledevents.responder.intake.BadDeliveryException;
import scheduledevents.responder.intake.FleetReport;

/**
 * What the webhook route needs of the delivery parser (bean {@code deliveryParser}, the contract's
 * {@code DeliveryParser.parse}): a delivery's bytes in, its reports out, or a {@code BadDeliveryException} (400).
 */
public interface Intake {
    Parsed parse(byte[] body, String contentType, Instant receivedAt) throws BadDeliveryException;

    /**
     * The contract's {@code Delivery}.
     *
     * @param validationCode non-null for an Event Grid SubscriptionValidationEvent
     * @param ignored        one safe line per event of the batch that was not usable
     */
    record Parsed(String validationCode, List<FleetReport> reports, List<String> ignored) {
        public Parsed {
            reports = reports == null ? List.of() : List.copyOf(reports);
            ignored = ignored == null ? List.of() : List.copyOf(ignored);
        }
    }
}
