package scheduledevents;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Kept only for routes/PipelineRoutesTest, which is being rewritten on another branch: delete this once that test uses
 * {@link scheduledevents.testing.Await}, the one await helper.
 */
@Deprecated
public final class Await {
    private Await() {
    }

    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        scheduledevents.testing.Await.until(what, timeout, condition::getAsBoolean);
    }
}
