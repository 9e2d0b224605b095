package scheduledevents.sink.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import scheduledevents.logging.UntrustedText;
import scheduledevents.notification.StatusFilter;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * The {@code agent.mail.*} settings, read and checked only when agent.sinks has mail (otherwise the sink's route is
 * not created and nothing reads them).
 *
 * @param password secret: from AGENT_MAIL_PASSWORD; never in a log line or message ({@link #toString()} hides it)
 */
public record MailSettings(
        String host,
        int port,
        String protocol,
        boolean starttls,
        String username,
        String password,
        InternetAddress from,
        List<InternetAddress> to,
        List<InternetAddress> cc,
        Duration timeout,
        StatusFilter statuses,
        String portalUrl,
        Path htmlTemplate,
        Path textTemplate) {

    static final List<String> PROTOCOLS = List.of("smtp", "smtps");

    public static MailSettings read(SettingsReader s) {
        return read(s, "agent");
    }

    /**
     * The same settings under another prefix: {@code responder} reads {@code responder.mail.*} (environment
     * RESPONDER_MAIL_*) and {@code responder.templates.dir}. Only the agent has {@code <prefix>.mail.statuses}: the
     * responder's outbox decides which statuses notify, so its settings take every status.
     */
    public static MailSettings read(SettingsReader s, String prefix) {
        String env = prefix.toUpperCase(java.util.Locale.ROOT);
        String when = " when " + ("agent".equals(prefix) ? "agent.sinks" : prefix + ".notify") + " has mail";
        Path templates = s.path(prefix + ".templates.dir");
        Path html = templates.resolve("mail.html.mustache");
        Path text = templates.resolve("mail.txt.mustache");
        StatusFilter statuses = "agent".equals(prefix) ? StatusFilter.read(s, "agent.mail.statuses")
                : StatusFilter.all();
        String portal = s.text(prefix + ".mail.portal-url");
        String host = s.required(prefix + ".mail.host", " to the SMTP relay's name" + when);
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            throw new InvalidSettingException(prefix + ".mail.host", "must be a host name or address, got '"
                    + UntrustedText.forLog(host) + "'");
        }
        int port = s.integer(prefix + ".mail.port", 1, 65535);
        String protocol = s.oneOf(prefix + ".mail.protocol", PROTOCOLS);
        boolean starttls = s.bool(prefix + ".mail.starttls");
        String username = s.text(prefix + ".mail.username");
        String password = s.text(prefix + ".mail.password");
        if (!username.isEmpty() && password.isEmpty()) {
            throw new InvalidSettingException(prefix + ".mail.password", "must be set (" + env
                    + "_MAIL_PASSWORD) when " + prefix + ".mail.username is set");
        }
        if (!username.isEmpty() && "smtp".equals(protocol) && !starttls) {
            throw new InvalidSettingException(prefix + ".mail.starttls", "must be true (or " + prefix
                    + ".mail.protocol smtps) when " + prefix + ".mail.username is set: the password would cross the network in clear text");
        }
        InternetAddress from = addresses(prefix + ".mail.from", s.required(prefix + ".mail.from",
                " to the sender address" + when), true).get(0);
        List<InternetAddress> to = addresses(prefix + ".mail.to", s.required(prefix + ".mail.to",
                " to a comma list of recipients" + when), false);
        List<InternetAddress> cc = s.text(prefix + ".mail.cc").isEmpty() ? List.of()
                : addresses(prefix + ".mail.cc", s.text(prefix + ".mail.cc"), false);
        Duration timeout = Duration.ofMillis(s.integer(prefix + ".mail.timeout", 1, Integer.MAX_VALUE));
        // a URL: checked part by part, and never repeated (a URL given with credentials or a query may hold one)
        SettingsReader.url(prefix + ".mail.portal-url", portal, List.of("https"), false, "");
        if (!portal.matches("https://[A-Za-z0-9.-]+")) {
            throw new InvalidSettingException(prefix + ".mail.portal-url", "must be https:// and a host name "
                    + "alone, without a path or port");
        }
        return new MailSettings(host, port, protocol, starttls, username.isEmpty() ? null : username,
                password.isEmpty() ? null : password, from, List.copyOf(to), List.copyOf(cc), timeout, statuses,
                portal, html, text);
    }

    private static List<InternetAddress> addresses(String key, String value, boolean single) {
        List<InternetAddress> list = new ArrayList<>();
        for (String part : value.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                continue;
            }
            try {
                InternetAddress address = new InternetAddress(item, true);
                address.validate();
                list.add(address);
            } catch (AddressException e) {
                throw new InvalidSettingException(key, "'" + UntrustedText.forLog(item) + "' is not a mail address");
            }
        }
        if (list.isEmpty()) {
            throw new InvalidSettingException(key, "must name a mail address");
        }
        if (single && list.size() > 1) {
            throw new InvalidSettingException(key, "must be one mail address, got " + list.size());
        }
        return list;
    }

    @Override
    public String toString() {
        return "MailSettings[host=" + host + ", port=" + port + ", protocol=" + protocol + ", starttls=" + starttls
                + ", username=" + username + ", password=" + (password == null ? "(none)" : "(hidden)") + "]";
    }
}
