package scheduledevents.imds;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * UP once IMDS has answered with a document, DOWN before that and when it has failed for longer than
 * {@code agent.health.down-after}: since the first failed request was sent, or since the request still waiting
 * was (so a request that hangs turns health DOWN without waiting for its timeout). A container HEALTHCHECK or a
 * load balancer probe reads it on /observe/health.
 */
public class ImdsHealthCheck extends AbstractHealthCheck {
    private final PollStatus status;
    private final Duration downAfter;
    private final Clock clock;

    public ImdsHealthCheck(PollStatus status, Duration downAfter, Clock clock) {
        super("agent", "imds");
        this.status = status;
        this.downAfter = downAfter;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false; // IMDS being away is no reason to restart the agent; it is a reason not to trust it
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Instant last = status.lastSuccess();
        Instant failingSince = status.failingSince();
        Instant waitingSince = status.waitingSince();
        Instant now = clock.instant();
        if (last != null) {
            builder.detail("last.good.poll", last.toString());
        }
        if (last == null) {
            builder.down().message("no successful IMDS poll yet");
        } else if (failingSince != null && Duration.between(failingSince, now).compareTo(downAfter) > 0) {
            builder.down().message("IMDS has failed since " + failingSince);
        } else if (waitingSince != null && Duration.between(waitingSince, now).compareTo(downAfter) > 0) {
            builder.down().message("IMDS has not answered a request sent at " + waitingSince);
        } else {
            builder.up();
        }
    }
}
