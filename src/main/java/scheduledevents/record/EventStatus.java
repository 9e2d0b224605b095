package scheduledevents.record;

/**
 * The statuses of a record: {@code Scheduled} and {@code Started} come from IMDS, {@code Completed} and
 * {@code Canceled} are the agent's words for an event that disappeared. IMDS may send a status this agent does not
 * know: {@link #OTHER} stands for it, and the record keeps the status's text as received
 * ({@link TransitionRecord#eventStatus()}).
 */
public enum EventStatus {
    SCHEDULED("Scheduled"),
    STARTED("Started"),
    /** Not an IMDS status: the agent's name for an event that disappeared after it started or after NotBefore. */
    COMPLETED("Completed"),
    /** Not an IMDS status: the agent's name for an event that disappeared while Scheduled, before NotBefore. */
    CANCELED("Canceled"),
    /** A status this agent does not know, or none: never written, the record holds the text it came with. */
    OTHER(null);

    private final String text;

    EventStatus(String text) {
        this.text = text;
    }

    /** As the record spells it; null for {@link #OTHER}. */
    public String text() {
        return text;
    }

    public boolean known() {
        return this != OTHER;
    }

    /** Whether IMDS itself reports this status (Scheduled, Started), as opposed to the agent's own words. */
    public boolean fromImds() {
        return this == SCHEDULED || this == STARTED;
    }

    /** The status spelled exactly {@code text}; {@link #OTHER} for anything else, null included. */
    public static EventStatus of(String text) {
        return find(text, false);
    }

    /** As {@link #of}, in any case ("scheduled" is SCHEDULED): for settings and where the spelling does not matter. */
    public static EventStatus ofAnyCase(String text) {
        return find(text, true);
    }

    private static EventStatus find(String text, boolean anyCase) {
        for (EventStatus status : values()) {
            if (status.known() && (anyCase ? status.text.equalsIgnoreCase(text) : status.text.equals(text))) {
                return status;
            }
        }
        return OTHER;
    }
}
