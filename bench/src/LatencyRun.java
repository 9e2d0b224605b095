import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.RecordedRequest;

/**
 * {@code bench/run} without a mode: start-up, notice latency, the seed side by side, idle polling; the table on stdout,
 * the figures in bench/results/latest.json.
 */
final class LatencyRun {
    private LatencyRun() {
    }

    static void run(Map<String, String> o) throws Exception {
        boolean quick = o.containsKey("quick");
        int duration = Integer.parseInt(o.getOrDefault("duration", quick ? "150" : "600"));
        int transitions = Integer.parseInt(o.getOrDefault("transitions", quick ? "30" : "120"));
        int seedTransitions = Integer.parseInt(o.getOrDefault("seed-transitions", "10"));
        boolean seed = !o.containsKey("no-seed") && !quick;
        String java = o.getOrDefault("java", "java");
        List<String> flags = Bench.words(o.getOrDefault("jvm-flags", ""));
        Path out = Path.of(o.getOrDefault("out", "bench/results/latest.json"));

        Receiver receiver = new Receiver().start();
        Receiver.TRUST_OPTIONS.set(receiver.trustOptions());
        try (ImdsSimulator imds = new ImdsSimulator().start()) {
            imds.setEvents(List.of());
            Path work = Files.createTempDirectory("bench-agent-");
            // --no-eventgrid: the footprint of a VM that only logs (the Azure SDK is then never loaded)
            boolean eventgrid = !o.containsKey("no-eventgrid") && (o.containsKey("eventgrid") || eventgridRouteExists());
            AgentProcess agent = AgentProcess.start(java, flags, imds.baseUrl(), work, eventgrid ? receiver.httpsUrl("/agent") : null,
                    Bench.words(o.getOrDefault("env", "")));
            Sampler sampler = new Sampler(agent.pid).start();
            Tail tail = new Tail(agent.records).start();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("label", o.getOrDefault("label", ""));
            result.put("java", Bench.javaVersion(java));
            result.put("jvmFlags", String.join(" ", flags));
            result.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "loadavg", Bench.loadavg()));

            long firstPoll = agent.awaitFirstPoll(imds, Duration.ofSeconds(60));
            Bench.log("first poll %.0f ms after process start", Bench.ms(firstPoll - agent.startNanos));
            Bench.sleepUntil(agent.startNanos + Bench.sec(60));
            Sample s60 = Sample.of(agent.pid);
            Bench.log("RSS at 60 s: %d kB (PSS %d kB)", s60.rssKb(), s60.pssKb());

            // --- notice latency, agent alone then agent and seed side by side
            Process seedProcess = seed ? Seed.startSeed(imds.baseUrl(), receiver.url("/seed/api/events")) : null;
            long seedStart = System.nanoTime();
            Driver driver = new Driver(imds);
            long latencyStart = System.nanoTime();
            driver.shortLived(transitions, new Random(42));
            Bench.sleep(3000);
            long latencyEnd = System.nanoTime();
            Map<String, Long> latencyChanges = driver.takeChanges();
            Map<String, Object> seedResult = null;
            Map<String, Long> seedChanges = Map.of();
            long seedEnd = 0;
            if (seed) {
                driver.longLived(seedTransitions);
                seedChanges = driver.takeChanges();
                seedEnd = System.nanoTime();
                Seed.stop(seedProcess);
            }

            // --- idle polling until the duration is up
            long idleStart = System.nanoTime();
            Sample idleFrom = Sample.of(agent.pid);
            Bench.sleepUntil(agent.startNanos + Bench.sec(duration));
            Sample end = Sample.of(agent.pid);
            long idleEnd = System.nanoTime();
            Sample s60cpu = s60;
            agent.stop();
            sampler.stop();
            tail.stop();

            // --- figures
            List<Double> logLat = Figures.latencies(latencyChanges, tail.seen);
            Map<String, Object> latency = new LinkedHashMap<>();
            latency.put("transitions", latencyChanges.size());
            latency.put("pollIntervalMs", 1000);
            latency.put("logFile", Figures.stats(logLat, latencyChanges.size()));
            latency.put("eventgrid", eventgrid
                    ? Figures.stats(Figures.latencies(latencyChanges, receiver.seen("/agent")), latencyChanges.size())
                    : "n/a (eventgrid sink off in this run)");
            result.put("latency", latency);

