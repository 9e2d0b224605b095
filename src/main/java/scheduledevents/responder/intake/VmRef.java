package scheduledevents.responder.intake;

import java.util.Locale;

/**
 * One VM as far as a report tells it: always a name (as IMDS {@code Resources} spell it); the resource id, resource
 * group and subscription where the source gives or lets one rebuild them, else null. Untrusted text throughout.
 */
public record VmRef(String name, String resourceId, String resourceGroup, String subscriptionId) {
    public VmRef {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a VM needs a name");
        }
    }

    /** How the database tells VMs of one fleet event apart: the name, lower case. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }
}
