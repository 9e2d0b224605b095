import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Follows the records file at 1 ms granularity; first sight of each (EventId, EventStatus). */
final class Tail implements Runnable {
    final Path file;
    final Map<String, Long> seen = new ConcurrentHashMap<>();
    volatile boolean running = true;
    Thread thread;

    Tail(Path file) {
        this.file = file;
    }

    Tail start() {
        thread = new Thread(this, "tail");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    public void run() {
        long pos = 0;
        StringBuilder partial = new StringBuilder();
        byte[] buf = new byte[65536];
        while (running) {
            try {
                if (Files.exists(file) && Files.size(file) > pos) {
                    long now = System.nanoTime();
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                        f.seek(pos);
                        int n;
                        while ((n = f.read(buf)) > 0) {
                            pos += n;
                            partial.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        String line = partial.substring(0, nl);
                        partial.delete(0, nl + 1);
                        JsonNode r = Bench.JSON.readTree(line);
                        seen.putIfAbsent(Bench.key(r.path("EventId").asText(), r.path("EventStatus").asText()), now);
                    }
                }
                Thread.sleep(1);
            } catch (Exception e) {
                Bench.log("tail: %s", e);
            }
        }
    }

    void stop() {
        running = false;
    }
}
