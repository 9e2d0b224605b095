import java.util.Map;

/** The Markdown table {@code bench/run} prints from the result it writes as JSON. */
final class ResultsTable {
    private ResultsTable() {
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        Map<String, Object> lat = (Map<String, Object>) r.get("latency");
        Map<String, Object> f = (Map<String, Object>) r.get("footprint");
        Map<String, Object> load = (Map<String, Object>) r.get("imdsLoad");
        Map<String, Object> seed = (Map<String, Object>) r.get("seed");
        StringBuilder t = new StringBuilder();
        t.append(String.format("scheduled-events-agent benchmark (%s; %s; %s cpus, load %s)%n", r.get("java"),
                r.get("jvmFlags"), ((Map<?, ?>) r.get("machine")).get("cpus"), ((Map<?, ?>) r.get("machine")).get("loadavg")));
        t.append("| figure | agent | seed script | goal |\n|---|---|---|---|\n");
        Map<String, Object> logFile = (Map<String, Object>) lat.get("logFile");
        String eg = lat.get("eventgrid") instanceof Map<?, ?> m ? lat3((Map<String, Object>) m) : String.valueOf(lat.get("eventgrid"));
        t.append(String.format("| notice latency to log file, p50 / p99 / max (%s transitions, 1 s poll) | %s | - | p99 <= 1100 ms |%n",
                lat.get("transitions"), lat3(logFile)));
        t.append(String.format("| notice latency to Event Grid receiver, p50 / p99 / max | %s | - | p99 <= 1100 ms |%n", eg));
        if (seed != null) {
            t.append(String.format("| side by side, %s long-lived transitions: latency p50 / p99 / max | %s (log file) | %s (receiver) | - |%n",
                    seed.get("transitions"), lat3((Map<String, Object>) seed.get("agentLogFile")),
                    lat3((Map<String, Object>) seed.get("seedEventGrid"))));
            t.append(String.format("| side by side: short-lived transitions (1-2 s apart) reported | %s of %s | %s of %s | - |%n",
                    ((Map<?, ?>) lat.get("logFile")).get("n"), lat.get("transitions"), seed.get("seedSeenOfShortLived"),
                    seed.get("shortLivedTransitions")));
            t.append(String.format("| side by side: sent in %s s (POSTs / event copies / distinct / resent copies / not valid JSON) | %s records | %s / %s / %s / %s / %s | - |%n",
                    seed.get("seconds"), seed.get("agentRecordsForTheseTransitions"), seed.get("posts"),
                    seed.get("eventCopiesSent"), seed.get("distinctTransitionsSent"), seed.get("resentCopies"),
                    seed.get("postsNotValidJson")));
        }
        t.append(String.format("| RSS at 60 s (PSS) | %.1f MB (%.1f MB) | - | <= 96 MB |%n", mb(f.get("rssKb60s")), mb(f.get("pssKb60s"))));
        t.append(String.format("| RSS at %s s (PSS); max seen | %.1f MB (%.1f MB); %.1f MB | - | <= 96 MB |%n", f.get("endAtSeconds"),
                mb(f.get("rssKbEnd")), mb(f.get("pssKbEnd")), mb(f.get("rssKbMax"))));
        t.append(String.format("| CPU per hour of idle polling (%s s window) | %s s (%s %% of one core) | - | < 18 s (0.5 %%) |%n",
                f.get("idleWindowSeconds"), f.get("cpuSecondsPerHourIdlePolling"), f.get("percentOfOneCoreIdle")));
        t.append(String.format("| CPU per hour, all polling from 60 s incl. transitions (%s s) | %s s (%s %%) | - | - |%n",
                f.get("allPollingWindowSeconds"), f.get("cpuSecondsPerHourAllPolling"), f.get("percentOfOneCoreAllPolling")));
        t.append(String.format("| process start to first poll (CPU s to 60 s) | %s ms (%s s) | - | <= 1500 ms |%n", f.get("firstPollMs"),
                f.get("cpuSecondsStartTo60s")));
        t.append(String.format("| jar + lib/ | %.1f MB (%s jars) | - | - |%n", ((Number) f.get("jarAndLibBytes")).doubleValue() / 1048576, ((Number) f.get("libJars")).intValue() + 1));
        t.append(String.format("| IMDS requests/s: steady / during transitions / peak in any 1 s | %s / %s / %s | %s | peak <= 5 |%n",
                load.get("steadyRequestsPerSecond"), load.get("requestsPerSecondDuringTransitions"),
                load.get("peakRequestsInAnySecond"), seed == null ? "-" : Bench.round(((Number) seed.get("imdsRequests")).doubleValue() / ((Number) seed.get("seconds")).doubleValue(), 3)));
        return t.toString();
    }

    static String lat3(Map<String, Object> m) {
        if (!m.containsKey("p50Ms")) {
            return "none seen";
        }
        String missing = ((Number) m.get("missing")).intValue() > 0 ? " (" + m.get("missing") + " missed)" : "";
        return String.format("%s / %s / %s ms%s", m.get("p50Ms"), m.get("p99Ms"), m.get("maxMs"), missing);
    }

    static double mb(Object kb) {
        return ((Number) kb).doubleValue() / 1024;
    }
}
