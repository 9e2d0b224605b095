package scheduledevents.respond;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One approval releases an event for every VM in its Resources. {@code SELF}: each VM approves when its own hooks
 * are done, so the first VM ready starts maintenance for all (fast, but a VM whose hooks are slower may be frozen or
 * rebooted before they finish). {@code FIRST}: only the first name in sorted Resources approves, so the event starts
 * when that VM is ready (predictable, but the others' hooks are not waited for either, and if that VM has no agent
 * nobody approves and the platform starts at NotBefore).
 */
public enum AckLeader {
    SELF,
    FIRST;

    public static AckLeader parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "self" -> SELF;
            case "first" -> FIRST;
            default -> throw new IllegalArgumentException("must be self or first");
        };
    }

    public boolean mayApprove(String vmName, List<String> resources) {
        if (vmName == null) {
            return false;
        }
        if (this == SELF) {
            return resources.stream().anyMatch(vmName::equalsIgnoreCase);
        }
        return resources.stream().min(Comparator.comparing(r -> r.toLowerCase(Locale.ROOT)))
                .map(vmName::equalsIgnoreCase).orElse(false);
    }
}
