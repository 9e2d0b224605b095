package scheduledevents.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Thread-safe record of every request; HTTP worker threads append while a test thread reads. */
final class RequestLog {

    private final List<RecordedRequest> requests = new ArrayList<>();

    synchronized void add(RecordedRequest request) {
        requests.add(request);
    }

    synchronized void clear() {
        requests.clear();
    }

    /** A snapshot in order of arrival (requests are logged just before they are answered, so a delayed one is logged late). */
    List<RecordedRequest> snapshot() {
        List<RecordedRequest> copy;
        synchronized (this) {
            copy = new ArrayList<>(requests);
        }
        copy.sort(Comparator.comparingLong(RecordedRequest::receivedNanos));
        return List.copyOf(copy);
    }

    /**
     * The largest number of requests received within any half-open window {@code [t, t + window)}, by
     * {@link System#nanoTime()}. Half-open, so requests exactly one window apart never count together: five requests
     * 200 ms apart are "5 per second", matching how IMDS's 5 requests/s limit is usually read.
     */
    int maxRequestsInAnyWindow(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive: " + window);
        }
        long width = window.toNanos();
        List<RecordedRequest> sorted = snapshot();
        int best = 0;
        int first = 0;
        for (int last = 0; last < sorted.size(); last++) {
            long end = sorted.get(last).receivedNanos();
            while (end - sorted.get(first).receivedNanos() >= width) {
                first++;
            }
            best = Math.max(best, last - first + 1);
        }
        return best;
    }
}
