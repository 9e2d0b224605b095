package scheduledevents.respond;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.imds.ImdsClient;
import scheduledevents.imds.ImdsException;
import scheduledevents.logging.UntrustedText;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.EventStatus;
import scheduledevents.record.TransitionRecord;

/**
 * Approves a Scheduled event that concerns this VM when {@code agent.ack.policy} and {@code agent.ack.leader} allow
 * it, so that maintenance starts as soon as the VM is ready. A failed approval is retried (within the shared IMDS
 * budget) until it succeeds or NotBefore passes, when approving no longer matters.
 */
public class Approver {
    private static final Logger LOG = LoggerFactory.getLogger(Approver.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final AckPolicy policy;
    private final AckLeader leader;
    private final ImdsClient imds;
    private final Approvals approvals;
    private final Supplier<String> vmName;
    private final AgentMetrics metrics;
    private final Clock clock;

    public Approver(AckPolicy policy, AckLeader leader, ImdsClient imds, Approvals approvals,
                    Supplier<String> vmName, AgentMetrics metrics, Clock clock) {
        this.policy = policy;
        this.leader = leader;
        this.imds = imds;
        this.approvals = approvals;
        this.vmName = vmName;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @return true when the event was approved now */
    public boolean approveIfAllowed(String recordJson, @Header("AgentHooksSucceeded") Boolean hooksSucceeded)
            throws IOException, InterruptedException {
        TransitionRecord record = TransitionRecord.read(recordJson);
        if (record.status() != EventStatus.SCHEDULED || !Boolean.TRUE.equals(record.affectsThisVm())) {
            return false;
        }
        String id = Objects.toString(record.eventId(), "");
        String shownId = UntrustedText.forLog(id);
        if (!policy.allows(Objects.toString(record.eventSource(), ""), Boolean.TRUE.equals(hooksSucceeded))) {
            if (policy != AckPolicy.NEVER) {
                LOG.info("Not approving event {}: agent.ack.policy={} does not allow it{}", shownId, policy,
                        policy == AckPolicy.AFTER_HOOKS ? " (a hook did not succeed)" : "");
            }
            return false;
        }
        if (!leader.mayApprove(vmName.get(), record.resources())) {
            LOG.info("Not approving event {}: agent.ack.leader=first and this VM is not first in its Resources",
                    shownId);
            return false;
        }
        return approveWithRetry(id, shownId, notBefore(record));
    }

    private boolean approveWithRetry(String id, String shownId, Instant notBefore) throws InterruptedException {
        Duration wait = FIRST_RETRY;
        for (int attempt = 1; ; attempt++) {
            try {
                imds.approve(List.of(id));
                Instant at = clock.instant();
                approvals.record(id, at);
                metrics.approval("ok");
                LOG.info("Approved event {}: maintenance may start now", shownId);
                return true;
            } catch (ImdsException e) {
                metrics.approval("failed");
                boolean tooLate = notBefore != null ? clock.instant().plus(wait).isAfter(notBefore) : attempt >= 10;
                if (tooLate) {
                    LOG.error("Approval of event {} failed ({}); giving up before NotBefore", shownId, e.getMessage());
                    return false;
                }
                LOG.warn("Approval of event {} failed (attempt {}: {}); retrying in {} ms", shownId, attempt,
                        e.getMessage(), wait.toMillis());
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
            }
        }
    }

    private static Instant notBefore(TransitionRecord record) {
        String value = record.notBeforeUtc();
        return value != null && !value.isEmpty() ? Instant.parse(value) : null;
    }
}
