package scheduledevents.imds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

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

    static VmIdentity fromCompute(JsonNode compute) {
        return new VmIdentity(text(compute, "name"), text(compute, "resourceId"), text(compute, "vmId"),
                text(compute, "location"), text(compute, "vmScaleSetName"), text(compute, "subscriptionId"),
                text(compute, "resourceGroupName"), text(compute, "zone"));
    }

    public VmIdentity withName(String newName) {
        return new VmIdentity(newName, resourceId, vmId, location, vmScaleSetName, subscriptionId, resourceGroupName,
                zone);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        // IMDS writes "" for fields that do not apply (vmScaleSetName, zone): carry them as null
        return value == null || !value.isValueNode() || value.asText().isEmpty() ? null : value.asText();
    }
}
