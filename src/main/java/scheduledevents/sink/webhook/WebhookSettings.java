package scheduledevents.sink.webhook;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import scheduledevents.notification.StatusFilter;
import scheduledevents.notification.Templates;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;

/**
 * The {@code agent.webhook.*} settings, read and checked only when agent.sinks has webhook.
 *
 * @param url     secret (Teams and Slack put the token in it): from AGENT_WEBHOOK_URL; never in a log line or message
 * @param headers extra request headers; their values may be secret too (Authorization) and are never logged
 */
public record WebhookSettings(
        URI url,
        String format,
        Path template,
        Templates.Escaping escaping,
        Map<String, String> headers,
        Duration timeout,
        StatusFilter statuses,
        String portalUrl) {

    static final List<String> FORMATS = List.of("teams", "slack", "json");
    /** Headers the JDK HTTP client sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    public static WebhookSettings read(SettingsReader s) {
        return read(s, "agent", "webhook-");
    }

    /**
     * The same settings under another prefix: {@code responder} reads {@code responder.webhook.*} (environment
     * RESPONDER_WEBHOOK_*), {@code responder.templates.dir} and {@code responder.mail.portal-url}; only the agent has
     * {@code <prefix>.webhook.statuses} (the responder's outbox decides which statuses notify).
     *
     * @param templateBase the default template's name before {@code <format>.json.mustache}
     */
    public static WebhookSettings read(SettingsReader s, String prefix, String templateBase) {
        String p = prefix + ".webhook.";
        String env = prefix.toUpperCase(Locale.ROOT) + "_WEBHOOK_URL";
        String format = s.oneOf(p + "format", FORMATS);
        Path template = s.text(p + "template").isEmpty()
                ? s.path(prefix + ".templates.dir").resolve(templateBase + format + ".json.mustache")
                : s.path(p + "template");
        Templates.Escaping escaping = "slack".equals(format) ? Templates.Escaping.SLACK_JSON : Templates.Escaping.JSON;
        StatusFilter statuses = "agent".equals(prefix) ? StatusFilter.read(s, "agent.webhook.statuses")
                : StatusFilter.all();
        String portal = s.text(prefix + ".mail.portal-url");
        URI url = url(p + "url", s.required(p + "url", " (" + env + ") to the endpoint's URL when "
                + ("agent".equals(prefix) ? "agent.sinks" : prefix + ".notify") + " has webhook"));
        Map<String, String> headers = headers(p + "headers", s.text(p + "headers"));
        Duration timeout = Duration.ofMillis(s.integer(p + "timeout", 1, Integer.MAX_VALUE));
        return new WebhookSettings(url, format, template, escaping, headers, timeout, statuses, portal);
    }

    /**
     * Checks the URL at start (scheme, host, port 1-65535, no user info) without ever repeating it: Teams and Slack
     * put the webhook's token in its path, others in its query.
     */
    private static URI url(String key, String value) {
        return SettingsReader.url(key, value, List.of("http", "https"), true,
                " (value not shown: it is secret)");
    }

    /**
     * {@code Name: value; Name2: value2}. Values may be secret (Authorization) and a malformed part may be nothing
     * but a secret (a value whose name was forgotten), so a message names a part by its position, never by its text.
     */
    static Map<String, String> headers(String text) {
        return headers("agent.webhook.headers", text);
    }

    static Map<String, String> headers(String key, String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text.isBlank()) {
            return headers;
        }
        int position = 0;
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            position++;
            int colon = pair.indexOf(':');
            String name = colon < 0 ? "" : pair.substring(0, colon).trim();
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new InvalidSettingException(key, "part " + position + " has "
                        + (colon < 0 ? "no ':' after a header name" : "no valid header name before its ':'")
                        + " (expected 'Name: value; Name2: value2'; the part is not shown, it may hold a secret)");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidSettingException(key, "header " + name + " is set by the agent");
            }
            String value = pair.substring(colon + 1).trim();
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidSettingException(key, "the value of " + name
                        + " has a control character");
            }
            headers.put(name, value);
        }
        return Map.copyOf(headers);
    }

    /** The URL without path and query, safe to show in a log line or message. */
    public String endpointForLog() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + endpointForLog() + ", format=" + format + ", template=" + template
                + ", headers=" + headers.keySet() + "]";
    }
}
