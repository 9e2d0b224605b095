package scheduledevents.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one way tests wait for something another process or thread does: a condition, never a time. The timeout is a
 * failure, never a measurement; it only keeps a broken build from hanging. No JUnit here (bench code may reuse it).
 */
public final class Await {
    /** A condition that may do I/O (read a file, ask an HTTP server). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    public static void until(String what, Duration timeout, Condition condition) {
        until(what, timeout, condition, () -> "", () -> null);
    }

    /** As above; on timeout the failure carries {@code context} (say, what the agent logged). */
    public static void until(String what, Duration timeout, Condition condition, Supplier<String> context) {
        until(what, timeout, condition, context, () -> null);
    }

    /**
     * As above, and gives up at once when {@code over} names a reason (say, "the agent exited with 1"): once that is
     * so, waiting out the timeout cannot help.
     */
    public static void until(String what, Duration timeout, Condition condition, Supplier<String> context,
            Supplier<String> over) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String reason = over.get();
            if (holds(condition)) {
                return;
            }
            if (reason != null) {
                throw new AssertionError(reason + " before: " + what + details(context));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + details(context));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static boolean holds(Condition condition) {
        try {
            return condition.holds();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            return false; // not there yet (a file half-written, a server not up): ask again
        }
    }

    private static String details(Supplier<String> context) {
        String text = context.get();
        return text == null || text.isEmpty() ? "" : "\n" + text;
    }
}
