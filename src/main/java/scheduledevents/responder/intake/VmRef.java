package scheduledevents.responder.intake;

import java.util.Locale;

/**
 * One VM as far as a report tells it: always a name (as IMDS {@code Resources} spell it); the resource id, resource
 * group and subscription where the source gives or lets one rebuild them, else null. Untrusted text throughout.
 *
 * @param scaleSetId the resource id of the scale set the platform topic published the VM's event on
 *                   ({@code .../providers/Microsoft.Compute/virtualMachineScaleSets/NAME}, as received): Azure
 *                   acknowledges such an event on the scale set, not on the VM; null otherwise
 */
public record VmRef(String name, String resourceId, String resourceGroup, String subscriptionId, String scaleSetId) {
    public VmRef {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a VM needs a name");
        }
    }

    /** A VM not known to belong to a scale set the platform published on. */
    public VmRef(String name, String resourceId, String resourceGroup, String subscriptionId) {
        this(name, resourceId, resourceGroup, subscriptionId, null);
    }

    /** How the database tells VMs of one fleet event apart: the name, lower case. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }
}
