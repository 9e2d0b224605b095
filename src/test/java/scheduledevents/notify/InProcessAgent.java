package scheduledevents.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import scheduledevents.config.AgentConfiguration;
import scheduledevents.observability.AgentMetrics;

/**
 * The agent as Camel main runs it (real application.properties, real routes/*.yaml from the project folder), in this
 * JVM, with settings overridden per test. Stop it with {@link #close()}.
 */
final class InProcessAgent implements AutoCloseable {
    private final Main main;

    private InProcessAgent(Main main) {
        this.main = main;
    }

    static InProcessAgent start(Path stateDir, String imdsUrl, Map<String, String> settings) throws Exception {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("agent.imds.url", imdsUrl);
        all.put("agent.state.dir", stateDir.toString());
        all.put("agent.health.port", "0");
        all.put("agent.poll.interval", "50");
        all.put("agent.sink.retry.initial-delay", "50");
        all.put("agent.sink.retry.max-delay", "200");
        // an hour: a record reaches its sink because the fan-out woke the sink's consumer, never by a fallback poll
        all.put("agent.sink.queue.fallback-poll", "3600000");
        all.putAll(settings);
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + Path.of("application.properties").toAbsolutePath());
        main.configure().addConfiguration(new AgentConfiguration());
        main.addMainListener(AgentConfiguration.sinkCheck());
        all.forEach(main::addOverrideProperty);
        main.start();
        return new InProcessAgent(main);
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    AgentMetrics metrics() {
        return context().getRegistry().lookupByNameAndType("agentMetrics", AgentMetrics.class);
    }

    double count(String name, String sink) {
        return metrics().count(name, "sink", sink);
    }

    /** Waits for a condition (not for a time): the bound only keeps a broken build from hanging. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        main.stop();
    }
}
