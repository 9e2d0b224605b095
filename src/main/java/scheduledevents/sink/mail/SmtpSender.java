package scheduledevents.sink.mail;

import java.util.Properties;
import org.apache.camel.component.mail.DefaultJavaMailSender;

/**
 * The {@code mailSender} bean that the mail route's camel-mail endpoint uses ({@code javaMailSender=#mailSender}):
 * host, port, protocol, TLS and credentials come from {@link MailSettings}, so none of them, the password least of
 * all, is ever part of an endpoint URI that Camel could log. Certificates are checked against the JVM's trust store
 * ({@code -Djavax.net.ssl.trustStore} to add a private CA), and the server's name must match its certificate.
 */
public final class SmtpSender {
    private SmtpSender() {
    }

    public static DefaultJavaMailSender of(MailSettings settings) {
        DefaultJavaMailSender sender = new DefaultJavaMailSender() {
            @Override
            public String toString() {
                return "SmtpSender[" + getProtocol() + "://" + getHost() + ":" + getPort() + "]";
            }
        };
        String protocol = settings.protocol();
        sender.setProtocol(protocol);
        sender.setHost(settings.host());
        sender.setPort(settings.port());
        sender.setUsername(settings.username());
        sender.setPassword(settings.password());
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        String millis = String.valueOf(settings.timeout().toMillis());
        p.setProperty("mail.transport.protocol", protocol);
        p.setProperty(prefix + "connectiontimeout", millis);
        p.setProperty(prefix + "timeout", millis);
        p.setProperty(prefix + "writetimeout", millis);
        p.setProperty(prefix + "auth", String.valueOf(settings.username() != null));
        if ("smtp".equals(protocol)) {
            // STARTTLS when asked is required, not opportunistic: a relay that does not offer it is not used
            p.setProperty(prefix + "starttls.enable", String.valueOf(settings.starttls()));
            p.setProperty(prefix + "starttls.required", String.valueOf(settings.starttls()));
        }
        p.setProperty(prefix + "ssl.checkserveridentity", "true");
        sender.setJavaMailProperties(p);
        return sender;
    }
}
