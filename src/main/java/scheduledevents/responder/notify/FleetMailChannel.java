package scheduledevents.responder.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.apache.camel.component.mail.JavaMailSender;
import scheduledevents.notification.Templates;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;
import scheduledevents.sink.mail.MailComposer;
import scheduledevents.sink.mail.MailSettings;
import scheduledevents.sink.mail.SmtpFailures;
import scheduledevents.sink.mail.SmtpSender;

/**
 * The {@code mail} channel: one mail per outbox item naming every affected VM, rendered from
 * {@code fleet-mail.txt.mustache} and {@code fleet-mail.html.mustache} (HTML-escaped) and sent with the agent's
 * {@link SmtpSender} (host, TLS and credentials from {@code responder.mail.*}, never from the event). Sender and
 * recipients come from the settings only; the subject is single-line, so event text cannot add a header. Failures
 * are classified by the agent's {@link SmtpFailures}: a 5xx reply is permanent, anything else is retried.
 */
public final class FleetMailChannel implements FleetChannel {

    private final MailSettings settings;
    private final Clock clock;
    private final JavaMailSender sender;
    private final SmtpFailures failures;
    private final Templates.Template html;
    private final Templates.Template text;
    private final Session session = Session.getInstance(new Properties());

    /** @param templatesDir folder of fleet-mail.{html,txt}.mustache ({@code responder.templates.dir}) */
    public FleetMailChannel(MailSettings settings, Path templatesDir, Clock clock) {
        this(settings, SmtpSender.of(settings), templatesDir, clock);
    }

    FleetMailChannel(MailSettings settings, DefaultJavaMailSender sender, Path templatesDir, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.sender = sender;
        this.failures = new SmtpFailures(settings, "responder");
        this.html = Templates.load("responder.templates.dir", templatesDir.resolve("fleet-mail.html.mustache"),
                Templates.Escaping.HTML);
        this.text = Templates.load("responder.templates.dir", templatesDir.resolve("fleet-mail.txt.mustache"),
                Templates.Escaping.TEXT);
    }

    @Override
    public String name() {
        return "mail";
    }

    /** The mail for one item, as it would be sent. */
    public MimeMessage compose(OutboxItem item, FleetEvent event) throws MessagingException {
        Map<String, Object> view = FleetView.of(item, event, clock, settings.portalUrl());
        return MailComposer.compose(session, settings, view, text, html, clock);
    }

    @Override
    public void send(OutboxItem item, FleetEvent event) throws NotifyFailure {
        MimeMessage mail;
        try {
            mail = compose(item, event);
        } catch (MessagingException e) {
            throw new NotifyFailure("the mail could not be composed (" + e.getClass().getSimpleName() + ")", false);
        }
        try {
            sender.send(mail);
        } catch (MessagingException | RuntimeException e) {
            RuntimeException classified = failures.classify(e);
            throw new NotifyFailure(classified.getMessage(),
                    !(classified instanceof SmtpFailures.RetryableMailException));
        }
    }
}
