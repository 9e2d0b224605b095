package scheduledevents.sink.eventgrid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.delivery.DeliveredKeys;
import scheduledevents.delivery.DeliveryPolicy;
import scheduledevents.record.RecordKey;

/**
 * The batching of sink "eventgrid" ({@code routes/42-sink-eventgrid.yaml}). The route takes one queue file per poll,
 * the oldest; {@link #collect} adds the records queued after it, in order, up to {@code agent.eventgrid.batch.*}
 * (Event Grid takes at most 5,000 events and 1 MB per request), and they go in one request. Only once that request
 * succeeded does {@link #confirm} record their delivery keys and delete their queue files; the route's file
 * consumer then deletes the first. A failure leaves every file queued, so a kill -9 at any point loses nothing: at
 * worst the next start publishes a record again, with the same event id.
 */
public class EventGridSink {
    private static final Logger LOG = LoggerFactory.getLogger(EventGridSink.class);
    static final String BATCH_PROPERTY = "scheduledEventsEventGridBatch";

    private final Path queueDir;
    private final int maxEvents;
    private final long maxBytes;
    private final DeliveredKeys deliveredKeys;
    private final EventEnvelopes envelopes;
    private final DeliveryPolicy deliveryPolicy;
    private final RecordKey keys = new RecordKey();

    /**
     * @param queueDir       the sink's queue folder, where the records after the first wait
     * @param maxEvents      agent.eventgrid.batch.max-events
     * @param maxBytes       agent.eventgrid.batch.max-bytes
     * @param deliveredKeys  the key store of the sink's route (delivered-eventgrid): the batch's other keys go there
     * @param envelopes      makes the events
     * @param deliveryPolicy counts deliveries
     */
    public EventGridSink(Path queueDir, int maxEvents, long maxBytes, DeliveredKeys deliveredKeys,
                         EventEnvelopes envelopes, DeliveryPolicy deliveryPolicy) {
        this.queueDir = queueDir;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.deliveredKeys = Objects.requireNonNull(deliveredKeys, "deliveredKeys");
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.deliveryPolicy = Objects.requireNonNull(deliveryPolicy, "deliveryPolicy");
    }

    /** Another queued record that rides in this request; {@code sent} false for a repeat of one already in it. */
    record Extra(Path file, String key, boolean sent) {
    }

    /** Body in: the first record's JSON (from its queue file). Body out: the list of events to publish. */
    public void collect(Exchange exchange) throws IOException {
        String first = exchange.getIn().getBody(String.class);
        String firstName = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        List<Object> events = new ArrayList<>();
        events.add(envelopes.toEvent(first));
        long bytes = EventEnvelopes.estimatedBytes(first);
        Set<String> batchKeys = new HashSet<>();
        batchKeys.add(keys.keyOf(first));
        List<Extra> extras = new ArrayList<>();
        for (Path file : waitingAfter(firstName)) {
            if (events.size() >= maxEvents) {
                break;
            }
            String json;
            String key;
            try {
                json = Files.readString(file, StandardCharsets.UTF_8);
                key = keys.keyOf(json);
            } catch (NoSuchFileException gone) {
                continue;
            } catch (IOException | RuntimeException unreadable) {
                // left for its own turn, where it fails (and is dead-lettered) on its own
                continue;
            }
            if (deliveredKeys.contains(key)) {
                continue; // its own turn drops and deletes it
            }
            if (!batchKeys.add(key)) {
                extras.add(new Extra(file, key, false));
                continue;
            }
            long size = EventEnvelopes.estimatedBytes(json);
            if (bytes + size > maxBytes) {
                break;
            }
            Object event;
            try {
                event = envelopes.toEvent(json);
            } catch (RuntimeException unreadable) {
                continue;
            }
            events.add(event);
            bytes += size;
            extras.add(new Extra(file, key, true));
        }
        exchange.setProperty(BATCH_PROPERTY, extras);
        exchange.getIn().setBody(events);
    }

    /** After a permanent refusal of a batch: try the first record alone, so one bad record does not sink others. */
    public void firstOnly(Exchange exchange) {
        List<?> events = exchange.getIn().getBody(List.class);
        exchange.setProperty(BATCH_PROPERTY, List.of());
        exchange.getIn().setBody(List.of(events.get(0)));
    }

    /** The request succeeded: the other records of the batch are delivered; forget their queue files. */
    public void confirm(Exchange exchange) throws IOException {
        @SuppressWarnings("unchecked")
        List<Extra> extras = exchange.getProperty(BATCH_PROPERTY, List.class);
        if (extras == null) {
            return;
        }
        for (Extra extra : extras) {
            // the key first: a crash between the two leaves a file that its own turn drops as delivered
            deliveredKeys.add(extra.key());
            Files.deleteIfExists(extra.file());
            if (extra.sent()) {
                deliveryPolicy.delivered(exchange);
            }
        }
        if (!extras.isEmpty()) {
            LOG.debug("Sink eventgrid: {} more queued records went in the same request", extras.size());
        }
    }

    private List<Path> waitingAfter(String firstName) throws IOException {
        List<Path> files = new ArrayList<>();
        if (firstName == null || !Files.isDirectory(queueDir)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(queueDir, "[0-9]*.json")) {
            for (Path file : stream) {
                if (file.getFileName().toString().compareTo(firstName) > 0) {
                    files.add(file);
                }
            }
        }
        files.sort(null);
        return files;
    }
}
