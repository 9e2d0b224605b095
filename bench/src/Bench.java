import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import scheduledevents.simulator.RecordedRequest;

/**
 * The benchmark harness behind {@code bench/run} (compiled by bench/run into target/bench-classes, run against the
 * target/ jars).
 *
 * <pre>
 * run     [--quick] [--duration S] [--transitions N] [--seed-transitions N] [--no-seed] [--label L]
 *         [--java PATH] [--jvm-flags "..."] [--env "K=V ..."] [--out FILE]
 * compare --a "FLAGS" --b "FLAGS" [--java-a PATH] [--java-b PATH] [--env-a "K=V ..."] [--env-b "K=V ..."]
 *         [--runs N] [--hold S]
 * wave    [--duration S] [--rate N] [--notice S] [--run S] [--nmt] ...   (see {@link Wave})
 * responder [--vms N] [--duplicates F] [--clients N]   a fleet's burst into the responder on PostgreSQL (see
 *         {@link ResponderBench})
 * </pre>
 *
 * One in-process IMDS simulator (Java API) and one loopback Event Grid receiver; the agent (and the seed's bash loop)
 * run as separate processes against them. All times are System.nanoTime() in this process.
 */
public class Bench {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final long T0 = System.nanoTime();

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        String mode = !a.isEmpty() && !a.get(0).startsWith("--") ? a.remove(0) : "run";
        Map<String, String> opt = options(a);
        if (mode.equals("compare")) {
            Compare.compare(opt);
        } else if (mode.equals("wave")) {
            Wave.run(opt);
        } else if (mode.equals("responder")) {
            ResponderBench.run(opt);
        } else {
            LatencyRun.run(opt);
        }
        System.exit(0);
    }

    static Map<String, String> options(List<String> a) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < a.size(); i++) {
            String k = a.get(i);
            if (!k.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + k);
            }
            if (k.equals("--quick") || k.equals("--no-seed") || k.equals("--eventgrid") || k.equals("--no-eventgrid")
                    || k.equals("--nmt")) {
                o.put(k.substring(2), "true");
            } else {
                o.put(k.substring(2), a.get(++i));
            }
        }
        return o;
    }

    static boolean isCurl(RecordedRequest r) {
        return r.userAgent() != null && r.userAgent().startsWith("curl");
    }

    static String key(String id, String status) {
        return id.toUpperCase() + "/" + status;
    }

    // --------------------------------------------------------------------------------------------------- utils

    static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.stream(s.trim().split("\\s+")).collect(Collectors.toList());
    }

    static String javaVersion(String java) {
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("?");
            p.waitFor();
            return first;
        } catch (Exception e) {
            return "?";
        }
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static long sec(long s) {
        return s * 1_000_000_000L;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    static void log(String format, Object... args) {
        System.err.printf("[bench %6.1fs] %s%n", (System.nanoTime() - T0) / 1e9, String.format(format, args));
    }
}
