package scheduledevents.respond;

import java.util.Locale;

/**
 * When the agent approves a scheduled event (POST StartRequests), letting maintenance start before NotBefore.
 * Only events whose Resources name this VM are ever approved, whatever the policy.
 */
public enum AckPolicy {
    /** Never approve: the platform starts at NotBefore. The safe default. */
    NEVER,
    /** Approve as soon as every hook for the event exited 0 (at once when there is no hook). */
    AFTER_HOOKS,
    /** Approve events the user started (EventSource User) at once, as Microsoft advises; never platform events. */
    USER_ONLY;

    public static AckPolicy parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "never" -> NEVER;
            case "after-hooks" -> AFTER_HOOKS;
            case "user-only" -> USER_ONLY;
            default -> throw new IllegalArgumentException("must be never, after-hooks or user-only");
        };
    }

    /** @param hooksSucceeded every hook for the event exited 0 (true when there was none) */
    public boolean allows(String eventSource, boolean hooksSucceeded) {
        return switch (this) {
            case NEVER -> false;
            case AFTER_HOOKS -> hooksSucceeded;
            case USER_ONLY -> "User".equalsIgnoreCase(eventSource);
        };
    }
}
