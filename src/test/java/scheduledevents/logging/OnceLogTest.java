package scheduledevents.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class OnceLogTest {
    /** Every warn(String) that reaches the logger; any other logger call fails the test. */
    private final List<String> warnings = new ArrayList<>();
    private final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                if (method.getName().equals("warn") && args != null && args.length == 1) {
                    warnings.add((String) args[0]);
                    return null;
                }
                if (method.getName().equals("getName")) {
                    return "test";
                }
                if (method.getName().startsWith("is")) {
                    return true;
                }
                throw new AssertionError("unexpected logger call " + method);
            });
    private final OnceLog once = new OnceLog(logger);

    @Test
    void logsADistinctProblemOnce() {
        assertTrue(once.warn("IMDS poll failed: 500"));
        assertFalse(once.warn("IMDS poll failed: 500"));
        assertFalse(once.warn("IMDS poll failed: 500"));
        assertEquals(List.of("IMDS poll failed: 500"), warnings);
    }

    @Test
    void logsEachDifferentProblem() {
        once.warn("a");
        once.warn("b");
        once.warn("a");
        assertEquals(List.of("a", "b"), warnings);
    }

    @Test
    void logsTheSameProblemAgainAfterReset() {
        once.warn("IMDS poll failed: timeout");
        assertTrue(once.reset(), "there had been problems");
        assertTrue(once.warn("IMDS poll failed: timeout"));
        assertEquals(List.of("IMDS poll failed: timeout", "IMDS poll failed: timeout"), warnings);
    }

    @Test
    void resetWithoutProblemsSaysSo() {
        assertFalse(once.reset());
        once.warn("x");
        once.reset();
        assertFalse(once.reset(), "second reset in a row has nothing to forget");
    }

    @Test
    void remembersABoundedNumberOfProblems() {
        once.warn("first");
        for (int i = 0; i < 256; i++) {
            once.warn("other " + i);
        }
        assertTrue(once.warn("first"), "the oldest problem was forgotten to make room");
        assertEquals(258, warnings.size());
    }

    @Test
    void aProblemThatKeepsRecurringIsNotForgotten() {
        once.warn("recurring");
        for (int i = 0; i < 1000; i++) {
            once.warn("other " + i);
            assertFalse(once.warn("recurring"), "recurring problem logged again at " + i);
        }
    }
}
