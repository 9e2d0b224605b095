package scheduledevents.responder.fleet;

import java.time.Instant;
import java.util.Locale;
import scheduledevents.responder.intake.FleetReport;

/**
 * The fleet status rules (issue 13): Scheduled < Started < Completed | Canceled; a status only moves forward;
 * Completed is final; Canceled is revived (occurrence + 1, status = the report's) by a Scheduled or Started report
 * observed after the cancel, or by an agent's report of a later Occurrence, so that Event Grid's late retries of old
 * reports cannot revive it. A report of an earlier occurrence observed before the current occurrence began is
 * stale: an old Canceled retried late cannot cancel the revived event.
 */
public final class StatusRules {
    public static final String SCHEDULED = "Scheduled";
    public static final String STARTED = "Started";
    public static final String COMPLETED = "Completed";
    public static final String CANCELED = "Canceled";

    private StatusRules() {
    }

    /** 1 Scheduled, 2 Started, 3 Completed or Canceled; 0 for anything else (which never moves the fleet). */
    public static int rank(String status) {
        if (status == null) {
            return 0;
        }
        return switch (status.toLowerCase(Locale.ROOT)) {
            case "scheduled" -> 1;
            case "started" -> 2;
            case "completed", "canceled", "cancelled" -> 3;
            default -> 0;
        };
    }

    /** The status in its canonical spelling, or null when it is none of the four. */
    public static String canonical(String status) {
        if (status == null) {
            return null;
        }
        return switch (status.trim().toLowerCase(Locale.ROOT)) {
            case "scheduled" -> SCHEDULED;
            case "started" -> STARTED;
            case "completed" -> COMPLETED;
            case "canceled", "cancelled" -> CANCELED;
            default -> null;
        };
    }

    /** The fleet event's state as far as the rules need it. */
    public record State(String status, int occurrence, Instant occurrenceSince) {
    }

    /** What the fleet becomes; {@code revived}: a new occurrence began. */
    public record Change(String status, int occurrence, boolean revived) {
    }

    /**
     * The change {@code report} makes to a fleet event in {@code current}, or null for none.
     *
     * @param lastCancelObserved the latest observation of a Canceled report of this event (only consulted when the
     *                           fleet is Canceled; null when unknown)
     */
    public static Change decide(State current, FleetReport report, Instant lastCancelObserved) {
        String status = canonical(report.eventStatus());
        if (status == null) {
            return null;
        }
        String now = canonical(current.status());
        if (COMPLETED.equals(now)) {
            return null;
        }
        int occurrence = Math.max(1, report.occurrence());
        Instant observed = report.observedAt();
        if (CANCELED.equals(now)) {
            if (!SCHEDULED.equals(status) && !STARTED.equals(status)) {
                return null;
            }
            boolean later = observed != null && lastCancelObserved != null && observed.isAfter(lastCancelObserved);
            if (later || occurrence > current.occurrence()) {
                return new Change(status, Math.max(current.occurrence() + 1, occurrence), true);
            }
            return null;
        }
        if (isStale(current, occurrence, observed)) {
            return null;
        }
        if (rank(status) > rank(now)) {
            return new Change(status, current.occurrence(), false);
        }
        return null;
    }

    /** A report of an earlier occurrence, observed before the current one began. */
    static boolean isStale(State current, int occurrence, Instant observed) {
        return occurrence < current.occurrence() && current.occurrenceSince() != null
                && (observed == null || !observed.isAfter(current.occurrenceSince()));
    }

    /** Whether {@code report} could change a fleet in {@code current}: a cheap test before taking the row lock. */
    public static boolean mayChange(State current, FleetReport report) {
        String status = canonical(report.eventStatus());
        String now = canonical(current.status());
        if (status == null || COMPLETED.equals(now)) {
            return false;
        }
        if (CANCELED.equals(now)) {
            return SCHEDULED.equals(status) || STARTED.equals(status);
        }
        return rank(status) > rank(now);
    }
}
