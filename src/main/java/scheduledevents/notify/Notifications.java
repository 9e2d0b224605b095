package scheduledevents.notify;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.spi.Registry;
import scheduledevents.config.SettingsReader;

/**
 * Binds the beans that {@code routes/43-sink-mail.yaml} and {@code routes/44-sink-webhook.yaml} name. A sink's
 * settings are checked only when the sink is in {@code agent.sinks}; otherwise its beans are built from whatever is
 * set, so that the (not started) route can still be created.
 */
public final class Notifications {
    /** Defaults, identical to application.properties (a test checks). */
    public static final Map<String, String> DEFAULTS = defaults();

    private Notifications() {
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("agent.templates.dir", "templates");
        d.put("agent.mail.host", "");
        d.put("agent.mail.port", "587");
        d.put("agent.mail.protocol", "smtp");
        d.put("agent.mail.starttls", "true");
        d.put("agent.mail.username", "");
        d.put("agent.mail.password", "");
        d.put("agent.mail.from", "");
        d.put("agent.mail.to", "");
        d.put("agent.mail.cc", "");
        d.put("agent.mail.timeout", "30000");
        d.put("agent.mail.statuses", "Scheduled,Started,Completed,Canceled");
        d.put("agent.mail.portal-url", "https://portal.azure.com");
        d.put("agent.webhook.url", "");
        d.put("agent.webhook.format", "json");
        d.put("agent.webhook.template", "");
        d.put("agent.webhook.headers", "");
        d.put("agent.webhook.timeout", "10000");
        d.put("agent.webhook.statuses", "Scheduled,Started,Completed,Canceled");
        return Map.copyOf(d);
    }

    /**
     * @param lookup a key's value after placeholders and environment overrides, or null when unset
     * @param sinks  agent.sinks
     */
    public static void bind(Registry registry, Function<String, String> lookup, List<String> sinks, Clock clock) {
        SettingsReader s = new SettingsReader(lookup, DEFAULTS);
        MailSettings mail = MailSettings.read(s, sinks.contains("mail"));
        WebhookSettings webhook = WebhookSettings.read(s, sinks.contains("webhook"));
        // Only for a sink that is on: its route exists only then (precondition), and a mail session or an HTTPS
        // client made for nothing would cost every VM classes and memory
        if (sinks.contains("mail")) {
            registry.bind("mailSettings", mail);
            registry.bind("mailStatusFilter", mail.statuses());
            registry.bind("mailComposer", new MailComposer(mail, clock));
            registry.bind("mailSender", SmtpSender.of(mail));
            registry.bind("smtpFailures", new SmtpFailures(mail));
        }
        if (sinks.contains("webhook")) {
            registry.bind("webhookSettings", webhook);
            registry.bind("webhookStatusFilter", webhook.statuses());
            registry.bind("webhookSender", new WebhookSender(webhook, clock));
        }
    }
}
