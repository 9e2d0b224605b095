package scheduledevents.imds;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * IMDS answers 429 above about 5 requests a second per VM. Polls, identity look-ups and approvals all draw from this
 * one sliding one-second window, so together they can never exceed it.
 */
public class RequestBudget {
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    private final int perSecond;
    private final Deque<Long> sent = new ArrayDeque<>();

    public RequestBudget(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Takes one request from the budget if the window has room now. */
    public synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        while (!sent.isEmpty() && now - sent.peekFirst() >= WINDOW_NANOS) {
            sent.removeFirst();
        }
        if (sent.size() < perSecond) {
            sent.addLast(now);
            return true;
        }
        return false;
    }

    /** Waits up to {@code maxWait} for room; for approvals, which must not be dropped like a skipped poll. */
    public boolean acquire(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!tryAcquire()) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
