package scheduledevents.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import scheduledevents.events.Scope;
import scheduledevents.respond.AckLeader;
import scheduledevents.respond.AckPolicy;
import scheduledevents.state.DurableFiles;

/**
 * The agent's settings, read once at start-up through Camel's properties component (so {@code application.properties}
 * and the environment override, {@code agent.sink.log.file} &lt;- {@code AGENT_SINK_LOG_FILE}, work exactly as in the
 * YAML routes) and checked, so that a bad value stops start-up with one line naming the key instead of failing later.
 */
public record AgentSettings(
        URI imdsUrl,
        String imdsApiVersion,
        Duration imdsConnectTimeout,
        Duration imdsTimeout,
        Duration imdsFirstRequestTimeout,
        int imdsMaxRequestsPerSecond,
        Duration imdsBackoffMax,
        Duration pollInterval,
        Path stateDir,
        List<String> sinks,
        String logFile,
        Duration sinkMaxAge,
        Duration sinkQueueFallbackPoll,
        Scope scope,
        String vmName,
        int canceledMissingDocuments,
        String healthHost,
        int healthPort,
        Duration healthDownAfter,
        Path hooksDir,
        Duration hooksTimeout,
        AckPolicy ackPolicy,
        AckLeader ackLeader) {

    /** Defaults, in one place; application.properties documents each key with the same value (a test checks). */
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("agent.imds.url", "http://169.254.169.254");
        d.put("agent.imds.api-version", "2020-07-01");
        d.put("agent.imds.connect-timeout", "2000");
        d.put("agent.imds.timeout", "5000");
        d.put("agent.imds.first-request-timeout", "130000");
        d.put("agent.imds.max-requests-per-second", "4");
        d.put("agent.imds.backoff.max", "30000");
        d.put("agent.poll.interval", "1000");
        d.put("agent.state.dir", "state");
        d.put("agent.sinks", "log");
        d.put("agent.sink.log.file", "");
        d.put("agent.sink.max-age", "86400000");
        d.put("agent.sink.retry.initial-delay", "1000");
        d.put("agent.sink.retry.max-delay", "300000");
        d.put("agent.sink.queue.fallback-poll", "10000");
        d.put("agent.scope", "this-vm");
        d.put("agent.vm.name", "");
        d.put("agent.canceled.missing-documents", "3");
        d.put("agent.health.host", "0.0.0.0");
        d.put("agent.health.port", "9465");
        d.put("agent.health.down-after", "60000");
        d.put("agent.hooks.dir", "hooks");
        d.put("agent.hooks.timeout", "300000");
        d.put("agent.ack.policy", "never");
        d.put("agent.ack.leader", "self");
        d.put("agent.eventgrid.endpoint", "");
        d.put("agent.eventgrid.auth", "key");
        d.put("agent.eventgrid.key", "");
        d.put("agent.eventgrid.key-file", "");
        d.put("agent.eventgrid.schema", "eventgrid");
        d.put("agent.eventgrid.event-type", "ScheduledEvent");
        d.put("agent.eventgrid.subject", "");
        d.put("agent.eventgrid.sas-validity", "3600000");
        d.put("agent.eventgrid.managed-identity.client-id", "");
        d.put("agent.eventgrid.batch.max-events", "500");
        d.put("agent.eventgrid.batch.max-bytes", "1000000");
        return Map.copyOf(d);
    }

    /**
     * @param lookup   the value of a key after placeholders and environment overrides, or null when unset
     * The sink names are checked against the sink routes separately ({@link #checkSinks}), once routes are loaded.
     */
    public static AgentSettings read(Function<String, String> lookup) {
        Reader r = new Reader(lookup);
        List<String> sinks = r.list("agent.sinks");
        Path stateDir;
        try {
            stateDir = Path.of(r.text("agent.state.dir"));
        } catch (InvalidPathException e) {
            throw new InvalidSettingException("agent.state.dir", "is not a valid path (" + e.getReason() + ")");
        }
        try {
            DurableFiles.requireWritableDirectory(stateDir);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingException("agent.state.dir", "cannot write to " + stateDir.toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        int budget = r.integer("agent.imds.max-requests-per-second", 1, 5);
        r.millis("agent.sink.retry.initial-delay", 1);
        r.millis("agent.sink.retry.max-delay", 1);
        return new AgentSettings(r.httpUrl("agent.imds.url"), r.text("agent.imds.api-version"),
                r.millis("agent.imds.connect-timeout", 1), r.millis("agent.imds.timeout", 1),
                r.millis("agent.imds.first-request-timeout", 1), budget, r.millis("agent.imds.backoff.max", 1),
                r.millis("agent.poll.interval", 10), stateDir, sinks, r.optional("agent.sink.log.file"),
                r.millis("agent.sink.max-age", 1), r.millis("agent.sink.queue.fallback-poll", 1),
                r.scope("agent.scope"), r.optional("agent.vm.name"),
                r.integer("agent.canceled.missing-documents", 1, 1000),
                r.text("agent.health.host"), r.integer("agent.health.port", 0, 65535),
                r.millis("agent.health.down-after", 1),
                Path.of(r.text("agent.hooks.dir")), r.millis("agent.hooks.timeout", 1000),
                r.choice("agent.ack.policy", AckPolicy::parse), r.choice("agent.ack.leader", AckLeader::parse));
    }

    /** Keys earlier releases read, and what replaced them: a deployment that still sets one is told so at start. */
    static final Map<String, String> RETIRED = Map.of(
            "agent.sink.queue.poll-delay", "queue consumers are now woken when a record is queued;"
                    + " agent.sink.queue.fallback-poll sets how often they look otherwise");

    /**
     * One warning line for each retired key that is still set (in application.properties or the environment): it is
     * ignored, and a setting that silently stops working is worse than one that fails.
     */
    public static List<String> retiredKeysInUse(Function<String, String> lookup) {
        List<String> warnings = new ArrayList<>();
        RETIRED.forEach((key, instead) -> {
            if (lookup.apply(key) != null) {
                warnings.add(key + " (" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')
                        + ") is no longer read and is ignored: " + instead);
            }
        });
        return warnings;
    }

    /** Settings of sink "eventgrid"; checked (a bad one stops start-up) only when {@code enabled}. */
    public static EventGridSettings readEventGrid(Function<String, String> lookup, boolean enabled) {
        Reader r = new Reader(lookup);
        return EventGridSettings.read(r::raw, enabled);
    }

    /** @param known sink names that have a route ({@code sink-<name>}) */
    public static void checkSinks(List<String> sinks, List<String> known) {
        for (String sink : sinks) {
            if (!known.contains(sink)) {
                throw new InvalidSettingException("agent.sinks", "unknown sink '" + sink + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    /** The agent's own keys, read on {@link SettingsReader}: every failure names the key. */
    private static final class Reader {
        private final SettingsReader values;

        Reader(Function<String, String> lookup) {
            values = new SettingsReader(lookup, DEFAULTS);
        }

        String raw(String key) {
            return values.text(key);
        }

        String optional(String key) {
            return raw(key);
        }

        String text(String key) {
            String value = raw(key);
            if (value.isEmpty()) {
                throw new InvalidSettingException(key, "must not be empty");
            }
            return value;
        }

        int integer(String key, int min, int max) {
            text(key);
            return values.integer(key, min, max);
        }

        /** Milliseconds, as a plain number: the YAML routes hand several of these to Camel as they are. */
        Duration millis(String key, long minMillis) {
            String value = text(key);
            Duration d;
            try {
                d = Duration.ofMillis(Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new InvalidSettingException(key, "must be a number of milliseconds, got "
                        + SettingsReader.quoted(key, value));
            }
            if (d.toMillis() < minMillis) {
                throw new InvalidSettingException(key, "must be at least " + minMillis + " ms, got "
                        + SettingsReader.quoted(key, value));
            }
            return d;
        }

        List<String> list(String key) {
            List<String> items = new ArrayList<>();
            for (String item : text(key).split(",")) {
                String name = item.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !items.contains(name)) {
                    items.add(name);
                }
            }
            if (items.isEmpty()) {
                throw new InvalidSettingException(key, "must name at least one sink");
            }
            return items;
        }

        /** A base URL (the agent adds path and query to it); never repeated in a message, as no URL is. */
        URI httpUrl(String key) {
            return SettingsReader.url(key, text(key), List.of("http", "https"), false, "");
        }

        Scope scope(String key) {
            return choice(key, Scope::parse);
        }

        <T> T choice(String key, Function<String, T> parse) {
            try {
                return parse.apply(text(key));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(key, e.getMessage() + ", got "
                        + SettingsReader.quoted(key, raw(key)));
            }
        }
    }
}
