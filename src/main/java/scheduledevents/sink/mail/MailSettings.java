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
        Path templates = s.path("agent.templates.dir");
        Path html = templates.resolve("mail.html.mustache");
        Path text = templates.resolve("mail.txt.mustache");
        StatusFilter statuses = StatusFilter.read(s, "agent.mail.statuses");
        String portal = s.text("agent.mail.portal-url");
        String host = s.required("agent.mail.host", " to the SMTP relay's name when agent.sinks has mail");
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]+")) {
            throw new InvalidSettingException("agent.mail.host", "must be a host name or address, got '"
                    + UntrustedText.forLog(host) + "'");
        }
        int port = s.integer("agent.mail.port", 1, 65535);
        String protocol = s.oneOf("agent.mail.protocol", PROTOCOLS);
        boolean starttls = s.bool("agent.mail.starttls");
        String username = s.text("agent.mail.username");
        String password = s.text("agent.mail.password");
        if (!username.isEmpty() && password.isEmpty()) {
            throw new InvalidSettingException("agent.mail.password", "must be set (AGENT_MAIL_PASSWORD) when "
                    + "agent.mail.username is set");
        }
        if (!username.isEmpty() && "smtp".equals(protocol) && !starttls) {
            throw new InvalidSettingException("agent.mail.starttls", "must be true (or agent.mail.protocol smtps) "
                    + "when agent.mail.username is set: the password would cross the network in clear text");
        }
        InternetAddress from = addresses("agent.mail.from", s.required("agent.mail.from",
                " to the sender address when agent.sinks has mail"), true).get(0);
        List<InternetAddress> to = addresses("agent.mail.to", s.required("agent.mail.to",
                " to a comma list of recipients when agent.sinks has mail"), false);
        List<InternetAddress> cc = s.text("agent.mail.cc").isEmpty() ? List.of()
                : addresses("agent.mail.cc", s.text("agent.mail.cc"), false);
        Duration timeout = Duration.ofMillis(s.integer("agent.mail.timeout", 1, Integer.MAX_VALUE));
        // a URL: checked part by part, and never repeated (a URL given with credentials or a query may hold one)
        SettingsReader.url("agent.mail.portal-url", portal, List.of("https"), false, "");
        if (!portal.matches("https://[A-Za-z0-9.-]+")) {
            throw new InvalidSettingException("agent.mail.portal-url", "must be https:// and a host name alone, "
                    + "without a path or port");
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
