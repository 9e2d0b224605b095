package scheduledevents.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveredKeysTest {
    @TempDir
    Path dir;

    private static String key(int i) {
        return DeliveryKeys.key(String.format("3a7e0000-0000-4000-8000-%012d", i), "Scheduled");
    }

    /**
     * A maintenance wave puts thousands of keys in each sink's repository; memory holds a bounded number of them
     * (five repositories on a VM with every sink and hooks on), the file holds them all and still answers for the
     * oldest, also after a restart.
     */
    @Test
    void keepsABoundedNumberOfKeysInMemoryAndKnowsEveryKeyFromItsFile() throws Exception {
        Path file = dir.resolve("delivered/log.dat");
        DeliveredKeys keys = new DeliveredKeys(file.toString());
        keys.start();
        for (int i = 0; i < 1100; i++) {
            assertTrue(keys.add(key(i)), "new key " + i);
        }
        assertTrue(keys.getCacheSize() <= 1000, "keys in memory: " + keys.getCacheSize());
        assertTrue(keys.contains(key(0)), "the oldest key, from the file");
        assertFalse(keys.add(key(1)), "a repeat of an old key is not new");
        assertFalse(keys.contains(key(1100)));
        keys.stop();
        assertEquals(1100, Files.readAllLines(file).size());

        DeliveredKeys restarted = new DeliveredKeys(file.toString());
        restarted.start();
        assertTrue(restarted.getCacheSize() <= 1000, "keys in memory after a restart: "
                + restarted.getCacheSize());
        assertTrue(restarted.contains(key(0)));
        assertTrue(restarted.contains(key(1099)));
        restarted.stop();
    }
}
