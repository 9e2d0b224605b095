package scheduledevents.delivery;

import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while records cannot be written to the sinks' on-disk queues (a full disk, a read-only state folder): the
 * agent still polls and keeps what it saw in memory, but nothing reaches a sink until the disk takes writes again.
 * UP again with the first record queued.
 */
public class QueueHealthCheck extends AbstractHealthCheck {
    private final SinkQueues queues;

    public QueueHealthCheck(SinkQueues queues) {
        super("agent", "queues");
        this.queues = queues;
    }

    @Override
    public boolean isLiveness() {
        return false; // a restart frees no disk space; the process is alive and catches up by itself
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant since = queues.failingSince();
        String problem = queues.problem();
        if (since == null) {
            builder.up();
        } else {
            builder.detail("failing.since", since.toString());
            builder.down().message(problem == null ? "records cannot be queued" : problem);
        }
    }
}
