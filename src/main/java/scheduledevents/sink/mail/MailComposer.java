package scheduledevents.sink.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import scheduledevents.delivery.PermanentDeliveryException;
import scheduledevents.notification.Templates;
import scheduledevents.notification.TransitionView;

/**
 * Turns one transition record into the mail the {@code mail} sink sends: the subject from {@link TransitionView}
 * (single line: a CR/LF in an event field cannot add a header), an HTML body with a plain-text alternative from the
 * templates, and sender and recipients from the settings only, never from the event.
 */
public final class MailComposer {
    private static final String CHARSET = "UTF-8";

    private final MailSettings settings;
    private final Clock clock;
    private final Session session = Session.getInstance(new Properties());
    private volatile Templates.Template html;
    private volatile Templates.Template text;

    public MailComposer(MailSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        templates();
    }

    /** The mail route's step: the MimeMessage that camel-mail sends as it is. */
    public MimeMessage compose(String recordJson) throws MessagingException {
        Map<String, Object> view;
        try {
            view = TransitionView.of(recordJson, clock, settings.portalUrl());
        } catch (IOException e) {
            throw new PermanentDeliveryException("record is not JSON; it cannot be mailed");
        }
        templates();
        return compose(session, settings, view, text, html, clock);
    }

    /**
     * A mail from settings' sender to its recipients: the view's {@code subject}, and the two templates rendered as a
     * text and an HTML alternative (the fleet responder's notifications are made the same way).
     */
    public static MimeMessage compose(Session session, MailSettings settings, Map<String, Object> view,
                                      Templates.Template text, Templates.Template html, Clock clock)
            throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(settings.from());
        mail.setRecipients(Message.RecipientType.TO, settings.to().toArray(InternetAddress[]::new));
        if (!settings.cc().isEmpty()) {
            mail.setRecipients(Message.RecipientType.CC, settings.cc().toArray(InternetAddress[]::new));
        }
        mail.setSubject((String) view.get("subject"), CHARSET);
        mail.setSentDate(Date.from(clock.instant()));
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text.render(view), CHARSET, "plain");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html.render(view), CHARSET, "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        // RFC 2046: the plainest first, the preferred (HTML) last
        alternative.addBodyPart(plain);
        alternative.addBodyPart(rich);
        mail.setContent(alternative);
        mail.saveChanges();
        return mail;
    }

    private void templates() {
        if (html == null || text == null) {
            synchronized (this) {
                if (html == null) {
                    html = Templates.load("agent.templates.dir", settings.htmlTemplate(), Templates.Escaping.HTML);
                }
                if (text == null) {
                    text = Templates.load("agent.templates.dir", settings.textTemplate(), Templates.Escaping.TEXT);
                }
            }
        }
    }
}
