package scheduledevents.responder;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import scheduledevents.responder.api.Access;
import scheduledevents.responder.api.EventsApi;
import scheduledevents.responder.approve.ApprovalStore;
import scheduledevents.responder.approve.Approvals;
import scheduledevents.responder.approve.ArmApprover;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetQuery;
import scheduledevents.responder.page.FleetPage;

/**
 * Binds the beans that responder/routes/*.yaml name, from the checked settings: {@code deliveryParser},
 * {@code fleetStore}, {@code fleetNotifier} (the parts), and the thin HTTP glue {@code intakeSteps},
 * {@code eventsApi}, {@code access} (who is asking: token, page session or platform sign-in),
 * {@code fleetPage} (the page, its sign-in and {@code /api/me}) and {@code pageHeaders} (their header filter, which
 * lets Cache-Control through), {@code observeSteps}; {@code approvals} (POST /api/events/{id}/approve, Azure through
 * the managed identity); {@code responderMetrics} for the notifier's counts;
 * {@code formPostAsJson}, the intake route's policy.
 */
public class ResponderConfiguration implements CamelConfiguration {
    private final ResponderSettings settings;
    private final ResponderParts.Factory factory;

    public ResponderConfiguration(ResponderSettings settings, ResponderParts.Factory factory) {
        this.settings = settings;
        this.factory = factory;
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Clock clock = Clock.systemUTC();
        ResponderMetrics metrics = new ResponderMetrics();
        ResponderParts parts = factory.create(settings, metrics, clock);
        // the database pool is closed when Camel stops, after the routes
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                parts.close();
            }
        });
        // the timer reads the value as checked (a plain number of milliseconds), not the raw text
        context.getPropertiesComponent().addOverrideProperty("responder.notify.interval",
                String.valueOf(settings.outboxInterval().toMillis()));
        context.getPropertiesComponent().addOverrideProperty("responder.approve.auto-interval",
                String.valueOf(settings.approvalRules().autoInterval().toMillis()));

        Registry registry = context.getRegistry();
        registry.bind("responderSettings", settings);
        registry.bind("responderMetrics", metrics);
        registry.bind("deliveryParser", parts.intake());
        registry.bind("fleetStore", parts.fleet());
        registry.bind("fleetNotifier", parts.notifier());
        registry.bind("formPostAsJson", new FormPostAsJson());
        registry.bind("intakeSteps", new IntakeSteps(settings.deliverySecret(), metrics, clock));
        Access access = new Access(settings.apiToken(), settings.page().session(),
                settings.page().trustPlatformAuth(), clock);
        registry.bind("access", access);
        registry.bind("fleetPage", new FleetPage(access, settings.page()));
        registry.bind("pageHeaders", FleetPage.headerFilter());
        registry.bind("eventsApi", new EventsApi(parts.fleet()::events, parts.fleet()::event));
        registry.bind("observeSteps", new ObserveSteps(parts.fleet(), metrics));
        registry.bind("approvals", new Approvals(approvalStore(parts.fleet()),
                new ArmApprover(settings.arm(), parts.tokens(settings.arm())), metrics, clock,
                settings.approvalRules()));
    }

    private static ApprovalStore approvalStore(Fleet fleet) {
        return new ApprovalStore() {
            @Override
            public Optional<FleetEvent> event(String eventId) {
                return fleet.event(eventId);
            }

            @Override
            public List<FleetEvent> scheduled() {
                return fleet.events(new FleetQuery("Scheduled", null, null, null, EventsApi.MAX_LIMIT));
            }

            @Override
            public void record(String eventId, int occurrence, FleetEvent.Approval attempt) {
                fleet.recordApproval(eventId, occurrence, attempt);
            }
        };
    }
}
