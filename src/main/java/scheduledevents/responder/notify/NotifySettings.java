package scheduledevents.responder.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import scheduledevents.logging.UntrustedText;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;
import scheduledevents.sink.mail.MailSettings;
import scheduledevents.sink.webhook.WebhookSettings;

/**
 * The responder's notification settings ({@code responder.notify*}, {@code responder.mail.*},
 * {@code responder.webhook.*}, {@code responder.templates.dir}), named like the agent's: environment
 * RESPONDER_MAIL_HOST, RESPONDER_WEBHOOK_URL... Mail and webhook settings are read and checked only when
 * {@code responder.notify} names the channel.
 *
 * @param channels   mail and/or webhook; empty = no notification
 * @param types      event types that notify (as spelled by IMDS, compared case-insensitively); empty = all
 * @param statuses   fleet statuses that notify (Scheduled, Started, Completed, Canceled); empty = all
 * @param interval   time between two outbox runs (the notify route's timer)
 * @param batch      at most this many items per run
 * @param lease      how long a claim keeps other replicas off an item
 * @param mail       null unless channels has mail
 * @param webhook    null unless channels has webhook
 */
public record NotifySettings(
        Set<String> channels,
        List<String> types,
        List<String> statuses,
        Duration interval,
        int batch,
        Duration lease,
        RetryPolicy retry,
        Path templatesDir,
        MailSettings mail,
        WebhookSettings webhook) {

    public static final List<String> CHANNELS = List.of("mail", "webhook");
    static final List<String> STATUSES = List.of("Scheduled", "Started", "Completed", "Canceled");

    public static NotifySettings read(SettingsReader s) {
        List<String> channels = new ArrayList<>();
        for (String item : s.list("responder.notify")) {
            String name = item.toLowerCase(Locale.ROOT);
            if (!CHANNELS.contains(name)) {
                throw new InvalidSettingException("responder.notify", "unknown channel '" + UntrustedText.forLog(item)
                        + "' (known: " + String.join(", ", CHANNELS) + "; empty = none)");
            }
            channels.add(name);
        }
        List<String> statuses = new ArrayList<>();
        for (String item : s.list("responder.notify.statuses")) {
            statuses.add(STATUSES.stream().filter(k -> k.equalsIgnoreCase(item)).findFirst()
                    .orElseThrow(() -> new InvalidSettingException("responder.notify.statuses", "unknown status '"
                            + UntrustedText.forLog(item) + "' (known: " + String.join(", ", STATUSES)
                            + "; empty = all)")));
        }
        List<String> types = s.list("responder.notify.types");
        Duration interval = s.millis("responder.notify.interval", 100);
        int batch = s.integer("responder.notify.batch", 1, 1000);
        Duration lease = s.millis("responder.notify.lease", 1000);
        Duration first = s.millis("responder.notify.retry.first-delay", 1);
        Duration max = s.millis("responder.notify.retry.max-delay", 1);
        if (max.compareTo(first) < 0) {
            throw new InvalidSettingException("responder.notify.retry.max-delay", "must be at least "
                    + "responder.notify.retry.first-delay (" + first.toMillis() + " ms)");
        }
        int attempts = s.integer("responder.notify.retry.max-attempts", 1, 1_000_000);
        Path templates = s.path("responder.templates.dir");
        MailSettings mail = channels.contains("mail") ? MailSettings.read(s, "responder") : null;
        WebhookSettings webhook = channels.contains("webhook")
                ? WebhookSettings.read(s, "responder", "fleet-webhook-") : null;
        return new NotifySettings(Set.copyOf(channels), List.copyOf(types), List.copyOf(statuses), interval, batch,
                lease, new RetryPolicy(first, max, attempts), templates, mail, webhook);
    }

    @Override
    public String toString() {
        return "NotifySettings[channels=" + channels + ", types=" + types + ", statuses=" + statuses + ", batch="
                + batch + ", lease=" + lease + ", retry=" + retry + ", mail=" + mail + ", webhook=" + webhook + "]";
    }
}
