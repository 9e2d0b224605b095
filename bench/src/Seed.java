import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The seed's bash loop (bench/seed/seed.sh) as its own process. */
final class Seed {
    private Seed() {
    }

    static Process startSeed(String imdsUrl, String endpoint) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", Bench.ROOT.resolve("bench/seed/seed.sh").toString());
        pb.environment().put("SEED_IMDS_URL", imdsUrl);
        pb.environment().put("SEED_ENDPOINT", endpoint);
        pb.environment().put("SEED_KEY", "bench-key");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Bench.log("seed script pid %d", p.pid());
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroy);
    }
}
