package scheduledevents.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.RecordKey;

/**
 * Where a record ends when its sink refused it for good or for longer than {@code agent.sink.max-age}: one JSON
 * line per record in {@code agent.state.dir/dead-letter/<sink>.jsonl}, with an error log line and a metric, so
 * nothing is dropped silently and an operator can replay it.
 */
public class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** Exchange property with the record as read from its queue file (step keep-record of the sink template). */
    public static final String RECORD_PROPERTY = "recordJson";

    private final Path directory;
    private final DeliveryPolicy policy;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final RecordKey keys = new RecordKey();
    private final DeliveredKeyStores stores;

    public DeadLetters(Path stateDir, DeliveredKeyStores stores, DeliveryPolicy policy, AgentMetrics metrics,
            Clock clock) {
        this.directory = stateDir.resolve("dead-letter");
        this.stores = stores;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * A dead-lettered record is done for its sink: a repeat of the same transition must not be sent again. Camel's
     * idempotent consumer with {@code eager=false} (needed so a kill -9 mid-delivery loses nothing) treats a failure
     * handled by the error handler as a failure: it does not add the key, and with {@code removeOnFailure} it would
     * remove one (SinkRoutesTest shows it). So the key is added here, to the sink's store, the same object the sink
     * template's idempotent consumer uses, and the template sets {@code removeOnFailure: false}.
     */
    private void markDone(String sink, String body) {
        DeliveredKeys delivered = stores.forQueue(sink);
        if (delivered == null) {
            LOG.warn("Sink {}: not a queue of this agent; no key kept, a repeat may be sent again", sink);
            return;
        }
        try {
            delivered.add(keys.keyOf(body));
        } catch (IOException notJson) {
            LOG.warn("Sink {}: dead-lettered body is not a record; no key kept", sink);
        }
    }

    private Path file(String sink) {
        return directory.resolve(sink + ".jsonl");
    }

    public void write(Exchange exchange) throws IOException {
        if (exchange.getContext().isStopping() && policy.mustStayQueued(exchange)) {
            // Shutting down mid-retry is no reason to give up on a record: fail, so its queue file stays
            throw new IllegalStateException("agent stopping; the record stays queued for the next start");
        }
        String sink = DeliveryPolicy.sinkOf(exchange);
        String reason = DeliveryPolicy.reason(DeliveryPolicy.failureOf(exchange));
        // the record as queued (the template keeps it): a sink's steps may have replaced the body by the time it failed
        String body = exchange.getProperty(RECORD_PROPERTY, String.class);
        if (body == null) {
            body = exchange.getIn().getBody(String.class);
        }
        ObjectNode line = mapper.createObjectNode();
        line.put("Sink", sink);
        line.put("DeadLetteredAt", clock.instant().toString());
        line.put("Reason", reason);
        line.put("QueueFile", exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class));
        try {
            line.set("Record", mapper.readTree(body));
        } catch (IOException notJson) {
            line.put("Record", body);
        }
        Files.createDirectories(directory);
        Files.writeString(file(sink), mapper.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        markDone(sink, body);
        metrics.deadLettered(sink);
        LOG.error("Sink {}: record dead-lettered ({}); kept in {}", sink, reason, file(sink));
    }
}
