package scheduledevents.delivery;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.spi.Registry;

/**
 * The idempotent repositories of the queues (the sinks in {@code agent.sinks}, and the respond stage when it is on):
 * one {@link DeliveredKeys} per queue, file {@code agent.state.dir/delivered/<queue>.dat}. Its bean name,
 * {@link #beanName}, is written in Java only here and in YAML only in the sink template
 * ({@code #delivered-{{sink}}}, routes/40-sink-delivery.yaml) and routes/50-respond.yaml, so the route, the dead
 * letters and the Event Grid batch use the same store by construction.
 */
public class DeliveredKeyStores {
    private static final String PREFIX = "delivered-";

    private final Map<String, DeliveredKeys> stores = new LinkedHashMap<>();

    public DeliveredKeyStores(Path stateDir, List<String> queues) {
        for (String queue : queues) {
            stores.put(queue, new DeliveredKeys(stateDir.resolve("delivered").resolve(queue + ".dat").toString()));
        }
    }

    /** The bean name under which the routes find the store of {@code queue}. */
    public static String beanName(String queue) {
        return PREFIX + queue;
    }

    /** The store of a queue that is on; null for any other name. */
    public DeliveredKeys forQueue(String queue) {
        return stores.get(queue);
    }

    /** Binds each store under {@link #beanName}, for the routes' {@code idempotentRepository}. */
    public void bindAll(Registry registry) {
        stores.forEach((queue, store) -> registry.bind(beanName(queue), store));
    }
}
