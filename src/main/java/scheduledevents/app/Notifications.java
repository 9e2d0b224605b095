package scheduledevents.app;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.spi.Registry;
import scheduledevents.settings.SettingsReader;
import scheduledevents.sink.mail.MailComposer;
import scheduledevents.sink.mail.MailSettings;
import scheduledevents.sink.mail.SmtpFailures;
import scheduledevents.sink.mail.SmtpSender;
import scheduledevents.sink.webhook.WebhookSender;
import scheduledevents.sink.webhook.WebhookSettings;

/**
 * Binds the beans that {@code routes/43-sink-mail.yaml} and {@code routes/44-sink-webhook.yaml} name. A sink's
 * settings are read and checked only when the sink is in {@code agent.sinks}; otherwise its routes are not created
 * (their precondition) and nothing of it is bound.
 */
public final class Notifications {
    private Notifications() {
    }

    /**
     * @param lookup a key's value after placeholders and environment overrides, or null when unset
     * @param sinks  agent.sinks
     */
    public static void bind(Registry registry, Function<String, String> lookup, List<String> sinks, Clock clock) {
        SettingsReader s = new SettingsReader(lookup);
        // Only for a sink that is on: its route exists only then (precondition), its settings are not read otherwise,
        // and a mail session or an HTTPS client made for nothing would cost every VM classes and memory
        if (sinks.contains("mail")) {
            MailSettings mail = MailSettings.read(s);
            registry.bind("mailSettings", mail);
            registry.bind("mailStatusFilter", mail.statuses());
            registry.bind("mailComposer", new MailComposer(mail, clock));
            registry.bind("mailSender", SmtpSender.of(mail));
            registry.bind("smtpFailures", new SmtpFailures(mail));
        }
        if (sinks.contains("webhook")) {
            WebhookSettings webhook = WebhookSettings.read(s);
            registry.bind("webhookSettings", webhook);
            registry.bind("webhookStatusFilter", webhook.statuses());
            registry.bind("webhookSender", new WebhookSender(webhook, clock));
        }
    }
}
