package scheduledevents.transitions;

import java.util.Locale;
import scheduledevents.record.ScheduledEvent;

/** Which events the agent reports: IMDS broadcasts events to every VM of an availability set or placement group. */
public enum Scope {
    /** Only events whose Resources name this VM. */
    THIS_VM,
    /** Every event in the document, for a VM that watches its neighbours. */
    ALL;

    public static Scope parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "this-vm" -> THIS_VM;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException("must be this-vm or all");
        };
    }

    /** @param vmName null when unknown: then nobody can tell, and the event is kept rather than lost */
    public boolean keeps(ScheduledEvent event, String vmName) {
        return this == ALL || vmName == null || event.names(vmName);
    }
}
