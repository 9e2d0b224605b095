package scheduledevents.responder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import scheduledevents.responder.approve.ArmApprover;
import scheduledevents.responder.fleet.ApplyResult;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetQuery;
import scheduledevents.responder.fleet.FleetStoreException;
import scheduledevents.responder.intake.FleetReport;

/**
 * The responder's real parts ({@link ResponderParts#real}: DeliveryParser, FleetStore on an embedded H2 database,
 * FleetNotifier) with a recorder around them, so that route tests can say what reached the parser and the store,
 * and can make the database look failed or down.
 */
final class RecordingParts {
    /** Every report the store committed, in order. */
    final List<FleetReport> stored = Collections.synchronizedList(new ArrayList<>());
    /** Every body handed to the parser. */
    final List<byte[]> parsed = Collections.synchronizedList(new ArrayList<>());
    /** The content type handed to the parser with each body (null when the request had none). */
    final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
    /** While set, storing fails as a lost database connection does. */
    final AtomicBoolean storeFails = new AtomicBoolean();
    /** While set, the health check finds the database down. */
    final AtomicBoolean databaseDown = new AtomicBoolean();
    final AtomicInteger dispatches = new AtomicInteger();
    /** Where approvals get their ARM token: never the managed identity (no test may reach 169.254.169.254). */
    volatile ArmApprover.Tokens tokens = () -> {
        throw new ArmApprover.TokenException("no managed identity token (none in route tests)");
    };

    ResponderParts.Factory factory() {
        return (settings, metrics, clock) -> {
            ResponderParts real = ResponderParts.real(settings, metrics, clock);
            return new ResponderParts(this.intake(real.intake()), fleet(real.fleet()), () -> {
                dispatches.incrementAndGet();
                return real.notifier().dispatch();
            }, real.resources(), () -> tokens.token());
        };
    }

    private Intake intake(Intake real) {
        return (byte[] body, String contentType, Instant receivedAt) -> {
            parsed.add(body);
            contentTypes.add(contentType);
            return real.parse(body, contentType, receivedAt);
        };
    }

    private Fleet fleet(Fleet real) {
        return new Fleet() {
            @Override
            public ApplyResult apply(List<FleetReport> reports) {
                if (storeFails.get()) {
                    // what the store throws when its connection is gone; the message must not reach the answer
                    throw new FleetStoreException("fleet database: storing failed: connection refused to "
                            + "jdbc:postgresql://secret-host", null);
                }
                ApplyResult result = real.apply(reports);
                stored.addAll(reports);
                return result;
            }

            @Override
            public List<FleetEvent> events(FleetQuery query) {
                return real.events(query);
            }

            @Override
            public Optional<FleetEvent> event(String eventId) {
                return real.event(eventId);
            }

            @Override
            public void recordApproval(String eventId, int occurrence, FleetEvent.Approval attempt) {
                real.recordApproval(eventId, occurrence, attempt);
            }

            @Override
            public boolean healthy() {
                return !databaseDown.get() && real.healthy();
            }
        };
    }
}
