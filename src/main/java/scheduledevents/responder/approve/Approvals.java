package scheduledevents.responder.approve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.UntrustedText;
import scheduledevents.responder.fleet.FleetEvent.Approval;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetStoreException;

/**
 * {@code POST /api/events/{eventId}/approve} (bean {@code approvals}, responder/routes/25-approve.yaml): approves a
 * Scheduled fleet event in Azure ({@link ArmApprover}) for a signed-in user, records every attempt (who, when,
 * outcome, words) and answers {@code {"Outcome", "Message", "Event"}}:
 * <ul>
 * <li>200 approved: every target acknowledged; an event already approved in this occurrence: 200 again, "already
 * approved by X at T", and Azure is not asked again (nor is that recorded: nothing was attempted);</li>
 * <li>404 no such event; 409 refused when the fleet status is not Scheduled;</li>
 * <li>502 failed: the token or Azure failed, in words per target; 500 when the fleet database fails.</li>
 * </ul>
 * One approval at a time per event in this process, so a double click makes one set of calls to Azure.
 *
 * <p>Rules ({@link ApprovalRules}): an event a {@code responder.approve.never} rule matches is refused (409); one a
 * {@code responder.approve.auto} rule matches is approved by the responder itself ({@link #approveByRule}, from a
 * timer route), once per occurrence: a failure is recorded and left to an operator, not retried.
 */
