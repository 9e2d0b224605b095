package scheduledevents.responder.approve;

/**
 * The answer of {@code POST /api/events/{eventId}/approve}: an HTTP status and the JSON
 * {@code {"Outcome": ..., "Message": ..., "Event": ...}}. Getters, for the route's simple expressions.
 */
public final class ApproveAnswer {
    private final int status;
    private final String json;

    ApproveAnswer(int status, String json) {
        this.status = status;
        this.json = json;
    }

    public int getStatus() {
        return status;
    }

    public String getJson() {
        return json;
    }

    @Override
    public String toString() {
        return status + " " + json;
    }
}
