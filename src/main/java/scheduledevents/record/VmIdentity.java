package scheduledevents.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Who this VM is, from IMDS {@code instance/compute}; every field may be null when instance metadata is unknown. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"Name", "ResourceId", "VmId", "Location", "VmScaleSetName", "SubscriptionId", "ResourceGroupName",
        "Zone"})
public record VmIdentity(
        @JsonProperty("Name") String name,
        @JsonProperty("ResourceId") String resourceId,
        @JsonProperty("VmId") String vmId,
        @JsonProperty("Location") String location,
        @JsonProperty("VmScaleSetName") String vmScaleSetName,
        @JsonProperty("SubscriptionId") String subscriptionId,
        @JsonProperty("ResourceGroupName") String resourceGroupName,
        @JsonProperty("Zone") String zone) {

    public static final VmIdentity UNKNOWN = new VmIdentity(null, null, null, null, null, null, null, null);

    public VmIdentity withName(String newName) {
        return new VmIdentity(newName, resourceId, vmId, location, vmScaleSetName, subscriptionId, resourceGroupName,
                zone);
    }
}
