package scheduledevents.responder;

import java.time.Instant;
import scheduledevents.responder.intake.BadDeliveryException;
import scheduledevents.responder.intake.Delivery;

/**
 * What the webhook route needs of the delivery parser (bean {@code deliveryParser}): a delivery's bytes in, its
 * reports out, or a {@link BadDeliveryException} (400). {@code DeliveryParser::parse} in the responder.
 */
@FunctionalInterface
public interface Intake {
    Delivery parse(byte[] body, String contentType, Instant receivedAt) throws BadDeliveryException;
}
