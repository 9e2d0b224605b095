package scheduledevents.delivery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.SettableClock;
import scheduledevents.record.RecordKey;

/**
 * Issue 11, item 7: a sink's key store with unreadable bytes is repaired at start (the readable keys kept, the damaged
 * file kept beside it) instead of stopping the agent with a MalformedInputException that names no file.
 */
class DeliveredKeysTest {
    @TempDir
    Path dir;

    private final SettableClock clock = SettableClock.at("2026-11-25T16:56:22.104Z");

    private Path store(byte[] content) throws IOException {
        Path file = Files.createDirectories(dir.resolve("delivered")).resolve("log.dat");
        Files.write(file, content);
        return file;
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes((byte[]) part);
            }
        }
        return out.toByteArray();
    }

    private static final byte[] BAD = {(byte) 0xC3, (byte) 0xFF};

    @Test
    void aStoreWithTwoBadBytesStartsWithTheKeysItCouldReadAndStaysUsable() throws Exception {
        byte[] damaged = bytes("e1/Scheduled\n", BAD, "e2/Scheduled\ne2/Started\n");
        Path file = store(damaged);
        DeliveredKeys keys = new DeliveredKeys(file.toString(), clock);
        keys.start();
        try {
            assertTrue(keys.contains("e1/Scheduled"));
            assertTrue(keys.contains("e2/Started"));
            assertFalse(keys.contains("e2/Scheduled"), "its line was unreadable: that record may come again");
            assertTrue(keys.add("e3/Scheduled"), "adding scans the file: it must be readable now");
            assertFalse(keys.add("e3/Scheduled"));
        } finally {
            keys.stop();
        }
        assertEquals(List.of("e1/Scheduled", "e2/Started", "e3/Scheduled"), Files.readAllLines(file));
        List<Path> copies = copies(file);
        assertEquals(List.of(file.resolveSibling("log.dat.corrupt-20261125T165622Z")), copies(file));
        assertArrayEquals(damaged, Files.readAllBytes(copies.get(0)), "kept as it was, for a look");
    }

    @Test
    void theRepairSaysWhichFileWhatWasDoneAndWhatItMeans() throws Exception {
        Path file = store(bytes("e1/Scheduled\n", BAD, "e2/Scheduled\nx", BAD, "\n\u0000\u0000\u0000\ne2/Started\n"));
        String warning = DeliveredKeys.repair(file, clock);
        assertTrue(warning.contains(file.toString()), warning);
        assertTrue(warning.contains("3 unreadable"), warning);
        assertTrue(warning.contains("2 keys kept"), warning);
        assertTrue(warning.contains(file.resolveSibling("log.dat.corrupt-20261125T165622Z").toString()), warning);
        assertTrue(warning.contains("may be delivered again"), warning);
        assertFalse(warning.contains("\n"), "one line");
        assertEquals(List.of("e1/Scheduled", "e2/Started"), Files.readAllLines(file));
    }

    @Test
    void aSecondRepairInTheSameSecondKeepsBothCopies() throws Exception {
        Path file = store(bytes("a\n", BAD, "\n"));
        DeliveredKeys.repair(file, clock);
        Files.write(file, bytes("b\n", BAD, "\n"));
        DeliveredKeys.repair(file, clock);
        assertEquals(2, copies(file).size(), copies(file).toString());
    }

    @Test
    void aLineOfNoLengthLimitIsNotKeptInMemoryAndIsDropped() throws Exception {
        byte[] huge = new byte[4 << 20];
        java.util.Arrays.fill(huge, (byte) 'k');
        Path file = store(bytes("e1/Scheduled\n", huge, "\ne2/Started\n"));
        assertTrue(DeliveredKeys.repair(file, clock).contains("1 unreadable"));
        assertEquals(List.of("e1/Scheduled", "e2/Started"), Files.readAllLines(file));
    }

    @Test
    void anIntactStoreIsLeftAsItIs() throws Exception {
        byte[] intact = bytes("e1/Scheduled\nsha256:0a1b\n", "e2/Started\n");
        Path file = store(intact);
        FileTime modified = Files.getLastModifiedTime(file);
        assertNull(DeliveredKeys.repair(file, clock));
        assertArrayEquals(intact, Files.readAllBytes(file));
        assertEquals(modified, Files.getLastModifiedTime(file));
        assertEquals(List.of(), copies(file));
    }

    @Test
    void aKeyCutShortByACrashGetsItsLineEndedSoTheNextKeyIsNotGluedToIt() throws Exception {
        Path file = store(bytes("e1/Scheduled\ne2/Sta"));
        DeliveredKeys keys = new DeliveredKeys(file.toString());
        keys.start();
        try {
            keys.add("e3/Scheduled");
        } finally {
            keys.stop();
        }
        assertEquals(List.of("e1/Scheduled", "e2/Sta", "e3/Scheduled"), Files.readAllLines(file));
        assertEquals(List.of(), copies(file), "nothing unreadable: no copy");
    }

    @Test
    void aMissingStoreStartsEmpty() throws Exception {
        Path file = dir.resolve("delivered/respond.dat");
        assertNull(DeliveredKeys.repair(file, clock));
        DeliveredKeys keys = new DeliveredKeys(file.toString());
        keys.start();
        try {
            assertTrue(keys.add("e1/before"));
        } finally {
            keys.stop();
        }
        assertEquals(List.of("e1/before"), Files.readAllLines(file));
    }

    private static List<Path> copies(Path file) throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(file.getFileName() + ".corrupt-"))
                    .sorted().toList();
        }
    }

    private static String key(int i) {
        return RecordKey.key(String.format("3a7e0000-0000-4000-8000-%012d", i), "Scheduled");
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