public final class Approvals {
    private static final Logger LOG = LoggerFactory.getLogger(Approvals.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_NAMES = 10;

    /** Counts each recorded attempt by outcome (metrics). */
    @FunctionalInterface
    public interface Listener {
        void approval(String outcome);
    }

    private final ApprovalStore store;
    private final ArmApprover arm;
    private final Listener listener;
    private final Clock clock;
    private final ApprovalRules rules;
    /** Striped: one event's approvals take one lock, and no map grows with the EventIds asked for. */
    private final ReentrantLock[] locks = new ReentrantLock[64];

    /** The user the responder's own approvals are recorded under. */
    public static final String RULE_USER = "responder (responder.approve.auto)";

    public Approvals(ApprovalStore store, ArmApprover arm, Listener listener, Clock clock) {
        this(store, arm, listener, clock, ApprovalRules.NONE);
    }

    public Approvals(ApprovalStore store, ArmApprover arm, Listener listener, Clock clock, ApprovalRules rules) {
        this.store = store;
        this.arm = arm;
        this.listener = listener == null ? outcome -> { } : listener;
        this.clock = clock;
        this.rules = rules == null ? ApprovalRules.NONE : rules;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Whether any {@code responder.approve.auto} rule is set (the timer route exists only then). */
    public boolean autoEnabled() {
        return !rules.auto().isEmpty();
    }

    /**
     * Approves every Scheduled event an auto rule matches that nobody tried to approve in its current occurrence.
     *
     * @return how many it tried
     */
    public int approveByRule() {
        int tried = 0;
        List<FleetEvent> scheduled;
        try {
            scheduled = store.scheduled();
        } catch (RuntimeException e) {
            // the database is down: the next round looks again
            LOG.warn("approval rules: the fleet database failed: {}", UntrustedText.forLog(e.getMessage()));
            return 0;
        }
        for (FleetEvent event : scheduled) {
            if (event.approval() == null && rules.approvesItself(event)) {
                approve(event.eventId(), RULE_USER);
                tried++;
            }
        }
        return tried;
    }

    /**
     * @param eventId the path's EventId (untrusted)
     * @param who     the signed-in user (Access.who), never null on this route
     */
    public ApproveAnswer approve(String eventId, String who) {
        String by = who == null || who.isBlank() ? "unknown" : who;
        if (eventId == null || eventId.isBlank()) {
            return answer(404, Approval.REFUSED, "no such event", null);
        }
        String key = eventId.trim().toLowerCase(Locale.ROOT);
        ReentrantLock lock = locks[Math.floorMod(key.hashCode(), locks.length)];
        lock.lock();
        try {
            return approveLocked(eventId.trim(), by);
        } catch (FleetStoreException e) {
            // its message names no secret, but is for the log, not the user
            LOG.warn("approving {} for {} failed: {}", UntrustedText.forLog(eventId), UntrustedText.forLog(by),
                    UntrustedText.forLog(e.getMessage()));
            return answer(500, Approval.FAILED, "the fleet database failed; try again (approving twice is harmless)",
                    null);
        } catch (RuntimeException e) {
            LOG.warn("approving {} for {} failed", UntrustedText.forLog(eventId), UntrustedText.forLog(by), e);
            return answer(500, Approval.FAILED, "the responder failed to approve it (its log says why); try again",
                    null);
        } finally {
            lock.unlock();
        }
    }

    private ApproveAnswer approveLocked(String eventId, String by) {
        Optional<FleetEvent> found = store.event(eventId);
        if (found.isEmpty()) {
            return answer(404, Approval.REFUSED, "no such event", null);
        }
        FleetEvent event = found.get();
        Approval current = event.approval();
        if (current != null && current.approved()) {
            return answer(200, Approval.APPROVED, "already approved by " + current.by() + " at " + current.at(),
                    event);
        }
        String status = event.eventStatus();
        if (!"Scheduled".equals(status)) {
            String message = "not approved: the event is " + status + " (" + statusWords(status) + ")";
            return record(event, by, Approval.REFUSED, message, 409);
        }
        ApprovalRules.Rule forbidding = rules.forbidding(event);
        if (forbidding != null) {
            return record(event, by, Approval.REFUSED, "not approved: the responder's rules say " + forbidding
                    + " events are never approved from here (responder.approve.never); Azure starts it at NotBefore"
                    + " or when a VM approves it", 409);
        }
        if (by.equals(RULE_USER) && event.approval() != null) {
            // someone tried since the rule looked: theirs stands, no second attempt by the rule
            return answer(200, event.approval().outcome(), "already tried by " + event.approval().by(), event);
        }

        ArmTarget.Targets targets = ArmTarget.of(event.vms());
        if (targets.targets().isEmpty()) {
            return record(event, by, Approval.FAILED, "not approved: no VM of this event has an Azure resource id"
                    + " (" + names(targets.unknown()) + "); approve it on a VM instead", 502);
        }
        String token;
        try {
            token = arm.token();
        } catch (ArmApprover.TokenException e) {
            return record(event, by, Approval.FAILED, e.getMessage(), 502);
        }
        List<ArmApprover.Result> results = arm.acknowledge(event.eventId(), targets.targets(), token);
        List<String> acknowledged = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (ArmApprover.Result r : results) {
            if (r.acknowledged()) {
                acknowledged.add(r.target().label());
            } else {
                failures.add(r.words());
            }
        }
        String skipped = targets.unknown().isEmpty() ? ""
                : "; without a resource id, not asked: " + names(targets.unknown());
        if (failures.isEmpty()) {
            return record(event, by, Approval.APPROVED, "approved: Azure acknowledged it for "
                    + names(acknowledged) + skipped, 200);
        }
        String message = String.join("; ", failures)
                + (acknowledged.isEmpty() ? "" : "; acknowledged for " + names(acknowledged)) + skipped;
        return record(event, by, Approval.FAILED, message, 502);
    }

    private ApproveAnswer record(FleetEvent event, String by, String outcome, String message, int status) {
        store.record(event.eventId(), event.occurrence(), new Approval(by, clock.instant().toString(), outcome,
                message));
        listener.approval(outcome);
        LOG.info("approval of {} by {}: {}: {}", UntrustedText.forLog(event.eventId()), UntrustedText.forLog(by),
                outcome, UntrustedText.forLog(message));
        FleetEvent after = store.event(event.eventId()).orElse(event);
        return answer(status, outcome, message, after);
    }

    private static String statusWords(String status) {
        return switch (status == null ? "" : status) {
            case "Started" -> "the maintenance has begun: there is nothing left to approve";
            case "Completed" -> "the maintenance is over";
            case "Canceled" -> "Azure canceled it";
            default -> "only a Scheduled event can be approved";
        };
    }

    /** Names for the operator (untrusted: each cleaned and cut), at most ten and how many more. */
    private static String names(List<String> names) {
        List<String> shown = names.stream().limit(MAX_NAMES).map(ArmApprover::clean).toList();
        String more = names.size() > MAX_NAMES ? " and " + (names.size() - MAX_NAMES) + " more" : "";
        return String.join(", ", shown) + more;
    }

    private static ApproveAnswer answer(int status, String outcome, String message, FleetEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Outcome", outcome);
        body.put("Message", message);
        body.put("Event", event);
        try {
            return new ApproveAnswer(status, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the approval's answer cannot be written as JSON", e);
        }
    }
}