            if (seed) {
                seedResult = new LinkedHashMap<>();
                seedResult.put("transitions", seedChanges.size());
                seedResult.put("agentLogFile", Figures.stats(Figures.latencies(seedChanges, tail.seen), seedChanges.size()));
                seedResult.put("seedEventGrid", Figures.stats(Figures.latencies(seedChanges, receiver.seen("/seed")),
                        seedChanges.size()));
                seedResult.put("seedSeenOfShortLived", Figures.latencies(latencyChanges, receiver.seen("/seed")).size());
                seedResult.put("shortLivedTransitions", latencyChanges.size());
                List<Receiver.Post> posts = receiver.posts("/seed");
                double seconds = (seedEnd - seedStart) / 1e9;
                int copies = posts.stream().mapToInt(p -> p.events().size()).sum();
                seedResult.put("seconds", Bench.round(seconds, 1));
                seedResult.put("posts", posts.size());
                seedResult.put("eventCopiesSent", copies);
                Map<String, Long> distinct = new ConcurrentHashMap<>();
                posts.forEach(p -> p.events().forEach(k -> distinct.putIfAbsent(k, 0L)));
                seedResult.put("distinctTransitionsSent", distinct.size());
                seedResult.put("resentCopies", copies - distinct.size());
                seedResult.put("postsNotValidJson", posts.stream().filter(p -> !p.validJson()).count());
                seedResult.put("postsWithKeyHeader", posts.stream().filter(p -> p.sasKey()).count());
                seedResult.put("imdsRequests", imds.requests().stream().filter(r -> Bench.isCurl(r)).count());
                long agentRecords = tail.seen.keySet().stream().filter(seedChanges::containsKey).count();
                seedResult.put("agentRecordsForTheseTransitions", agentRecords);
                result.put("seed", seedResult);
            }

            Map<String, Object> footprint = new LinkedHashMap<>();
            footprint.put("firstPollMs", Math.round(Bench.ms(firstPoll - agent.startNanos)));
            footprint.put("firstRequestMs", Math.round(Bench.ms(agent.firstRequestNanos(imds) - agent.startNanos)));
            footprint.put("rssKb60s", s60.rssKb());
            footprint.put("pssKb60s", s60.pssKb());
            footprint.put("endAtSeconds", Math.round((idleEnd - agent.startNanos) / 1e9));
            footprint.put("rssKbEnd", end.rssKb());
            footprint.put("pssKbEnd", end.pssKb());
            footprint.put("rssKbMax", sampler.maxRss);
            footprint.put("cpuSecondsStartTo60s", Bench.round(s60.cpuSeconds(), 2));
            double pollingWindow = (end.nanos() - s60cpu.nanos()) / 1e9;
            double pollingCpu = end.cpuSeconds() - s60cpu.cpuSeconds();
            footprint.put("cpuSecondsPerHourAllPolling", Bench.round(pollingCpu / pollingWindow * 3600, 1));
            footprint.put("allPollingWindowSeconds", Math.round(pollingWindow));
            double idleWindow = (end.nanos() - idleFrom.nanos()) / 1e9;
            double idleCpu = end.cpuSeconds() - idleFrom.cpuSeconds();
            footprint.put("cpuSecondsPerHourIdlePolling", Bench.round(idleCpu / idleWindow * 3600, 1));
            footprint.put("idleWindowSeconds", Math.round(idleWindow));
            footprint.put("percentOfOneCoreIdle", Bench.round(idleCpu / idleWindow * 100, 3));
            footprint.put("percentOfOneCoreAllPolling", Bench.round(pollingCpu / pollingWindow * 100, 3));
            footprint.put("jarAndLibBytes", Figures.jarAndLibBytes());
            footprint.put("libJars", Figures.libJars());
            result.put("footprint", footprint);

            List<RecordedRequest> agentReqs = imds.requests().stream().filter(r -> !Bench.isCurl(r)).toList();
            Map<String, Object> load = new LinkedHashMap<>();
            load.put("steadyRequestsPerSecond", Bench.round(Figures.rate(agentReqs, idleStart, idleEnd), 2));
            load.put("requestsPerSecondDuringTransitions", Bench.round(Figures.rate(agentReqs, latencyStart, latencyEnd), 2));
            load.put("peakRequestsInAnySecond", Figures.maxInWindow(agentReqs, Bench.sec(1)));
            load.put("agentRequests", agentReqs.size());
            load.put("seedRequests", imds.requests().size() - agentReqs.size());
            result.put("imdsLoad", load);
            result.put("agentLog", agent.log.toString());

            Files.createDirectories(out.getParent());
            Files.writeString(out, Bench.JSON.writeValueAsString(result));
            System.out.println(ResultsTable.table(result));
            System.out.println("(JSON: " + out + ")");
        } finally {
            receiver.stop();
        }
    }

    static boolean eventgridRouteExists() throws IOException {
        try (Stream<Path> s = Files.list(Bench.ROOT.resolve("routes"))) {
            return s.anyMatch(p -> p.getFileName().toString().contains("sink-eventgrid"));
        }
    }
}
