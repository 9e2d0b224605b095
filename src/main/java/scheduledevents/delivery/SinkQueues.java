package scheduledevents.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.durable.DurableFiles;
import scheduledevents.logging.OnceLog;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.TransitionRecord;

/**
 * One on-disk queue per enabled sink: a directory under {@code agent.state.dir/queue/} with one file per record,
 * named {@code <enqueue-millis>-<sequence>.json} so that the name sorts in arrival order and tells the record's age.
 * A record is written to every sink's queue, durably, before the poll that found it finishes; each sink's route
 * consumes its own directory, so one sink being down never holds up another. Right after writing to a directory it
 * wakes that directory's consumer ({@link WakeUpScheduler}), which otherwise polls only now and then.
 * <p>
 * A record that cannot be written (a full disk) fails the enqueue with a {@link QueueWriteException}; the transitions
 * route keeps the records and tries again on the next poll. Such an episode is logged once when it starts and once
 * when records are queued again (not once a poll), counted per sink, and reported DOWN by the queue health check
 * while it lasts ({@link #failingSince}).
 */
public class SinkQueues {
    private static final Logger LOG = LoggerFactory.getLogger(SinkQueues.class);
    private final Path queueRoot;
    private final List<String> sinks;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<Path, Runnable> wakeUps = new ConcurrentHashMap<>();
    private final Map<String, Counter> writeFailures = new HashMap<>();
    private final OnceLog problems = new OnceLog(LOG);
    private Instant failingSince;
    private String problem;
    private long failedWrites;

    public SinkQueues(Path stateDir, List<String> sinks, AgentMetrics metrics, Clock clock) {
        this.queueRoot = stateDir.resolve("queue");
        this.sinks = List.copyOf(sinks);
        this.clock = clock;
        for (String sink : this.sinks) {
            metrics.queueDepth(sink, () -> depth(sink));
            writeFailures.put(sink, metrics.queueWriteFailures(sink));
        }
    }

    /**
     * The {@code precondition} of every queue-consuming route: true when agent.sinks names {@code sink} (or, for
     * "respond", when the respond stage is on). A route whose precondition is false is never created, so a sink that
     * is off costs no classes, threads or folder polling.
     */
    public boolean isEnabled(String sink) {
        return sinks.contains(sink);
    }

    /** The queues written to: the enabled sinks, and "respond" when the respond stage is on. */
    public List<String> names() {
        return sinks;
    }

    public Path directory(String sink) {
        return queueRoot.resolve(sink);
    }

    /**
     * Has {@code wakeUp} run right after each record written to {@code folder}, until the returned action is run.
     * One per folder: a later one replaces it.
     */
    public Runnable wakeOnEnqueue(Path folder, Runnable wakeUp) {
        Path key = key(folder);
        wakeUps.put(key, wakeUp);
        return () -> wakeUps.remove(key, wakeUp);
    }

    private static Path key(Path folder) {
        return folder.toAbsolutePath().normalize();
    }

    public void enqueue(TransitionRecord record) {
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise record", e);
        }
        String name = String.format("%013d-%09d.json", clock.millis(), sequence.incrementAndGet() % 1_000_000_000);
        for (String sink : sinks) {
            try {
                DurableFiles.writeAtomically(directory(sink).resolve(name), json);
            } catch (IOException e) {
                throw failed(sink, e);
            }
            Runnable wakeUp = wakeUps.get(key(directory(sink)));
            if (wakeUp != null) {
                wakeUp.run();
            }
        }
        recovered();
    }

    /**
     * Since when records cannot be queued (the first failed write of the current episode), or null when the last
     * write succeeded.
     */
    public synchronized Instant failingSince() {
        return failingSince;
    }

    /** What the last failed write said (sink, folder, reason), or null when records are being queued. */
    public synchronized String problem() {
        return problem;
    }

    private synchronized QueueWriteException failed(String sink, IOException e) {
        writeFailures.get(sink).increment();
        failedWrites++;
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        // The reason without the file name, which changes with every record: one line per episode, not per poll
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : e instanceof FileSystemException ? e.getClass().getSimpleName() : e.getMessage();
        problem = "cannot queue records for sink " + sink + " in " + directory(sink) + ": " + reason;
        problems.warn("C" + problem.substring(1)
                + ". They are kept in memory and written again on every poll; health is DOWN until then");
        return new QueueWriteException(problem, e);
    }

    private synchronized void recovered() {
        if (failingSince != null) {
            problems.reset();
            LOG.info("Records are queued again, after {} failed writes since {}", failedWrites, failingSince);
            failingSince = null;
            problem = null;
            failedWrites = 0;
        }
    }

    /** Milliseconds since the record in the queue file {@code fileName} was queued, or 0 for a foreign name. */
    public long ageMillis(String fileName) {
        int dash = fileName == null ? -1 : fileName.indexOf('-');
        if (dash <= 0) {
            return 0;
        }
        try {
            return Math.max(0, clock.millis() - Long.parseLong(fileName.substring(0, dash)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public long depth(String sink) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory(sink), "[0-9]*.json")) {
            long n = 0;
            for (Path ignored : files) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }
}
