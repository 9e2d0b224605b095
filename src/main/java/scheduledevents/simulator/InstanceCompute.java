package scheduledevents.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The {@code /metadata/instance/compute} answer: fixed plausible values around the configured VM name. */
final class InstanceCompute {

    static final String SUBSCRIPTION_ID = "00000000-1111-2222-3333-444444444444";
    static final String RESOURCE_GROUP = "rg-prod";

    private InstanceCompute() {
    }

    static String json(String vmName) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("azEnvironment", "AzurePublicCloud")
                .put("location", "westeurope")
                .put("name", vmName)
                .put("offer", "0001-com-ubuntu-server-jammy")
                .put("osType", "Linux")
                .put("resourceGroupName", RESOURCE_GROUP)
                .put("resourceId", "/subscriptions/" + SUBSCRIPTION_ID + "/resourceGroups/" + RESOURCE_GROUP
                        + "/providers/Microsoft.Compute/virtualMachines/" + vmName)
                .put("subscriptionId", SUBSCRIPTION_ID)
                .put("tags", "env:prod;team:web")
                // Stable per name, so restarts of the simulator look like the same VM.
                .put("vmId", UUID.nameUUIDFromBytes(vmName.getBytes(StandardCharsets.UTF_8)).toString())
                .put("vmScaleSetName", "")
                .put("vmSize", "Standard_D2s_v5")
                .put("zone", "1");
        return DocumentJson.write(node);
    }
}
