package scheduledevents.imds;

import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The overall deadline of one IMDS request. {@link HttpURLConnection}'s read timeout is per read: an IMDS (or anything
 * on its address) that sends one byte every few seconds kept a poll going for minutes, silently. So:
 * <ul>
 * <li>until the status line and headers are in, a watchdog disconnects the connection at the deadline, which ends
 * the blocked read at once (a disconnect then closes the socket; the caller sees an IOException);</li>
 * <li>the body is read on the caller's thread, which checks {@link #passed()} after each read: a disconnect from
 * another thread then would wait for the read in progress anyway, and hand the socket to the JDK's keep-alive
 * cleaner.</li>
 * </ul>
 * The watchdog is one daemon thread for the whole JVM, made on first use and gone after a minute without requests.
 */
final class RequestDeadline implements AutoCloseable {
    private static final int WAITING = 0;
    private static final int ANSWERED = 1;
    private static final int CUT = 2;

    private final long deadlineNanos;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final ScheduledFuture<?> watchdog;

    private RequestDeadline(HttpURLConnection connection, Duration timeout) {
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.watchdog = Watchdog.THREAD.schedule(() -> {
            if (state.compareAndSet(WAITING, CUT)) {
                connection.disconnect();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Arms the watchdog for {@code connection}, from now. */
    static RequestDeadline start(HttpURLConnection connection, Duration timeout) {
        return new RequestDeadline(connection, timeout);
    }

    /**
     * The status line and headers are in: from now on the caller watches the deadline itself.
     *
     * @return false when the watchdog has already cut the connection
     */
    boolean answerStarted() {
        return state.compareAndSet(WAITING, ANSWERED) || state.get() == ANSWERED;
    }

    /** Whether the watchdog cut the connection (so whatever failed, failed because of the deadline). */
    boolean wasCut() {
        return state.get() == CUT;
    }

    boolean passed() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    @Override
    public void close() {
        watchdog.cancel(false);
    }

    /** Holder: the thread exists only once a request has been made. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor THREAD = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread t = new Thread(task, "imds-deadline");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true); // a cancelled deadline must not wait in the queue until it is due
            executor.setKeepAliveTime(1, TimeUnit.MINUTES);
            executor.allowCoreThreadTimeOut(true);
            return executor;
        }
    }
}
