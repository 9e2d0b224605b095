import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.RecordedRequest;
import scheduledevents.simulator.SimEvent;

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
            compare(opt);
        } else if (mode.equals("wave")) {
            Wave.run(opt);
        } else {
            run(opt);
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

    // ---------------------------------------------------------------------------------------------------- run

    static void run(Map<String, String> o) throws Exception {
        boolean quick = o.containsKey("quick");
        int duration = Integer.parseInt(o.getOrDefault("duration", quick ? "150" : "600"));
        int transitions = Integer.parseInt(o.getOrDefault("transitions", quick ? "30" : "120"));
        int seedTransitions = Integer.parseInt(o.getOrDefault("seed-transitions", "10"));
        boolean seed = !o.containsKey("no-seed") && !quick;
        String java = o.getOrDefault("java", "java");
        List<String> flags = words(o.getOrDefault("jvm-flags", ""));
        Path out = Path.of(o.getOrDefault("out", "bench/results/latest.json"));

        Receiver receiver = new Receiver().start();
        TRUST_OPTIONS.set(receiver.trustOptions());
        try (ImdsSimulator imds = new ImdsSimulator().start()) {
            imds.setEvents(List.of());
            Path work = Files.createTempDirectory("bench-agent-");
            // --no-eventgrid: the footprint of a VM that only logs (the Azure SDK is then never loaded)
            boolean eventgrid = !o.containsKey("no-eventgrid") && (o.containsKey("eventgrid") || eventgridRouteExists());
            AgentProcess agent = AgentProcess.start(java, flags, imds.baseUrl(), work, eventgrid ? receiver.httpsUrl("/agent") : null,
                    words(o.getOrDefault("env", "")));
            Sampler sampler = new Sampler(agent.pid).start();
            Tail tail = new Tail(agent.records).start();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("label", o.getOrDefault("label", ""));
            result.put("java", javaVersion(java));
            result.put("jvmFlags", String.join(" ", flags));
            result.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "loadavg", loadavg()));

            long firstPoll = agent.awaitFirstPoll(imds, Duration.ofSeconds(60));
            log("first poll %.0f ms after process start", ms(firstPoll - agent.startNanos));
            sleepUntil(agent.startNanos + sec(60));
            Sample s60 = Sample.of(agent.pid);
            log("RSS at 60 s: %d kB (PSS %d kB)", s60.rssKb, s60.pssKb);

            // --- notice latency, agent alone then agent and seed side by side
            Process seedProcess = seed ? startSeed(imds.baseUrl(), receiver.url("/seed/api/events")) : null;
            long seedStart = System.nanoTime();
            Driver driver = new Driver(imds);
            long latencyStart = System.nanoTime();
            driver.shortLived(transitions, new Random(42));
            sleep(3000);
            long latencyEnd = System.nanoTime();
            Map<String, Long> latencyChanges = driver.takeChanges();
            Map<String, Object> seedResult = null;
            Map<String, Long> seedChanges = Map.of();
            long seedEnd = 0;
            if (seed) {
                driver.longLived(seedTransitions);
                seedChanges = driver.takeChanges();
                seedEnd = System.nanoTime();
                stop(seedProcess);
            }

            // --- idle polling until the duration is up
            long idleStart = System.nanoTime();
            Sample idleFrom = Sample.of(agent.pid);
            sleepUntil(agent.startNanos + sec(duration));
            Sample end = Sample.of(agent.pid);
            long idleEnd = System.nanoTime();
            Sample s60cpu = s60;
            agent.stop();
            sampler.stop();
            tail.stop();

            // --- figures
            List<Double> logLat = latencies(latencyChanges, tail.seen);
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("transitions", latencyChanges.size());
            latency.put("pollIntervalMs", 1000);
            latency.put("logFile", stats(logLat, latencyChanges.size()));
            latency.put("eventgrid", eventgrid
                    ? stats(latencies(latencyChanges, receiver.seen("/agent")), latencyChanges.size())
                    : "n/a (eventgrid sink off in this run)");
            result.put("latency", latency);

            if (seed) {
                seedResult = new LinkedHashMap<>();
                seedResult.put("transitions", seedChanges.size());
                seedResult.put("agentLogFile", stats(latencies(seedChanges, tail.seen), seedChanges.size()));
                seedResult.put("seedEventGrid", stats(latencies(seedChanges, receiver.seen("/seed")),
                        seedChanges.size()));
                seedResult.put("seedSeenOfShortLived", latencies(latencyChanges, receiver.seen("/seed")).size());
                seedResult.put("shortLivedTransitions", latencyChanges.size());
                List<Receiver.Post> posts = receiver.posts("/seed");
                double seconds = (seedEnd - seedStart) / 1e9;
                int copies = posts.stream().mapToInt(p -> p.events.size()).sum();
                seedResult.put("seconds", round(seconds, 1));
                seedResult.put("posts", posts.size());
                seedResult.put("eventCopiesSent", copies);
                Map<String, Long> distinct = new ConcurrentHashMap<>();
                posts.forEach(p -> p.events.forEach(k -> distinct.putIfAbsent(k, 0L)));
                seedResult.put("distinctTransitionsSent", distinct.size());
                seedResult.put("resentCopies", copies - distinct.size());
                seedResult.put("postsNotValidJson", posts.stream().filter(p -> !p.validJson).count());
                seedResult.put("postsWithKeyHeader", posts.stream().filter(p -> p.sasKey).count());
                seedResult.put("imdsRequests", imds.requests().stream().filter(r -> isCurl(r)).count());
                long agentRecords = tail.seen.keySet().stream().filter(seedChanges::containsKey).count();
                seedResult.put("agentRecordsForTheseTransitions", agentRecords);
                result.put("seed", seedResult);
            }

            Map<String, Object> footprint = new LinkedHashMap<>();
            footprint.put("firstPollMs", Math.round(ms(firstPoll - agent.startNanos)));
            footprint.put("firstRequestMs", Math.round(ms(agent.firstRequestNanos(imds) - agent.startNanos)));
            footprint.put("rssKb60s", s60.rssKb);
            footprint.put("pssKb60s", s60.pssKb);
            footprint.put("endAtSeconds", Math.round((idleEnd - agent.startNanos) / 1e9));
            footprint.put("rssKbEnd", end.rssKb);
            footprint.put("pssKbEnd", end.pssKb);
            footprint.put("rssKbMax", sampler.maxRss);
            footprint.put("cpuSecondsStartTo60s", round(s60.cpuSeconds, 2));
            double pollingWindow = (end.nanos - s60cpu.nanos) / 1e9;
            double pollingCpu = end.cpuSeconds - s60cpu.cpuSeconds;
            footprint.put("cpuSecondsPerHourAllPolling", round(pollingCpu / pollingWindow * 3600, 1));
            footprint.put("allPollingWindowSeconds", Math.round(pollingWindow));
            double idleWindow = (end.nanos - idleFrom.nanos) / 1e9;
            double idleCpu = end.cpuSeconds - idleFrom.cpuSeconds;
            footprint.put("cpuSecondsPerHourIdlePolling", round(idleCpu / idleWindow * 3600, 1));
            footprint.put("idleWindowSeconds", Math.round(idleWindow));
            footprint.put("percentOfOneCoreIdle", round(idleCpu / idleWindow * 100, 3));
            footprint.put("percentOfOneCoreAllPolling", round(pollingCpu / pollingWindow * 100, 3));
            footprint.put("jarAndLibBytes", jarAndLibBytes());
            footprint.put("libJars", libJars());
            result.put("footprint", footprint);

            List<RecordedRequest> agentReqs = imds.requests().stream().filter(r -> !isCurl(r)).toList();
            Map<String, Object> load = new LinkedHashMap<>();
            load.put("steadyRequestsPerSecond", round(rate(agentReqs, idleStart, idleEnd), 2));
            load.put("requestsPerSecondDuringTransitions", round(rate(agentReqs, latencyStart, latencyEnd), 2));
            load.put("peakRequestsInAnySecond", maxInWindow(agentReqs, sec(1)));
            load.put("agentRequests", agentReqs.size());
            load.put("seedRequests", imds.requests().size() - agentReqs.size());
            result.put("imdsLoad", load);
            result.put("agentLog", agent.log.toString());

            Files.createDirectories(out.getParent());
            Files.writeString(out, JSON.writeValueAsString(result));
            System.out.println(table(result));
            System.out.println("(JSON: " + out + ")");
        } finally {
            receiver.stop();
        }
    }

    // ------------------------------------------------------------------------------------------------ compare

    /** A and B in turn (A B A B ...), each run: start, first poll, hold, sample, stop. Medians and ratios. */
    static void compare(Map<String, String> o) throws Exception {
        int runs = Integer.parseInt(o.getOrDefault("runs", "3"));
        int hold = Integer.parseInt(o.getOrDefault("hold", "30"));
        String[] javas = {o.getOrDefault("java-a", "java"), o.getOrDefault("java-b", "java")};
        String[] flagSets = {o.getOrDefault("a", ""), o.getOrDefault("b", "")};
        String[] envs = {o.getOrDefault("env-a", ""), o.getOrDefault("env-b", "")};
        List<List<double[]>> figures = List.of(new ArrayList<>(), new ArrayList<>());
        try (ImdsSimulator imds = new ImdsSimulator().start()) {
            imds.setEvents(List.of());
            for (int r = 0; r < runs; r++) {
                for (int v = 0; v < 2; v++) {
                    Path work = Files.createTempDirectory("bench-cmp-");
                    imds.clearRequests();
                    AgentProcess agent = AgentProcess.start(javas[v], words(flagSets[v]), imds.baseUrl(), work, null,
                            words(envs[v]));
                    long first = agent.awaitFirstPoll(imds, Duration.ofSeconds(60));
                    Sample startup = Sample.of(agent.pid);
                    sleepUntil(agent.startNanos + sec(hold));
                    Sample s = Sample.of(agent.pid);
                    double cpuRate = (s.cpuSeconds - startup.cpuSeconds) / ((s.nanos - startup.nanos) / 1e9);
                    agent.stop();
                    figures.get(v).add(new double[] {ms(first - agent.startNanos), s.rssKb / 1024.0,
                            s.pssKb / 1024.0, startup.cpuSeconds, cpuRate * 3600});
                    log("%s run %d: first poll %.0f ms, RSS %.1f MB, PSS %.1f MB, cpu to first poll %.2f s, %.1f cpu-s/h",
                            v == 0 ? "A" : "B", r + 1, ms(first - agent.startNanos), s.rssKb / 1024.0,
                            s.pssKb / 1024.0, startup.cpuSeconds, cpuRate * 3600);
                }
            }
        }
        String[] names = {"first poll ms", "RSS MB @" + hold + "s", "PSS MB @" + hold + "s", "cpu s to first poll",
                "cpu s/h after start"};
        StringBuilder t = new StringBuilder();
        t.append(String.format("A: %s %s %s%nB: %s %s %s%n", envs[0], javas[0], flagSets[0], envs[1], javas[1], flagSets[1]));
        t.append(String.format("%-22s %12s %12s %16s%n", "median of " + runs, "A", "B", "A/B (median)"));
        for (int f = 0; f < names.length; f++) {
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ratios.add(figures.get(0).get(r)[f] / figures.get(1).get(r)[f]);
            }
            final int ff = f;
            t.append(String.format("%-22s %12.1f %12.1f %16.2f%n", names[f],
                    median(figures.get(0).stream().map(x -> x[ff]).toList()),
                    median(figures.get(1).stream().map(x -> x[ff]).toList()), median(ratios)));
        }
        System.out.print(t);
    }

    // ------------------------------------------------------------------------------------------------ the agent

    static final class AgentProcess {
        final Process process;
        final long pid;
        final long startNanos;
        final Path records;
        final StringBuilder log = new StringBuilder();

        private AgentProcess(Process p, long startNanos, Path records) {
            this.process = p;
            this.pid = p.pid();
            this.startNanos = startNanos;
            this.records = records;
        }

        static AgentProcess start(String java, List<String> flags, String imdsUrl, Path work, String eventgridUrl,
                                  List<String> extraEnv) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags);
            cmd.add("-jar");
            cmd.add(ROOT.resolve("target/scheduled-events-agent.jar").toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
            Path records = work.resolve("records.jsonl");
            Map<String, String> env = pb.environment();
            env.put("AGENT_IMDS_URL", imdsUrl);
            env.put("AGENT_STATE_DIR", work.resolve("state").toString());
            env.put("AGENT_SINK_LOG_FILE", records.toString());
            env.put("AGENT_HEALTH_PORT", String.valueOf(freePort()));
            if (eventgridUrl != null) {
                env.put("AGENT_SINKS", "log,eventgrid");
                env.put("AGENT_EVENTGRID_ENDPOINT", eventgridUrl + "/api/events");
                env.put("AGENT_EVENTGRID_KEY", "bench-key");
                env.put("JAVA_TOOL_OPTIONS", TRUST_OPTIONS.get());
            }
            for (String kv : extraEnv) {
                env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            pb.redirectOutput(work.resolve("stdout").toFile());
            pb.redirectError(work.resolve("stderr").toFile());
            long start = System.nanoTime();
            AgentProcess a = new AgentProcess(pb.start(), start, records);
            log("agent pid %d: %s (work %s)", a.pid, String.join(" ", cmd), work);
            return a;
        }

        long awaitFirstPoll(ImdsSimulator imds, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (RecordedRequest r : imds.requests()) {
                    if (!isCurl(r) && r.pathAndQuery().startsWith("/metadata/scheduledevents") && r.receivedNanos() > startNanos) {
                        return r.receivedNanos();
                    }
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("agent exited with " + process.exitValue());
                }
                Thread.sleep(2);
            }
            throw new IllegalStateException("no poll within " + timeout);
        }

        long firstRequestNanos(ImdsSimulator imds) {
            return imds.requests().stream().filter(r -> !isCurl(r) && r.receivedNanos() > startNanos)
                    .mapToLong(RecordedRequest::receivedNanos).min().orElse(startNanos);
        }

        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            Path err = records.resolveSibling("stderr");
            if (Files.exists(err)) {
                log.append(Files.readString(err));
            }
        }
    }

    static boolean isCurl(RecordedRequest r) {
        return r.userAgent() != null && r.userAgent().startsWith("curl");
    }

    static boolean eventgridRouteExists() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("routes"))) {
            return s.anyMatch(p -> p.getFileName().toString().contains("sink-eventgrid"));
        }
    }

    // ------------------------------------------------------------------------------------------------ the seed

    static Process startSeed(String imdsUrl, String endpoint) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("bench/seed/seed.sh").toString());
        pb.environment().put("SEED_IMDS_URL", imdsUrl);
        pb.environment().put("SEED_ENDPOINT", endpoint);
        pb.environment().put("SEED_KEY", "bench-key");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        log("seed script pid %d", p.pid());
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        p.waitFor(5, TimeUnit.SECONDS);
        children.forEach(ProcessHandle::destroy);
    }

    // --------------------------------------------------------------------------------------------- the changes

    /** Changes the simulator's document at known instants and remembers, per (EventId, status), the instant. */
    static final class Driver {
        final ImdsSimulator imds;
        final Map<String, SimEvent> live = new LinkedHashMap<>();
        Map<String, Long> changes = new LinkedHashMap<>();
        int counter;

        Driver(ImdsSimulator imds) {
            this.imds = imds;
        }

        private void apply(String id, String status, SimEvent next) {
            if (next == null) {
                live.remove(id);
            } else {
                live.put(id, next);
            }
            long at = System.nanoTime();
            imds.setEvents(List.copyOf(live.values()));
            changes.put(key(id, status), at);
        }

        private String newId() {
            return String.format("BE0C0000-0000-4000-8000-%012d", ++counter);
        }

        /**
         * One event at a time: Scheduled, Started, gone (the agent's Completed); one transition per change, changes
         * 1 to 2 s apart (uniformly at random, so they fall at every phase of the agent's poll).
         */
        void shortLived(int transitions, Random random) throws InterruptedException {
            long next = System.nanoTime() + sec(1);
            SimEvent current = null;
            for (int i = 0; i < transitions; i++) {
                sleepUntil(next);
                if (current == null) {
                    String id = newId();
                    current = SimEvent.scheduled(id, "Freeze", Instant.now().plusSeconds(900), "myvm");
                    apply(id, "Scheduled", current);
                } else if (current.eventStatus().equals("Scheduled")) {
                    current = current.started();
                    apply(current.eventId(), "Started", current);
                } else {
                    apply(current.eventId(), "Completed", null);
                    current = null;
                }
                next += (long) (1e9 + random.nextDouble() * 1e9);
            }
            if (current != null) {            // leave the document empty; this last change is not measured
                live.clear();
                imds.setEvents(List.of());
            }
        }

        /**
         * The seed side by side: n/2 events appear Scheduled 6 s apart, each is Started 36 s after it appeared, and
         * all disappear 36 s after the last start: every state lasts longer than the seed's 30 s sleep.
         */
        void longLived(int transitions) throws InterruptedException {
            int events = Math.max(1, transitions / 2);
            long t0 = System.nanoTime() + sec(1);
            List<SimEvent> created = new ArrayList<>();
            for (int k = 0; k < events; k++) {
                sleepUntil(t0 + sec(6L * k));
                String id = newId();
                SimEvent e = SimEvent.scheduled(id, "Reboot", Instant.now().plusSeconds(900), "myvm");
                created.add(e);
                apply(id, "Scheduled", e);
            }
            for (int k = 0; k < events; k++) {
                sleepUntil(t0 + sec(36 + 6L * k));
                SimEvent e = created.get(k).started();
                apply(e.eventId(), "Started", e);
            }
            sleepUntil(t0 + sec(36 + 6L * (events - 1) + 36));
            live.clear();
            imds.setEvents(List.of());
            sleep(3000);
        }

        Map<String, Long> takeChanges() {
            Map<String, Long> c = changes;
            changes = new LinkedHashMap<>();
            return c;
        }
    }

    static String key(String id, String status) {
        return id.toUpperCase() + "/" + status;
    }

    // ----------------------------------------------------------------------------------------------- observers

    /** Follows the records file at 1 ms granularity; first sight of each (EventId, EventStatus). */
    static final class Tail implements Runnable {
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
                            JsonNode r = JSON.readTree(line);
                            seen.putIfAbsent(key(r.path("EventId").asText(), r.path("EventStatus").asText()), now);
                        }
                    }
                    Thread.sleep(1);
                } catch (Exception e) {
                    log("tail: %s", e);
                }
            }
        }

        void stop() {
            running = false;
        }
    }

    /** Loopback stand-in for an Event Grid topic: counts POSTs, notes when each (EventId, EventStatus) arrives. */
    /** Set once the receiver runs: how an agent trusts its HTTPS side. */
    static final java.util.concurrent.atomic.AtomicReference<String> TRUST_OPTIONS =
            new java.util.concurrent.atomic.AtomicReference<>("");

    static final class Receiver {
        record Post(String path, long nanos, boolean validJson, boolean sasKey, List<String> events) {
        }

        static final Pattern ID = Pattern.compile("\"EventId\"\\s*:\\s*\"([^\"]+)\"");
        static final Pattern STATUS = Pattern.compile("\"EventStatus\"\\s*:\\s*\"([^\"]+)\"");
        static final String PASSWORD = "bench-only";
        final List<Post> posts = new CopyOnWriteArrayList<>();
        HttpServer server;
        // Event Grid takes keys over HTTPS only (the agent refuses http://): the agent posts here, trusting a
        // certificate made for this run, the way a user with a private CA would (JAVA_TOOL_OPTIONS)
        com.sun.net.httpserver.HttpsServer tlsServer;
        Path trustStore;

        Receiver start() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            tlsServer = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            tlsServer.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tlsContext()));
            com.sun.net.httpserver.HttpHandler handler = x -> {
                long now = System.nanoTime();
                byte[] body;
                try (InputStream in = x.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String text = new String(body, StandardCharsets.UTF_8);
                boolean valid;
                try {
                    JSON.readTree(text);
                    valid = true;
                } catch (IOException e) {
                    valid = false;
                }
                // lenient: pairs of EventId and EventStatus in order of appearance (the seed's bodies may not parse)
                List<String> events = new ArrayList<>();
                Matcher ids = ID.matcher(text);
                Matcher st = STATUS.matcher(text);
                int from = 0;
                while (ids.find(from)) {
                    if (st.find(ids.end())) {
                        events.add(key(ids.group(1), st.group(1)));
                        from = ids.end();
                    } else {
                        break;
                    }
                }
                posts.add(new Post(x.getRequestURI().getPath(), now, valid,
                        x.getRequestHeaders().getFirst("aeg-sas-key") != null, events));
                x.sendResponseHeaders(200, -1);
                x.close();
            };
            server.createContext("/", handler);
            tlsServer.createContext("/", handler);
            server.start();
            tlsServer.start();
            return this;
        }

        private javax.net.ssl.SSLContext tlsContext() throws Exception {
            Path dir = Files.createTempDirectory("bench-tls-");
            Path keyStore = dir.resolve("receiver.p12");
            Path cert = dir.resolve("receiver.crt");
            trustStore = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "receiver", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-rfc", "-file", cert.toString());
            keytool("-importcert", "-noprompt", "-alias", "bench-ca", "-file", cert.toString(), "-storetype",
                    "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        }

        private static void keytool(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output);
            }
        }

        String url(String prefix) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
        }

        String httpsUrl(String prefix) {
            return "https://127.0.0.1:" + tlsServer.getAddress().getPort() + prefix;
        }

        /** JAVA_TOOL_OPTIONS for an agent that must trust this receiver. */
        String trustOptions() {
            return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD;
        }

        List<Post> posts(String prefix) {
            return posts.stream().filter(p -> p.path.startsWith(prefix)).toList();
        }

        Map<String, Long> seen(String prefix) {
            Map<String, Long> seen = new LinkedHashMap<>();
            for (Post p : posts(prefix)) {
                p.events.forEach(k -> seen.putIfAbsent(k, p.nanos));
            }
            return seen;
        }

        void stop() {
            if (server != null) {
                server.stop(0);
            }
            if (tlsServer != null) {
                tlsServer.stop(0);
            }
        }
    }

    /** /proc figures of one process. */
    record Sample(long nanos, long rssKb, long pssKb, double cpuSeconds) {
        static Sample of(long pid) {
            long now = System.nanoTime();
            return new Sample(now, procKb(pid, "status", "VmRSS:"), procKb(pid, "smaps_rollup", "Pss:"), cpu(pid));
        }

        static long procKb(long pid, String file, String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                // process gone
            }
            return -1;
        }

        static double cpu(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** Samples RSS once a second for the maximum. */
    static final class Sampler implements Runnable {
        final long pid;
        volatile long maxRss;
        volatile boolean running = true;

        Sampler(long pid) {
            this.pid = pid;
        }

        Sampler start() {
            Thread t = new Thread(this, "sampler");
            t.setDaemon(true);
            t.start();
            return this;
        }

        public void run() {
            while (running) {
                maxRss = Math.max(maxRss, Sample.procKb(pid, "status", "VmRSS:"));
                sleep(1000);
            }
        }

        void stop() {
            running = false;
        }
    }

    // ------------------------------------------------------------------------------------------------- figures

    static List<Double> latencies(Map<String, Long> changes, Map<String, Long> seen) {
        List<Double> l = new ArrayList<>();
        changes.forEach((k, at) -> {
            Long s = seen.get(k);
            if (s != null) {
                l.add(ms(s - at));
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
        long total = Files.size(ROOT.resolve("target/scheduled-events-agent.jar"));
        try (Stream<Path> s = Files.list(ROOT.resolve("target/lib"))) {
            for (Path p : s.toList()) {
                total += Files.size(p);
            }
        }
        return total;
    }

    static long libJars() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("target/lib"))) {
            return s.count();
        }
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
                load.get("peakRequestsInAnySecond"), seed == null ? "-" : round(((Number) seed.get("imdsRequests")).doubleValue() / ((Number) seed.get("seconds")).doubleValue(), 3)));
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
