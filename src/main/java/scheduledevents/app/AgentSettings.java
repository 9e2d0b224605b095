package scheduledevents.app;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import scheduledevents.durable.DurableFiles;
import scheduledevents.respond.AckLeader;
import scheduledevents.respond.AckPolicy;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;
import scheduledevents.sink.eventgrid.EventGridSettings;
import scheduledevents.transitions.Scope;

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
        Duration sinkRetryInitialDelay,
        Duration sinkRetryMaxDelay,
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

    /**
     * @param lookup   the value of a key after placeholders and environment overrides, or null when unset
     * The sink names are checked against the sink routes separately ({@link #checkSinks}), once routes are loaded.
     */
    public static AgentSettings read(Function<String, String> lookup) {
        SettingsReader r = new SettingsReader(lookup);
        List<String> sinks = sinks(r);
        Path stateDir = r.path("agent.state.dir");
        try {
            DurableFiles.requireWritableDirectory(stateDir);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSettingException("agent.state.dir", "cannot write to " + stateDir.toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        int budget = nonEmptyInteger(r, "agent.imds.max-requests-per-second", 1, 5);
        return new AgentSettings(r.httpUrl("agent.imds.url"), r.nonEmpty("agent.imds.api-version"),
                r.millis("agent.imds.connect-timeout", 1), r.millis("agent.imds.timeout", 1),
                r.millis("agent.imds.first-request-timeout", 1), budget, r.millis("agent.imds.backoff.max", 1),
                r.millis("agent.poll.interval", 10), stateDir, sinks, r.text("agent.sink.log.file"),
                r.millis("agent.sink.max-age", 1), r.millis("agent.sink.retry.initial-delay", 1),
                r.millis("agent.sink.retry.max-delay", 1), r.millis("agent.sink.queue.fallback-poll", 1),
                r.choice("agent.scope", Scope::parse, true), r.text("agent.vm.name"),
                nonEmptyInteger(r, "agent.canceled.missing-documents", 1, 1000),
                r.nonEmpty("agent.health.host"), nonEmptyInteger(r, "agent.health.port", 0, 65535),
                r.millis("agent.health.down-after", 1),
                r.path("agent.hooks.dir"), r.millis("agent.hooks.timeout", 1000),
                r.choice("agent.ack.policy", AckPolicy::parse, true),
                r.choice("agent.ack.leader", AckLeader::parse, true));
    }

    private static int nonEmptyInteger(SettingsReader r, String key, int min, int max) {
        r.nonEmpty(key);
        return r.integer(key, min, max);
    }

    /** agent.sinks: lower case, each once, at least one. */
    private static List<String> sinks(SettingsReader r) {
        List<String> items = new ArrayList<>();
        for (String item : r.nonEmpty("agent.sinks").split(",")) {
            String name = item.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !items.contains(name)) {
                items.add(name);
            }
        }
        if (items.isEmpty()) {
            throw new InvalidSettingException("agent.sinks", "must name at least one sink");
        }
        return items;
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

    /** Settings of sink "eventgrid", checked: call it only when the sink is in agent.sinks. */
    public static EventGridSettings readEventGrid(Function<String, String> lookup) {
        return EventGridSettings.read(new SettingsReader(lookup));
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
}
