package scheduledevents.responder.intake;

/** Where a report of a maintenance event came from, as {@code Sources} names it in the API. */
public enum ReportSource {
    /** A scheduled-events-agent's transition record (Event Grid type {@code ScheduledEvent}, data = the record). */
    AGENT("agent"),
    /** Azure's own system topic ({@code Microsoft.ResourceNotifications.MaintenanceResources.ScheduledEventEmitted}). */
    PLATFORM("platform"),
    /** The blog post's bash script (type {@code ScheduledEvent}, data = the raw IMDS event). */
    SEED_SCRIPT("seed-script");

    private final String label;

    ReportSource(String label) {
        this.label = label;
    }

    /** The name in the API, the database and the metrics. */
    public String label() {
        return label;
    }

    public static ReportSource ofLabel(String label) {
        for (ReportSource s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown report source");
    }
}
