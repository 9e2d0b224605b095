package scheduledevents.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import scheduledevents.config.InvalidSettingException;
import scheduledevents.config.SettingsReader;
import scheduledevents.events.UntrustedText;

/**
 * The {@code agent.webhook.*} settings, checked only when the {@code webhook} sink is enabled.
 *
 * @param url     secret (Teams and Slack put the token in it): from AGENT_WEBHOOK_URL; never in a log line or message
 * @param headers extra request headers; their values may be secret too (Authorization) and are never logged
 */
public record WebhookSettings(
        boolean enabled,
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

    public static WebhookSettings read(SettingsReader s, boolean enabled) {
        String format = s.oneOf("agent.webhook.format", FORMATS);
        String dir = s.text("agent.templates.dir").isEmpty() ? "templates" : s.text("agent.templates.dir");
        String custom = s.text("agent.webhook.template");
        Path template = custom.isEmpty() ? Path.of(dir, "webhook-" + format + ".json.mustache") : Path.of(custom);
        Templates.Escaping escaping = "slack".equals(format) ? Templates.Escaping.SLACK_JSON : Templates.Escaping.JSON;
        StatusFilter statuses = StatusFilter.read(s, "agent.webhook.statuses");
        String portal = s.text("agent.mail.portal-url");
        if (!enabled) {
            return new WebhookSettings(false, null, format, template, escaping, Map.of(), Duration.ofSeconds(10),
                    statuses, portal);
        }
        URI url = url(s.required("agent.webhook.url", " (AGENT_WEBHOOK_URL) to the endpoint's URL when agent.sinks "
                + "has webhook"));
        Map<String, String> headers = headers(s.text("agent.webhook.headers"));
        Duration timeout = Duration.ofMillis(s.integer("agent.webhook.timeout", 1, Integer.MAX_VALUE));
        return new WebhookSettings(true, url, format, template, escaping, headers, timeout, statuses, portal);
    }

    /** Checks the URL without ever repeating it: it holds the webhook's token. */
    private static URI url(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("agent.webhook.url", "is not a URL (value not shown: it is secret)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new InvalidSettingException("agent.webhook.url", "must be an https:// URL with a host "
                    + "(value not shown: it is secret)");
        }
        return uri;
    }

    /** {@code Name: value; Name2: value2}; values may be secret and are never repeated in a message. */
    static Map<String, String> headers(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text.isBlank()) {
            return headers;
        }
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            String name = colon < 0 ? pair.trim() : pair.substring(0, colon).trim();
            if (colon < 0 || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new InvalidSettingException("agent.webhook.headers", "expected 'Name: value; Name2: value2', "
                        + "got a part without a valid header name ('" + UntrustedText.forLog(name) + "')");
            }
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidSettingException("agent.webhook.headers", "header " + name + " is set by the agent");
            }
            String value = pair.substring(colon + 1).trim();
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidSettingException("agent.webhook.headers", "the value of " + name
                        + " has a control character");
            }
            headers.put(name, value);
        }
        return Map.copyOf(headers);
    }

    /** The URL without path and query, safe to show in a log line or message. */
    public String endpointForLog() {
        if (url == null) {
            return "(no URL)";
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + endpointForLog() + ", format=" + format + ", template=" + template
                + ", headers=" + headers.keySet() + "]";
    }
}
