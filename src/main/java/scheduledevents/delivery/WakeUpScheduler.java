package scheduledevents.delivery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a queue folder's file consumer polls: right after the fan-out wrote a record to the folder
 * ({@link SinkQueues#wakeOnEnqueue}), once at start (records left from before a restart or a kill -9), and every
 * fallback period for anything else (files put there by hand, a record whose exchange failed and stayed). Listing
 * every folder every 100 ms instead cost about as much CPU as polling IMDS.
 * <p>
 * A route names it with {@code scheduler: "#pollWhenQueued"}; that bean is a prototype, so each consumer gets its own.
 * One thread per started consumer, parked between polls: a sink retrying in place blocks only its own queue. A
 * wake-up that comes while a poll runs is kept, so the poll runs again. A poll that took files and left some (a poll
 * takes at most maxMessagesPerPoll) runs again at once; one that left no fewer than it found waits for the next
 * wake-up, so a file whose exchange keeps failing is not polled in a busy loop (why the endpoint's {@code greedy} is
 * not used).
 */
public final class WakeUpScheduler extends ServiceSupport implements ScheduledPollConsumerScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(WakeUpScheduler.class);

    private final SinkQueues queues;
    private final Duration fallbackPoll;
    private CamelContext camelContext;
    private Path folder;
    private Runnable task;
    private Poller poller;

    public WakeUpScheduler(SinkQueues queues, Duration fallbackPoll) {
        this.queues = queues;
        this.fallbackPoll = fallbackPoll;
    }

    @Override
    public void onInit(Consumer consumer) {
        if (!(consumer.getEndpoint() instanceof FileEndpoint file)) {
            throw new IllegalArgumentException("WakeUpScheduler polls a queue folder: a file: consumer, not "
                    + consumer.getEndpoint().getEndpointBaseUri());
        }
        folder = file.getFile().toPath();
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.task = task;
    }

    @Override
    public synchronized void startScheduler() {
        if (poller == null) {
            poller = new Poller(folder, task);
            poller.start();
        }
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
        return poller != null;
    }

    /** Ends the thread once a poll in progress is over; Camel's shutdown has already waited for its exchanges. */
    @Override
    public synchronized void unscheduleTask() {
        if (poller != null) {
            poller.stop();
            poller = null;
        }
    }

    @Override
    protected void doStop() {
        unscheduleTask();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** The files the consumer would take: hidden ones are a record being written ({@code DurableFiles}). */
    static long waiting(Path folder) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder,
                f -> !f.getFileName().toString().startsWith(".") && Files.isRegularFile(f))) {
            long n = 0;
            for (Path ignored : files) {
                n++;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    /** One started scheduler: its thread, and whether it was woken. A restart makes a new one. */
    private final class Poller implements Runnable {
        private final Path folder;
        private final Runnable task;
        private final Thread thread;
        private final Runnable stopWaking;
        private boolean woken = true; // the first poll runs at once
        private boolean stopped;

        Poller(Path folder, Runnable task) {
            this.folder = folder;
            this.task = task;
            this.thread = new Thread(this, "queue-poll-" + folder.getFileName());
            // never holds up the JVM's exit, even while a delivery in the poll is still retrying
            thread.setDaemon(true);
            // registered before the first poll lists the folder, so a record is either listed or wakes it
            this.stopWaking = queues.wakeOnEnqueue(folder, this::wake);
        }

        void start() {
            thread.start();
        }

        synchronized void wake() {
            woken = true;
            notifyAll();
        }

        synchronized void stop() {
            stopWaking.run();
            stopped = true;
            notifyAll();
        }

        private synchronized boolean isStopped() {
            return stopped;
        }

        /** Waits for a wake-up or the fallback period; false once stopped. */
        private synchronized boolean awaitTurn() throws InterruptedException {
            long deadline = System.nanoTime() + fallbackPoll.toNanos();
            for (long left = fallbackPoll.toNanos(); !woken && !stopped && left > 0;
                    left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            woken = false;
            return !stopped;
        }

        @Override
        public void run() {
            try {
                while (awaitTurn()) {
                    long before = waiting(folder);
                    long after = poll();
                    // fewer files, some left: the poll was capped, not stuck
                    while (after > 0 && after < before && !isStopped()) {
                        before = after;
                        after = poll();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private long poll() {
            try {
                task.run();
            } catch (RuntimeException e) {
                // the consumer handles its own failures; this keeps the thread alive should one escape
                LOG.warn("Poll of queue {} failed: {}", folder, e.toString());
            }
            return waiting(folder);
        }
    }
}
