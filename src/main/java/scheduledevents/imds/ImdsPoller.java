package scheduledevents.imds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.OnceLog;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.VmIdentity;

/**
 * What the poll route calls on every timer tick. Decides whether to ask IMDS at all (backing off after failures,
 * staying within the request budget), asks, and hands back the document text, or null when there is nothing to
 * process this tick. Never throws: IMDS being away is the normal state of a VM for a while, not an error to crash on.
 *
 * <p>Until the first success each request may take {@code firstTimeout}: after a VM has not asked for a day, IMDS
 * can take up to two minutes to switch Scheduled Events on, and that first call must be allowed to finish. After
 * that, {@code timeout}. Either is the whole request's deadline, from connecting to the answer's last byte (see
 * {@link ImdsClient}): an IMDS that stalls, even one that sends a byte now and then, fails the poll at that point,
 * and the failure counts from when the request was sent.
 */
public class ImdsPoller {
    private static final Logger LOG = LoggerFactory.getLogger(ImdsPoller.class);
    private static final Duration IDENTITY_RETRY = Duration.ofMinutes(1);

    private final ImdsClient client;
    private final Duration timeout;
    private final Duration firstTimeout;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final String vmNameOverride;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final PollStatus status = new PollStatus();
    private final OnceLog problems = new OnceLog(LOG);
    private final AtomicReference<VmIdentity> identity = new AtomicReference<>();
    private Instant nextIdentityAttempt = Instant.MIN;
    private int consecutiveFailures;
    private Instant notBefore = Instant.MIN;

    public ImdsPoller(ImdsClient client, Duration timeout, Duration firstTimeout, Duration backoffBase,
                      Duration backoffMax, String vmNameOverride, AgentMetrics metrics, Clock clock) {
        this.client = client;
        this.timeout = timeout;
        this.firstTimeout = firstTimeout;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.vmNameOverride = vmNameOverride == null || vmNameOverride.isBlank() ? null : vmNameOverride.trim();
        this.metrics = metrics;
        this.clock = clock;
        metrics.lastGoodPoll(status::lastSuccess);
    }

    public PollStatus status() {
        return status;
    }

    /** This VM's identity as known now; never null, fields null while unknown. */
    public VmIdentity identity() {
        VmIdentity known = identity.get();
        VmIdentity base = known == null ? VmIdentity.UNKNOWN : known;
        return vmNameOverride == null ? base : base.withName(vmNameOverride);
    }

    /** @return the document text, or null when this tick is skipped or IMDS failed */
    public synchronized String poll() {
        Instant now = clock.instant();
        if (now.isBefore(notBefore)) {
            return null;
        }
        refreshIdentityIfDue(now);
        if (!client.budget().tryAcquire()) {
            return null;
        }
        Instant sent = clock.instant();
        status.started(sent);
        try {
            String body = client.scheduledEvents(status.lastSuccess() == null ? firstTimeout : timeout);
            succeeded();
            return body;
        } catch (ImdsException e) {
            failed(e, sent);
            return null;
        }
    }

    private void succeeded() {
        Instant now = clock.instant();
        status.succeeded(now);
        metrics.poll("200");
        if (consecutiveFailures > 0 && problems.reset()) {
            LOG.info("IMDS answers again after {} failed attempt(s)", consecutiveFailures);
        }
        consecutiveFailures = 0;
        notBefore = Instant.MIN;
    }

    private void failed(ImdsException e, Instant startedAt) {
        Instant now = clock.instant();
        status.failed(startedAt);
        metrics.poll(e.status());
        metrics.pollError(e.status());
        consecutiveFailures++;
        long factor = 1L << Math.min(consecutiveFailures - 1, 20);
        Duration wait = backoffBase.multipliedBy(factor);
        if (wait.compareTo(backoffMax) > 0) {
            wait = backoffMax;
        }
        notBefore = now.plus(wait);
        if (problems.warn("IMDS poll failed: " + e.getMessage())) {
            LOG.info("Backing off: retrying within {} ms at most, still running", backoffMax.toMillis());
        }
    }

    private void refreshIdentityIfDue(Instant now) {
        if (identity.get() != null || now.isBefore(nextIdentityAttempt) || !client.budget().tryAcquire()) {
            return;
        }
        nextIdentityAttempt = now.plus(IDENTITY_RETRY);
        try {
            VmIdentity found = client.instanceCompute();
            identity.set(found);
            LOG.info("This VM: name={} resourceId={}", found.name(), found.resourceId());
        } catch (ImdsException e) {
            problems.warn("Instance metadata unavailable (" + e.getMessage() + "); running without this VM's identity"
                    + (vmNameOverride == null ? ": set agent.vm.name so that scope this-vm can tell which events concern this VM"
                    : ", using agent.vm.name=" + vmNameOverride));
        }
    }
}
