package scheduledevents.imds;

import java.time.Instant;

/** What health and metrics need to know about the poll: when it last succeeded, and since when it has failed. */
public class PollStatus {
    private volatile Instant lastSuccess;
    private volatile Instant failingSince;

    void succeeded(Instant at) {
        lastSuccess = at;
        failingSince = null;
    }

    void failed(Instant at) {
        if (failingSince == null) {
            failingSince = at;
        }
    }

    /** null until the first good poll */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** null while the poll works */
    public Instant failingSince() {
        return failingSince;
    }
}
