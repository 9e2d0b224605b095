package scheduledevents.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListener;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.delivery.DeadLetters;
import scheduledevents.delivery.DeliveredKeyStores;
import scheduledevents.delivery.DeliveryPolicy;
import scheduledevents.delivery.QueueHealthCheck;
import scheduledevents.delivery.SinkQueues;
import scheduledevents.delivery.WakeUpScheduler;
import scheduledevents.imds.DocumentProblems;
import scheduledevents.imds.ImdsClient;
import scheduledevents.imds.ImdsHealthCheck;
import scheduledevents.imds.ImdsPoller;
import scheduledevents.imds.RequestBudget;
import scheduledevents.imds.ScheduledEventsParser;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.observability.ObserveServer;
import scheduledevents.record.RecordKey;
import scheduledevents.respond.AckPolicy;
import scheduledevents.respond.Approvals;
import scheduledevents.respond.Approver;
import scheduledevents.respond.HookRunner;
import scheduledevents.respond.RespondStage;
import scheduledevents.transitions.EventStateStore;
import scheduledevents.transitions.TransitionDetector;

/**
 * Binds the beans that the YAML routes name ({@code imdsPoller}, {@code transitionDetector}, {@code sinkQueues},
 * ...) from the checked settings. The routes decide the flow; this class only builds what they call.
 */
