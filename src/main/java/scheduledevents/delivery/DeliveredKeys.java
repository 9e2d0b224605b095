package scheduledevents.delivery;

import java.io.File;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;

/**
 * A sink's persistent idempotent repository: the keys (see {@link DeliveryKeys}) of the records it accepted, one
 * per line in a file under {@code agent.state.dir/delivered/}. Camel's file repository, made from a path string
 * so a YAML route can declare it with a placeholder.
 * <p>
 * Keys in memory: Camel's default 1,000 (was 10,000). A new key is never in memory, so every record's check reads
 * the file anyway, and a key that left memory is still found there; 10,000 per repository (five on a VM with every
 * sink and hooks on) only grew the heap through a maintenance wave (bench/README.md, "Maintenance wave").
 */
public class DeliveredKeys extends FileIdempotentRepository {
    private static final int CACHE_SIZE = 1_000;

    public DeliveredKeys(String path) {
        setFileStore(new File(path));
        setCacheSize(CACHE_SIZE);
    }
}
