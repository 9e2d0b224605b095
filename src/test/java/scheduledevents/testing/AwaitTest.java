package scheduledevents.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void aConditionThatNeverHoldsFailsWithWhatWasAwaitedAndTheContext() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until("the record", Duration.ofMillis(200), () -> false, () -> "the agent said: boom"));
        assertTrue(e.getMessage().startsWith("not within PT0.2S: the record"), e.getMessage());
        assertTrue(e.getMessage().contains("the agent said: boom"), e.getMessage());
    }

    @Test
    void waitingEndsAtOnceWhenItIsOverSayingWhy() {
        // a minute's timeout: had it been waited out, the message would say "not within"
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until("the record", Duration.ofMinutes(1),
                () -> false, () -> "last lines", () -> "the agent exited with 2"));
        assertTrue(e.getMessage().startsWith("the agent exited with 2 before: the record"), e.getMessage());
        assertTrue(e.getMessage().contains("last lines"), e.getMessage());
    }

    @Test
    void aConditionThatHoldsWinsOverAnEndSeenJustBefore() {
        Await.until("the record", Duration.ofMinutes(1), () -> true, () -> "", () -> "the agent exited with 0");
    }

    @Test
    void aConditionIsAskedAgainUntilItHoldsAndACheckedExceptionMeansNotYet() {
        AtomicInteger asked = new AtomicInteger();
        Await.until("the third answer", Duration.ofMinutes(1), () -> {
            if (asked.incrementAndGet() < 3) {
                throw new java.io.IOException("not written yet");
            }
            return true;
        });
        assertTrue(asked.get() == 3, "asked " + asked.get() + " times");
    }
}
