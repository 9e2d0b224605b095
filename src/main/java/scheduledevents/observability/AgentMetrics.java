package scheduledevents.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import scheduledevents.record.EventStatus;
import scheduledevents.record.EventType;

/**
 * The agent's own Prometheus metrics. Label values that come from the network (event types) are mapped onto a
 * fixed set, so a hostile or buggy document cannot create unbounded series; no label ever carries a secret.
 */
public class AgentMetrics {
    private final MeterRegistry registry;
    private final Clock clock;

    public AgentMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** For tests and commands that do not expose metrics. */
    public static AgentMetrics inMemory() {
        return new AgentMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /**
     * The JVM's own figures beside the agent's (memory, threads, classes, CPU, uptime): computed when scraped, so
     * they cost nothing between scrapes. GC pause metrics are left out: they keep a notification listener running.
     */
    public static void bindJvmMetrics(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void poll(String status) {
        registry.counter("agent.imds.polls", "status", status).increment();
    }

    public void pollError(String status) {
        registry.counter("agent.imds.poll.errors", "status", status).increment();
    }

    public void transition(String type, String status) {
        registry.counter("agent.transitions", "type", label(type, EventType.ofAnyCase(type).text()),
                "status", label(status, EventStatus.ofAnyCase(status).text())).increment();
    }

    public void delivered(String sink) {
        registry.counter("agent.sink.deliveries", "sink", sink).increment();
    }

    public void failed(String sink) {
        registry.counter("agent.sink.failures", "sink", sink).increment();
    }

    public void retried(String sink) {
        registry.counter("agent.sink.retries", "sink", sink).increment();
    }

    public void deadLettered(String sink) {
        registry.counter("agent.sink.dead.letters", "sink", sink).increment();
    }

    public void hook(String hook, String outcome) {
        registry.counter("agent.hooks.runs", "hook", hook, "outcome", outcome).increment();
    }

    public void approval(String outcome) {
        registry.counter("agent.approvals", "outcome", outcome).increment();
    }

    /** Failed writes of a record to the sink's queue (a full disk); registered at 0 so that it is always scraped. */
    public Counter queueWriteFailures(String sink) {
        return Counter.builder("agent.queue.write.failures").tag("sink", sink)
                .description("records that could not be written to the sink's on-disk queue").register(registry);
    }

    public void queueDepth(String sink, Supplier<Number> depth) {
        Gauge.builder("agent.sink.queue.depth", depth).tag("sink", sink)
                .description("records waiting in the sink's on-disk queue").register(registry);
    }

    /** @param lastSuccess when IMDS last answered with a document, or null before the first */
    public void lastGoodPoll(Supplier<Instant> lastSuccess) {
        Gauge.builder("agent.imds.last.good.poll.age.seconds", () -> {
            Instant last = lastSuccess.get();
            return last == null ? Double.NaN : Duration.between(last, clock.instant()).toMillis() / 1000.0;
        }).description("seconds since IMDS last answered with a document (NaN before the first)").register(registry);
    }

    public double count(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** @param known the known type's or status's own spelling, null for text the agent does not know ("other") */
    private static String label(String received, String known) {
        return received == null ? "unknown" : known == null ? "other" : known;
    }
}
