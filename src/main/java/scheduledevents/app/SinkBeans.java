package scheduledevents.app;

import java.time.Clock;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import scheduledevents.delivery.DeliveredKeyStores;
import scheduledevents.delivery.DeliveryPolicy;
import scheduledevents.delivery.SinkQueues;
import scheduledevents.delivery.StatusFilters;
import scheduledevents.settings.SettingsReader;
import scheduledevents.sink.eventgrid.EventEnvelopes;
import scheduledevents.sink.eventgrid.EventGridComponent;
import scheduledevents.sink.eventgrid.EventGridSettings;
import scheduledevents.sink.eventgrid.EventGridSink;
import scheduledevents.sink.mail.MailComposer;
import scheduledevents.sink.mail.MailSettings;
import scheduledevents.sink.mail.SmtpFailures;
import scheduledevents.sink.mail.SmtpSender;
import scheduledevents.sink.webhook.WebhookSender;
import scheduledevents.sink.webhook.WebhookSettings;

/**
 * The one place that binds what a sink's route file ({@code routes/4x-sink-<name>.yaml}) names, and the sink
 * template's status filters ({@code statusFilters}). Only for a sink in {@code agent.sinks}: its route exists only
 * then (precondition), its settings are read and checked only then, and a mail session or an HTTPS client made for
 * nothing would cost every VM classes and memory. Sink "log" needs nothing from here: its file is a bean of
 * routes/41. Adding a sink with Java beans is one more case here.
 */
final class SinkBeans {
    private final CamelContext context;
    private final Function<String, String> lookup;
    private final AgentSettings settings;
    private final Clock clock;

    /** @param lookup a key's value after placeholders and environment overrides, or null when unset */
    SinkBeans(CamelContext context, Function<String, String> lookup, AgentSettings settings, Clock clock) {
        this.context = context;
        this.lookup = lookup;
        this.settings = settings;
        this.clock = clock;
    }

    /** Binds the beans of every sink that is on, checking their settings in this order: mail, webhook, eventgrid. */
    void bind(SinkQueues queues, DeliveredKeyStores stores, DeliveryPolicy policy) {
        Registry registry = context.getRegistry();
        SettingsReader s = new SettingsReader(lookup);
        StatusFilters statusFilters = new StatusFilters();
        if (on("mail")) {
            MailSettings mail = MailSettings.read(s);
            statusFilters.add("mail", mail.statuses()::wanted);
            registry.bind("mailComposer", new MailComposer(mail, clock));
            registry.bind("mailSender", SmtpSender.of(mail));
            registry.bind("smtpFailures", new SmtpFailures(mail));
        }
        if (on("webhook")) {
            WebhookSettings webhook = WebhookSettings.read(s);
            statusFilters.add("webhook", webhook.statuses()::wanted);
            registry.bind("webhookSender", new WebhookSender(webhook, clock));
        }
        if (on(EventGridSettings.SINK)) {
            bindEventGrid(AgentSettings.readEventGrid(lookup), queues, stores, policy);
        }
        registry.bind("statusFilters", statusFilters);
    }

    private boolean on(String sink) {
        return settings.sinks().contains(sink);
    }

    /**
     * Sink "eventgrid": the azure-eventgrid component, with the key set on the component so that it never appears in
     * an endpoint URI, and the bean that batches the records and makes events of them.
     */
    private void bindEventGrid(EventGridSettings eventGrid, SinkQueues queues, DeliveredKeyStores stores,
                               DeliveryPolicy policy) {
        EventGridComponent component = new EventGridComponent();
        component.setAccessKey(eventGrid.key());
        // the endpoint's options, set once here so that routes/42 writes only the topic
        component.setCredentialType(lookup.apply("agent.eventgrid.auth"));
        component.setSchema(lookup.apply("agent.eventgrid.schema"));
        component.setSasTokenValidity(eventGrid.sasValidity().toMillis());
        component.setManagedIdentityClientId(eventGrid.managedIdentityClientId());
        // started on the first message: nothing is set up (with a managed identity: the Azure SDK loaded) until
        // there is something to publish
        component.setLazyStartProducer(true);
        context.addComponent("azure-eventgrid", component);
        EventEnvelopes envelopes = new EventEnvelopes(eventGrid.schema(), eventGrid.eventType(), eventGrid.subject(),
                settings.vmName());
        context.getRegistry().bind("eventGridSink", new EventGridSink(queues.directory(EventGridSettings.SINK),
                eventGrid.batchMaxEvents(), eventGrid.batchMaxBytes(), stores.forQueue(EventGridSettings.SINK),
                envelopes, policy));
    }
}
