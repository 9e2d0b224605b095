import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import scheduledevents.simulator.RecordedRequest;

/** Latency statistics, IMDS request rates, the size of the jars. */
final class Figures {
    private Figures() {
    }

    static List<Double> latencies(Map<String, Long> changes, Map<String, Long> seen) {
        List<Double> l = new ArrayList<>();
        changes.forEach((k, at) -> {
            Long s = seen.get(k);
            if (s != null) {
                l.add(Bench.ms(s - at));
            }
        });
        return l;
    }

    static Map<String, Object> stats(List<Double> l, int expected) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.size());
        m.put("missing", expected - s.size());
        if (!s.isEmpty()) {
            m.put("p50Ms", Math.round(pct(s, 50)));
            m.put("p99Ms", Math.round(pct(s, 99)));
            m.put("maxMs", Math.round(s.get(s.size() - 1)));
            m.put("minMs", Math.round(s.get(0)));
            m.put("meanMs", Math.round(s.stream().mapToDouble(d -> d).average().orElse(0)));
        }
        return m;
    }

    /** Nearest-rank percentile. */
    static double pct(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double rate(List<RecordedRequest> reqs, long from, long to) {
        long n = reqs.stream().filter(r -> r.receivedNanos() >= from && r.receivedNanos() < to).count();
        return n / ((to - from) / 1e9);
    }

    static int maxInWindow(List<RecordedRequest> reqs, long window) {
        long[] t = reqs.stream().mapToLong(RecordedRequest::receivedNanos).sorted().toArray();
        int best = 0;
        int j = 0;
        for (int i = 0; i < t.length; i++) {
            while (t[i] - t[j] >= window) {
                j++;
            }
            best = Math.max(best, i - j + 1);
        }
        return best;
    }

    static long jarAndLibBytes() throws IOException {
        long total = Files.size(Bench.ROOT.resolve("target/scheduled-events-agent.jar"));
        try (Stream<Path> s = Files.list(Bench.ROOT.resolve("target/lib"))) {
            for (Path p : s.toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }

    static long libJars() throws IOException {
        try (Stream<Path> s = Files.list(Bench.ROOT.resolve("target/lib"))) {
            return s.count();
        }
    }

}
