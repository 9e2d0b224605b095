package scheduledevents.delivery;

import java.io.File;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;

/**
 * A sink's persistent idempotent repository: the keys (see {@link DeliveryKeys}) of the records it accepted, one
 * per line in a file under {@code agent.state.dir/delivered/}. Camel's file repository, made from a path string
 * so a YAML route can declare it with a placeholder.
 */
public class DeliveredKeys extends FileIdempotentRepository {
    private static final int CACHE_SIZE = 10_000;

    public DeliveredKeys(String path) {
        setFileStore(new File(path));
        setCacheSize(CACHE_SIZE);
    }
}
