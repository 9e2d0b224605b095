package scheduledevents.imds;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RequestBudget reads System.nanoTime and cannot be given a clock, so the one test that shows the window sliding
 * must wait for it (about 1 s, inside acquire itself); every other test runs well inside one window.
 */
class RequestBudgetTest {

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void allowsAtMostNRequestsWithinOneSecond() {
        RequestBudget budget = new RequestBudget(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(budget.tryAcquire(), "request " + (i + 1));
        }
        assertFalse(budget.tryAcquire(), "fifth request within the same second");
        assertFalse(budget.tryAcquire(), "a refused request does not consume budget, but the window is still full");
    }

    @Test
    void budgetOfOneAllowsOneRequest() {
        RequestBudget budget = new RequestBudget(1);
        assertTrue(budget.tryAcquire());
        assertFalse(budget.tryAcquire());
    }

    @Test
    void acquireWithRoomReturnsAtOnce() throws Exception {
        RequestBudget budget = new RequestBudget(2);
        long start = System.nanoTime();
        assertTrue(budget.acquire(Duration.ZERO));
        assertTrue(budget.acquire(Duration.ofSeconds(5)));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 500, "did not wait");
    }

    @Test
    void acquireGivesUpWhenTheWindowStaysFull() throws Exception {
        RequestBudget budget = new RequestBudget(1);
        assertTrue(budget.tryAcquire());
        long start = System.nanoTime();
        assertFalse(budget.acquire(Duration.ofMillis(60)));
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 60, "waited " + waited + " ms before giving up");
        assertTrue(waited < 900, "gave up in time, waited " + waited + " ms");
    }

    @Test
    void acquireWaitsUntilTheWindowHasRoom() throws Exception {
        RequestBudget budget = new RequestBudget(1);
        long start = System.nanoTime();
        assertTrue(budget.tryAcquire());
        assertTrue(budget.acquire(Duration.ofSeconds(3)), "room comes back once the first request is 1 s old");
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited >= 1000, "waited only " + waited + " ms: the window is one second");
        assertTrue(waited < 2500, "waited " + waited + " ms");
        assertFalse(budget.tryAcquire(), "the request acquire took counts against the window");
    }

    @Test
    void acquireStopsWhenInterrupted() {
        RequestBudget budget = new RequestBudget(1);
        assertTrue(budget.tryAcquire());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> budget.acquire(Duration.ofSeconds(5)));
    }
}
