package scheduledevents.responder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import scheduledevents.responder.approve.ArmApprover;
import scheduledevents.responder.approve.ArmSettings;
import scheduledevents.responder.approve.ManagedIdentityTokens;
import scheduledevents.responder.fleet.ApplyResult;
import scheduledevents.responder.fleet.FleetDatabase;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetQuery;
import scheduledevents.responder.fleet.FleetStore;
import scheduledevents.responder.fleet.NotifyRules;
import scheduledevents.responder.fleet.OutboxItem;
import scheduledevents.responder.intake.DeliveryParser;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.notify.FleetNotifier;
import scheduledevents.responder.notify.FleetOutbox;
import scheduledevents.responder.notify.NotifySettings;

/**
 * The parser, the store and the notifier the routes call, built from the checked settings; {@link #close} releases
 * what they hold (the database pool). The real ones are made by {@link Factory#REAL}; tests give their own.
 *
 * @param tokens where approvals get their ARM token; null = the managed identity ({@link ManagedIdentityTokens})
 */
public record ResponderParts(Intake intake, Fleet fleet, Notifier notifier, AutoCloseable resources,
        ArmApprover.Tokens tokens) {

    public ResponderParts(Intake intake, Fleet fleet, Notifier notifier, AutoCloseable resources) {
        this(intake, fleet, notifier, resources, null);
    }

    /** The same parts with approvals' tokens from {@code tokens} (the demo's stand-in of Azure). */
    public ResponderParts withTokens(ArmApprover.Tokens tokens) {
        return new ResponderParts(intake, fleet, notifier, resources, tokens);
    }

    /** The token source of approvals: the given one, else the managed identity's. */
    public ArmApprover.Tokens tokens(ArmSettings arm) {
        return tokens != null ? tokens : new ManagedIdentityTokens(arm);
    }

    /** Builds the parts once the settings are checked. */
    @FunctionalInterface
    public interface Factory {
        ResponderParts create(ResponderSettings settings, ResponderMetrics metrics, Clock clock) throws Exception;

        /** The real ones: DeliveryParser, FleetStore on FleetDatabase (H2 or PostgreSQL), FleetNotifier. */
        Factory REAL = ResponderParts::real;
    }

    static ResponderParts real(ResponderSettings settings, ResponderMetrics metrics, Clock clock) {
        FleetDatabase database = FleetDatabase.open(settings.databaseUrl(), settings.databaseUser(),
                settings.databasePassword(), settings.dataDir());
        NotifySettings notify = settings.notifications();
        FleetStore store = new FleetStore(database.dataSource(), clock, new NotifyRules(notify.channels(),
                Set.copyOf(notify.types()), Set.copyOf(notify.statuses())));
        FleetNotifier notifier = FleetNotifier.of(notify, outbox(store), clock).reportingTo(metrics);
        return new ResponderParts(new DeliveryParser()::parse, fleet(store), () -> {
            try {
                return notifier.dispatch();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }, database);
    }

    private static Fleet fleet(FleetStore store) {
        return new Fleet() {
            @Override
            public ApplyResult apply(List<FleetReport> reports) {
                return store.apply(reports);
            }

            @Override
            public List<FleetEvent> events(FleetQuery query) {
                return store.events(query);
            }

            @Override
            public Optional<FleetEvent> event(String eventId) {
                return store.event(eventId);
            }

            @Override
            public void recordApproval(String eventId, int occurrence, FleetEvent.Approval attempt) {
                store.recordApproval(eventId, occurrence, attempt.by(), Instant.parse(attempt.at()),
                        attempt.outcome(), attempt.message());
            }

            @Override
            public boolean healthy() {
                try {
                    store.pendingNotifications();
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            }
        };
    }

    private static FleetOutbox outbox(FleetStore store) {
        return new FleetOutbox() {
            @Override
            public List<OutboxItem> claim(String owner, int limit, Duration lease) {
                return store.claim(owner, limit, lease);
            }

            @Override
            public Optional<FleetEvent> event(String eventKey) {
                return store.event(eventKey);
            }

            @Override
            public void sent(long id) {
                store.sent(id);
            }

            @Override
            public void failed(long id, String safeReason, Instant nextAttempt) {
                store.failed(id, safeReason, nextAttempt);
            }

            @Override
            public void dead(long id, String safeReason) {
                store.dead(id, safeReason);
            }
        };
    }

    public void close() throws Exception {
        if (resources != null) {
            resources.close();
        }
    }
}
