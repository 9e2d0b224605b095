package scheduledevents.imds;

import java.time.Instant;

/**
 * What health and metrics need to know about the poll: when it last succeeded, since when it has failed, and since
 * when the request in progress has been waiting (a request that hangs is a failure before it ends).
 */
public class PollStatus {
    private volatile Instant lastSuccess;
    private volatile Instant failingSince;
    private volatile Instant waitingSince;

    void started(Instant at) {
        waitingSince = at;
    }

    void succeeded(Instant at) {
        lastSuccess = at;
        failingSince = null;
        waitingSince = null;
    }

    /** @param startedAt when the failed request was sent: IMDS has not answered well since then */
    void failed(Instant startedAt) {
        if (failingSince == null) {
            failingSince = startedAt;
        }
        waitingSince = null;
    }

    /** null until the first good poll */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** null while the poll works; else when the first failed request was sent */
    public Instant failingSince() {
        return failingSince;
    }

    /** when the request in progress was sent; null between requests */
    public Instant waitingSince() {
        return waitingSince;
    }
}
