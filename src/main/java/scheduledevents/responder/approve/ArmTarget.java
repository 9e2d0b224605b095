package scheduledevents.responder.approve;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import scheduledevents.responder.fleet.FleetEvent;

/**
 * One resource that Azure's Maintenance resource provider acknowledges an event on: a VM, or a scale set (once for
 * all its instances of the event).
 *
 * @param subscriptionId as in the VM's resource id
 * @param resourceGroup  as in the VM's resource id
 * @param type           {@value #VM} or {@value #SCALE_SET}
 * @param name           the VM's or the scale set's name
 * @param vms            the fleet event's VMs this target stands for (names, for the operator)
 */
public record ArmTarget(String subscriptionId, String resourceGroup, String type, String name, List<String> vms) {
    public static final String VM = "virtualMachines";
    public static final String SCALE_SET = "virtualMachineScaleSets";

    /**
     * The resource's path, each segment percent-encoded: every part comes from an event and is untrusted, so a
     * {@code /}, {@code ?}, {@code #} or a {@code ..} in a name cannot reach another resource or another API.
     */
    public String path() {
        return "/subscriptions/" + segment(subscriptionId) + "/resourcegroups/" + segment(resourceGroup)
                + "/providers/Microsoft.Compute/" + type + "/" + segment(name);
    }

    /** How the operator reads it: the VM's name, or "scale set NAME". */
    public String label() {
        String shown = ArmApprover.clean(name);
        return SCALE_SET.equals(type) ? "scale set " + shown : shown;
    }

    /** One path segment: percent-encoded UTF-8 (a space as %20, not +), and "." or ".." never left as such. */
    static String segment(String text) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        if (encoded.chars().allMatch(c -> c == '.')) {
            encoded = encoded.replace(".", "%2E");
        }
        return encoded;
    }

    /**
     * The targets of a fleet event's VMs, in the order first met: a VM the platform topic reported through its
     * scale set gives that scale set's target ({@link FleetEvent.Vm#scaleSetId()}: Azure published the event on the
     * scale set, and would answer 404 on the VM), once; otherwise a VM's own resource id
     * ({@code /subscriptions/S/resourceGroups/G/providers/Microsoft.Compute/virtualMachines/N}) gives a VM target;
     * a scale-set instance's ({@code .../virtualMachineScaleSets/SS/virtualMachines/I}) gives its scale set's, once.
     * A VM without such an id (a source that named it only) is in {@link Targets#unknown}.
     */
    public static Targets of(List<FleetEvent.Vm> vms) {
        Map<String, ArmTarget> targets = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (FleetEvent.Vm vm : vms) {
            ArmTarget target = scaleSet(vm.scaleSetId(), vm.name());
            if (target == null) {
                target = parse(vm.resourceId(), vm.name());
            }
            if (target == null) {
                unknown.add(vm.name());
                continue;
            }
            String key = (target.subscriptionId + "/" + target.resourceGroup + "/" + target.type + "/"
                    + target.name).toLowerCase(Locale.ROOT);
            ArmTarget known = targets.get(key);
            if (known == null) {
                targets.put(key, target);
            } else {
                List<String> names = new ArrayList<>(known.vms);
                names.add(vm.name());
                targets.put(key, new ArmTarget(known.subscriptionId, known.resourceGroup, known.type, known.name,
                        List.copyOf(names)));
            }
        }
        return new Targets(List.copyOf(targets.values()), List.copyOf(unknown));
    }

    /** The target of one resource id, or null when it is not a VM's or a scale-set instance's. */
    static ArmTarget parse(String resourceId, String vmName) {
        String[] p = computeId(resourceId);
        if (p == null) {
            return null;
        }
        String name = vmName == null ? p[8] : vmName;
        if (p.length == 9 && p[7].equalsIgnoreCase(VM) && usable(p[2], p[4], p[8])) {
            return new ArmTarget(p[2], p[4], VM, p[8], List.of(name));
        }
        if (p.length == 11 && p[7].equalsIgnoreCase(SCALE_SET) && p[9].equalsIgnoreCase(VM)
                && usable(p[2], p[4], p[8]) && !p[10].isBlank()) {
            return new ArmTarget(p[2], p[4], SCALE_SET, p[8], List.of(name));
        }
        return null;
    }

    /** The scale set of {@code .../providers/Microsoft.Compute/virtualMachineScaleSets/SS}, or null. */
    static ArmTarget scaleSet(String scaleSetId, String vmName) {
        String[] p = computeId(scaleSetId);
        if (p != null && p.length == 9 && p[7].equalsIgnoreCase(SCALE_SET) && usable(p[2], p[4], p[8])) {
            return new ArmTarget(p[2], p[4], SCALE_SET, p[8], List.of(vmName == null ? p[8] : vmName));
        }
        return null;
    }

    /**
     * The segments of a Microsoft.Compute resource id, {@code "", subscriptions, S, resourceGroups, G, providers,
     * Microsoft.Compute, kind, name [, ...]}, or null when it is not one.
     */
    private static String[] computeId(String id) {
        if (id == null || !id.startsWith("/")) {
            return null;
        }
        String[] p = id.split("/", -1);
        if (p.length < 9 || !p[1].equalsIgnoreCase("subscriptions") || !p[3].equalsIgnoreCase("resourceGroups")
                || !p[5].equalsIgnoreCase("providers") || !p[6].equalsIgnoreCase("Microsoft.Compute")) {
            return null;
        }
        return p;
    }

    private static boolean usable(String... parts) {
        for (String part : parts) {
            if (part.isBlank()) {
                return false;
            }
        }
        return true;
    }

    /** A fleet event's targets, and the names of its VMs that have none. */
    public record Targets(List<ArmTarget> targets, List<String> unknown) {
    }
}
