package scheduledevents.record;

/**
 * The event types IMDS documents. Azure may add others: {@link #OTHER} stands for any of them, and the record keeps
 * the type's text as received ({@link TransitionRecord#eventType()}), so an unknown type is carried, not lost.
 */
public enum EventType {
    FREEZE("Freeze"),
    REBOOT("Reboot"),
    REDEPLOY("Redeploy"),
    PREEMPT("Preempt"),
    TERMINATE("Terminate"),
    /** A type this agent does not know, or none: never written, the record holds the text it came with. */
    OTHER(null);

    private final String text;

    EventType(String text) {
        this.text = text;
    }

    /** As IMDS spells it; null for {@link #OTHER}. */
    public String text() {
        return text;
    }

    public boolean known() {
        return this != OTHER;
    }

    /** The type spelled exactly {@code text} (as IMDS writes it); {@link #OTHER} for anything else, null included. */
    public static EventType of(String text) {
        return find(text, false);
    }

    /** As {@link #of}, in any case ("freeze" is FREEZE): for where the spelling does not matter. */
    public static EventType ofAnyCase(String text) {
        return find(text, true);
    }

    private static EventType find(String text, boolean anyCase) {
        for (EventType type : values()) {
            if (type.known() && (anyCase ? type.text.equalsIgnoreCase(text) : type.text.equals(text))) {
                return type;
            }
        }
        return OTHER;
    }
}
