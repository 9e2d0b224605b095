package scheduledevents.responder.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.UntrustedText;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;

/**
 * The outbox dispatcher: each {@link #dispatch()} (the notify route's timer) claims the due notifications, renders
 * each with the fleet event as the store has it now (every affected VM named) and sends it on its channel, then marks
 * it sent, failed (due again after the {@link RetryPolicy}'s backoff) or dead (refused for good, or attempts
 * exhausted). One log line per failure, with the safe reason only: no webhook URL path or query, no SMTP password.
 * The claim is in the database, so replicas sharing it never send one item twice at once.
 */
public final class FleetNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(FleetNotifier.class);

    private final FleetOutbox outbox;
    private final Map<String, FleetChannel> channels = new LinkedHashMap<>();
    private final RetryPolicy retry;
    private final Clock clock;
    private final String owner;
    private final int batch;
    private final Duration lease;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private volatile Listener listener = new Listener() {
    };

    /** Told of each send and each failed attempt, by channel (the responder's metrics). */
    public interface Listener {
        default void sent(String channel) {
        }

        default void failed(String channel) {
        }
    }

    /**
     * @param owner this replica's name in the claims (unique per process)
     * @param batch at most this many items per {@link #dispatch()}
     * @param lease how long a claim holds; items of a batch not sent within half of it are left for the next run
     */
    public FleetNotifier(FleetOutbox outbox, List<FleetChannel> channels, RetryPolicy retry, Clock clock,
                         String owner, int batch, Duration lease) {
        this.outbox = outbox;
        channels.forEach(c -> this.channels.put(c.name(), c));
        this.retry = retry;
        this.clock = clock;
        this.owner = owner;
        this.batch = batch;
        this.lease = lease;
    }

    /** The notifier the settings ask for: a channel for each of responder.notify's names. */
    public static FleetNotifier of(NotifySettings settings, FleetOutbox outbox, Clock clock) {
        List<FleetChannel> channels = new ArrayList<>();
        if (settings.mail() != null) {
            channels.add(new FleetMailChannel(settings.mail(), settings.templatesDir(), clock));
        }
        if (settings.webhook() != null) {
            channels.add(new FleetWebhookChannel(settings.webhook(), clock));
        }
        return new FleetNotifier(outbox, channels, settings.retry(), clock, defaultOwner(), settings.batch(),
                settings.lease());
    }

    /** Tells {@code listener} of every send and failed attempt from now on. */
    public FleetNotifier reportingTo(Listener listener) {
        this.listener = listener;
        return this;
    }

    /** A name unique to this process: host, pid and a random part (a restarted process gets a new one). */
    public static String defaultOwner() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        String name = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return name.length() > 100 ? name.substring(name.length() - 100) : name;
    }

    /**
     * Claims up to the batch size of due items and handles each once.
     *
     * @return how many were sent
     */
    public int dispatch() throws InterruptedException {
        Instant claimedAt = clock.instant();
        List<OutboxItem> items = outbox.claim(owner, batch, lease);
        int delivered = 0;
        for (OutboxItem item : items) {
            if (Duration.between(claimedAt, clock.instant()).compareTo(lease.dividedBy(2)) > 0) {
                // the rest of the batch waits for its claim to lapse rather than risk a send after the lease ran
                // out, when another replica may have claimed it
                break;
            }
            if (handle(item)) {
                delivered++;
            }
        }
        return delivered;
    }

    private boolean handle(OutboxItem item) throws InterruptedException {
        FleetChannel channel = channels.get(item.channel());
        if (channel == null) {
            return failed(item, "channel '" + UntrustedText.forLog(item.channel()) + "' is not configured "
                    + "(responder.notify)", false);
        }
        Optional<FleetEvent> event = outbox.event(item.eventKey());
        if (event.isEmpty()) {
            dead(item, "the fleet event is no longer stored");
            return false;
        }
        try {
            channel.send(item, event.get());
        } catch (FleetChannel.NotifyFailure e) {
            return failed(item, e.getMessage(), e.permanent());
        } catch (RuntimeException e) {
            // a bug or a broken template: retried with backoff (a fixed responder sends it), never a secret in the
            // reason: the class name only
            return failed(item, "could not send: " + e.getClass().getSimpleName(), false);
        }
        outbox.sent(item.id());
        sent.incrementAndGet();
        listener.sent(item.channel());
        LOG.info("Notified {}{} of fleet event {} by {}", item.status(), occurrenceText(item),
                UntrustedText.forLog(item.eventKey()), item.channel());
        return true;
    }

    private boolean failed(OutboxItem item, String reason, boolean permanent) {
        int made = item.attempts() + 1;
        listener.failed(item.channel());
        String safe = UntrustedText.forLog(reason);
        if (permanent) {
            dead(item, "refused for good: " + safe);
        } else if (retry.exhausted(made)) {
            dead(item, "gave up after " + made + " attempts: " + safe);
        } else {
            Instant next = retry.nextAttempt(made, clock.instant());
            outbox.failed(item.id(), safe, next);
            failed.incrementAndGet();
            LOG.warn("Notification {} ({}{} of fleet event {} by {}) failed, attempt {} of {}: {}; next attempt at "
                    + "{}", item.id(), item.status(), occurrenceText(item), UntrustedText.forLog(item.eventKey()),
                    UntrustedText.forLog(item.channel()), made, retry.maxAttempts(), safe, next);
        }
        return false;
    }

    private void dead(OutboxItem item, String reason) {
        outbox.dead(item.id(), reason);
        dead.incrementAndGet();
        LOG.error("Notification {} ({}{} of fleet event {} by {}) is dead: {}", item.id(), item.status(),
                occurrenceText(item), UntrustedText.forLog(item.eventKey()), UntrustedText.forLog(item.channel()),
                reason);
    }

    private static String occurrenceText(OutboxItem item) {
        return item.occurrence() > 1 ? " (occurrence " + item.occurrence() + ")" : "";
    }

    /** Notifications sent by this process. */
    public long sentCount() {
        return sent.get();
    }

    /** Failed sends that will be retried. */
    public long failedCount() {
        return failed.get();
    }

    /** Notifications given up (refused for good or attempts exhausted). */
    public long deadCount() {
        return dead.get();
    }

    public String owner() {
        return owner;
    }
}