public class AgentConfiguration implements CamelConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(AgentConfiguration.class);
    static final String SINK_ROUTE_PREFIX = "sink-";
    static final String RESPOND_QUEUE = "respond";

    @Override
    public void configure(CamelContext context) throws Exception {
        // Sinks are known by their routes; those are loaded after this runs, so the sink check waits for start-up
        AgentSettings settings = AgentSettings.read(key -> lookup(context, key));
        AgentSettings.retiredKeysInUse(key -> lookup(context, key)).forEach(LOG::warn);
        useCheckedValuesInRoutes(context, settings);
        Clock clock = Clock.systemUTC();
        Registry registry = context.getRegistry();

        PrometheusMeterRegistry meters = Optional.ofNullable(registry.findSingleByType(PrometheusMeterRegistry.class))
                .orElseGet(() -> {
                    PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                    registry.bind("prometheusMeterRegistry", created);
                    return created;
                });
        AgentMetrics metrics = new AgentMetrics(meters, clock);
        AgentMetrics.bindJvmMetrics(meters);

        ImdsClient client = new ImdsClient(settings.imdsUrl(), settings.imdsApiVersion(), settings.imdsConnectTimeout(),
                settings.imdsTimeout(), new RequestBudget(settings.imdsMaxRequestsPerSecond()));
        ImdsPoller poller = new ImdsPoller(client, settings.imdsTimeout(), settings.imdsFirstRequestTimeout(),
                settings.pollInterval(), settings.imdsBackoffMax(), settings.vmName(), metrics, clock);
        // The respond stage (hooks, approval) consumes a queue of its own, like a sink; with no hook and no approval
        // there is nothing to do, and on a thousand VMs the queue and its polling are not free
        HookRunner hooks = new HookRunner(settings.hooksDir(), settings.hooksTimeout(), metrics, clock);
        boolean respond = settings.ackPolicy() != AckPolicy.NEVER || hooks.anyHooks();
        List<String> queueNames = new ArrayList<>(settings.sinks());
        if (respond) {
            queueNames.add(RESPOND_QUEUE);
        }
        SinkQueues queues = new SinkQueues(settings.stateDir(), queueNames, metrics, clock);
        DeliveryPolicy policy = new DeliveryPolicy(queues, settings.sinkMaxAge(), metrics);

        registry.bind("agentSettings", settings);
        registry.bind("agentMetrics", metrics);
        registry.bind("imdsClient", client);
        registry.bind("imdsPoller", poller);
        registry.bind("scheduledEventsParser", new ScheduledEventsParser());
        registry.bind("documentProblems", new DocumentProblems(metrics));
        Approvals approvals = new Approvals(settings.stateDir(), clock);
        registry.bind("transitionDetector", new TransitionDetector(new EventStateStore(settings.stateDir(), clock),
                settings.scope(), poller::identity, metrics, clock, approvals::approvedAt,
                settings.canceledMissingDocuments()));
        registry.bind("respondStage", new RespondStage());
        registry.bind("hookRunner", hooks);
        registry.bind("approver", new Approver(settings.ackPolicy(), settings.ackLeader(), client, approvals,
                () -> poller.identity().name(), metrics, clock));
        registry.bind("sinkQueues", queues);
        // a prototype: each queue consumer that names it gets its own scheduler, woken by sinkQueues
        registry.bindAsPrototype("pollWhenQueued", WakeUpScheduler.class,
                () -> new WakeUpScheduler(queues, settings.sinkQueueFallbackPoll()));
        registry.bind("recordKey", new RecordKey());
        registry.bind("deliveryPolicy", policy);
        // one key store per queue that is on, as delivered-<queue> (routes/40's template, 50, dead letters)
        DeliveredKeyStores stores = new DeliveredKeyStores(settings.stateDir(), queueNames);
        stores.bindAll(registry);
        registry.bind("deliveredKeyStores", stores);
        registry.bind("deadLetters", new DeadLetters(settings.stateDir(), stores, policy, metrics, clock));
        // the sinks' own beans, for the sinks in agent.sinks only (their settings are checked only then)
        new SinkBeans(context, key -> lookup(context, key), settings, clock).bind(queues, stores, policy);
        ImdsHealthCheck health = new ImdsHealthCheck(poller.status(), settings.healthDownAfter(), clock);
        health.setCamelContext(context);
        registry.bind("imdsHealthCheck", health);
        QueueHealthCheck queueHealth = new QueueHealthCheck(queues);
        queueHealth.setCamelContext(context);
        registry.bind("queueHealthCheck", queueHealth);
        if (settings.healthPort() > 0) {
            context.addService(new ObserveServer(settings.healthHost(), settings.healthPort(), context, meters));
        }

        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarting(CamelContext camel, boolean alreadyStarted) {
                Optional.ofNullable(HealthCheckHelper.getHealthCheckRegistry(camel)).ifPresent(r -> {
                    r.register(health);
                    r.register(queueHealth);
                });
            }

            @Override
            public void onCamelContextStarted(CamelContext camel, boolean alreadyStarted) {
                // nothing more to do once started
            }
        });
    }

    /**
     * For Camel main: checks agent.sinks once the routes are loaded and before anything starts, so that an unknown
     * sink stops start-up with one line instead of a failed context. The sinks that exist are the sink routes in the
     * model: a route whose precondition ({@link SinkQueues#isEnabled}) is false stays there, it is only not created.
     */
    public static MainListener sinkCheck() {
        return new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                CamelContext context = main.getCamelContext();
                List<String> sinks = context.getRegistry().findSingleByType(AgentSettings.class).sinks();
                List<String> known = sinkRoutes(context);
                AgentSettings.checkSinks(sinks, known);
                boolean respond = context.getRegistry().lookupByNameAndType("sinkQueues", SinkQueues.class)
                        .names().contains(RESPOND_QUEUE);
                LOG.info("Sinks enabled: {} (available: {}); respond stage {}", String.join(", ", sinks),
                        String.join(", ", known), respond ? "on" : "off (no hooks, agent.ack.policy=never)");
            }
        };
    }

    private static List<String> sinkRoutes(CamelContext context) {
        return ((ModelCamelContext) context).getRouteDefinitions().stream().map(RouteDefinition::getRouteId)
                .filter(id -> id != null && id.startsWith(SINK_ROUTE_PREFIX))
                .map(id -> id.substring(SINK_ROUTE_PREFIX.length())).sorted().toList();
    }

    /**
     * The routes read some of the keys checked here as {{placeholders}}: they get the value as checked (a number of
     * milliseconds, without the spaces an environment variable may carry), not the raw text, which Camel would
     * read otherwise (" 70 " is a retry delay of 0 ms to Camel). Routes are loaded after this runs.
     */
    private static void useCheckedValuesInRoutes(CamelContext context, AgentSettings settings) {
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("agent.poll.interval", String.valueOf(settings.pollInterval().toMillis()));
        properties.addOverrideProperty("agent.sink.retry.initial-delay",
                String.valueOf(settings.sinkRetryInitialDelay().toMillis()));
        properties.addOverrideProperty("agent.sink.retry.max-delay",
                String.valueOf(settings.sinkRetryMaxDelay().toMillis()));
        properties.addOverrideProperty("agent.state.dir", settings.stateDir().toString());
        properties.addOverrideProperty("agent.sink.log.file", settings.logFile());
    }

    private static String lookup(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }
}
