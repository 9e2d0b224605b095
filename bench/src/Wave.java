import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import scheduledevents.simulator.Approval;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.Scenario;
import scheduledevents.simulator.ScenarioEvent;

/**
 * {@code bench/run wave}: the agent's memory under a maintenance wave. Every sink on (log, Event Grid, mail, webhook,
 * each with a loopback receiver), hooks for every event type and {@code .completed}, {@code agent.ack.policy =
 * after-hooks}, and events naming this VM entering Scheduled, Started (approved after the hooks, or at NotBefore) and
 * gone, {@code --rate} new events a second for {@code --duration} seconds. Samples RSS, threads and open files every
 * {@code --sample} seconds; counts per sink what arrived, missing and duplicated; with {@code --nmt}, Native Memory
 * Tracking's summary (and a heap histogram) before and after the wave.
 *
 * <pre>
 * wave [--duration 600] [--rate 1.5] [--notice 10] [--run 5] [--warmup 30] [--sample 10] [--nmt]
 *      [--java PATH] [--jvm-flags "..."] [--add-flags "..."] [--env "K=V ..."] [--label L]
 *      [--out bench/results/wave.json] [--burst N]
 * </pre>
 * With {@code --burst N} (e.g. 11500, a 1 MiB document): instead of the wave, one document of N events naming
 * another VM with {@code agent.scope=all}, held {@code --duration} seconds; what the sinks got by then is counted.
 * <pre>
 * </pre>
 */
final class Wave {
    static final List<String> TYPES = List.of("Freeze", "Reboot", "Redeploy", "Preempt", "Terminate");
    static final List<String> SINKS = List.of("log", "eventgrid", "mail", "webhook");
    /** With --burst N: one document of N events naming other VMs (agent.scope=all), instead of the wave. */
    static int burst;
    /** The statuses each event should reach in every sink. */
    static List<String> statuses = List.of("Scheduled", "Started", "Completed");
    static final Pattern NMT_LINE = Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private Wave() {
    }

    static void run(Map<String, String> o) throws Exception {
        int duration = Integer.parseInt(o.getOrDefault("duration", "600"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "1.5"));
        int notice = Integer.parseInt(o.getOrDefault("notice", "10"));
        int runFor = Integer.parseInt(o.getOrDefault("run", "5"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "30"));
        int every = Integer.parseInt(o.getOrDefault("sample", "10"));
        boolean nmt = o.containsKey("nmt");
        String java = o.getOrDefault("java", "java");
        List<String> flags = new ArrayList<>(Bench.words(o.getOrDefault("jvm-flags", "")));
        // experiments: flags added after the ENTRYPOINT's (a later flag wins)
        flags.addAll(Bench.words(o.getOrDefault("add-flags", "")));
        if (nmt) {
            flags.add(0, "-XX:NativeMemoryTracking=summary");
        }
        Path out = Path.of(o.getOrDefault("out", "bench/results/wave.json"));
        burst = Integer.parseInt(o.getOrDefault("burst", "0"));
        if (burst > 0) {
            statuses = List.of("Scheduled");
            rate = Double.POSITIVE_INFINITY;
        }
        int events = burst > 0 ? burst : (int) Math.round(duration * rate);

        Receiver receiver = new Receiver().start();
        Receiver.TRUST_OPTIONS.set(receiver.trustOptions());
        SmtpReceiver smtp = new SmtpReceiver().start();
        try (ImdsSimulator imds = new ImdsSimulator().start()) {
            imds.setEvents(List.of());
            Path work = Files.createTempDirectory("bench-wave-");
            Path hookRuns = work.resolve("hook-runs.log");
            Path hooks = writeHooks(work.resolve("hooks"), hookRuns);
            List<String> env = new ArrayList<>(List.of(
                    "AGENT_SINKS=" + String.join(",", SINKS),
                    "AGENT_MAIL_HOST=127.0.0.1", "AGENT_MAIL_PORT=" + smtp.port(), "AGENT_MAIL_PROTOCOL=smtp",
                    "AGENT_MAIL_STARTTLS=false", "AGENT_MAIL_FROM=agent@bench.invalid",
                    "AGENT_MAIL_TO=ops@bench.invalid",
                    "AGENT_WEBHOOK_URL=" + receiver.url("/webhook/hook"), "AGENT_WEBHOOK_FORMAT=json",
                    "AGENT_HOOKS_DIR=" + hooks, "AGENT_ACK_POLICY=after-hooks"));
            if (burst > 0) {
                env.add("AGENT_SCOPE=all"); // records for every event; hooks only run for events naming this VM
            }
            env.addAll(Bench.words(o.getOrDefault("env", "")));
            AgentProcess agent = AgentProcess.start(java, flags, imds.baseUrl(), work,
                    receiver.httpsUrl("/agent"), env);
            Curve curve = new Curve(agent.pid, agent.startNanos, every).start();
            Tail tail = new Tail(agent.records).start();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("label", o.getOrDefault("label", ""));
            result.put("java", Bench.javaVersion(java));
            result.put("jvmFlags", String.join(" ", flags));
            result.put("env", String.join(" ", Bench.words(o.getOrDefault("env", ""))));
            result.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(),
                    "loadavg", Bench.loadavg()));
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("waveSeconds", duration);
            settings.put("eventsPerSecond", rate);
            settings.put("events", events);
            settings.put("noticeSeconds", notice);
            settings.put("runSeconds", runFor);
            settings.put("sinks", SINKS);
            settings.put("ackPolicy", "after-hooks");
            settings.put("hooks", TYPES.size() * 2);
            result.put("settings", settings);

            long firstPoll = agent.awaitFirstPoll(imds, Duration.ofSeconds(60));
            Bench.log("first poll %.0f ms after process start", Bench.ms(firstPoll - agent.startNanos));
            Bench.sleepUntil(agent.startNanos + Bench.sec(warmup));
            Proc before = Proc.of(agent.pid, agent.startNanos);
            Map<String, Long> nmtBefore = nmt ? nativeMemory(agent.pid, work.resolve("nmt-before.txt")) : null;
            if (nmt) {
                jcmd(agent.pid, work.resolve("class-histogram-before.txt"), "GC.class_histogram");
                Files.copy(Path.of("/proc/" + agent.pid + "/smaps"), work.resolve("smaps-before.txt"));
            }

            // --- the wave
            long waveStart = System.nanoTime();
            long lastGone;
            if (burst > 0) {
                String document = burstDocument(burst);
                imds.setDocument(document);
                settings.put("documentBytes", document.getBytes(StandardCharsets.UTF_8).length);
                Bench.log("burst: one document of %d events (%d bytes), held %d s; work %s", burst,
                        settings.get("documentBytes"), duration, work);
                lastGone = waveStart + Bench.sec(duration);
            } else {
                imds.play(scenario(events, rate, notice, runFor), 1.0);
                Bench.log("wave: %d events, %.2f a second, %d s notice, %d s running; work %s", events, rate, notice,
                        runFor, work);
                lastGone = waveStart + Bench.sec(duration + notice + runFor);
            }
            Bench.sleepUntil(lastGone);
            Proc waveEnd = Proc.of(agent.pid, agent.startNanos);
            // let the sinks and the respond stage finish: until all is there, or the queues are empty and nothing
            // arrived for 10 s (an event whose Started fell between two polls is Canceled: fewer records), 3 min at most
            long drainDeadline = System.nanoTime() + Bench.sec(180);
            long progress = -1;
            long progressAt = System.nanoTime();
            while (burst == 0 && System.nanoTime() < drainDeadline && !allDelivered(events, tail, receiver, smtp, hookRuns)) {
                long now = arrived(tail, receiver, smtp, hookRuns);
                if (now != progress) {
                    progress = now;
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > Bench.sec(10) && queuesEmpty(work.resolve("state/queue"))) {
                    break;
                }
                Bench.sleep(500);
            }
            long drained = System.nanoTime();
            Bench.sleep(2000);
            Proc end = Proc.of(agent.pid, agent.startNanos);
            Map<String, Long> nmtAfter = nmt ? nativeMemory(agent.pid, work.resolve("nmt-after.txt")) : null;
            if (nmt) {
                jcmd(agent.pid, work.resolve("class-histogram-after.txt"), "GC.class_histogram");
                jcmd(agent.pid, work.resolve("heap-after.txt"), "GC.heap_info");
                jcmd(agent.pid, work.resolve("metaspace-after.txt"), "VM.metaspace");
                Files.copy(Path.of("/proc/" + agent.pid + "/smaps"), work.resolve("smaps-after.txt"));
            }
            agent.stop();
            curve.stop();
            tail.stop();

            // --- figures
            Map<String, Object> sinks = new LinkedHashMap<>();
            sinks.put("log", sinkFigures(events, logFileKeys(agent.records), tail.seen, waveStart, rate));
            sinks.put("eventgrid", sinkFigures(events, keysOf(receiver.posts("/agent")), receiver.seen("/agent"),
                    waveStart, rate));
            List<String> mailKeys = new ArrayList<>();
            Map<String, Long> mailSeen = new LinkedHashMap<>();
            for (SmtpReceiver.Mail m : smtp.mails) {
                mailKeys.addAll(m.events());
                m.events().forEach(k -> mailSeen.putIfAbsent(k, m.nanos()));
            }
            Map<String, Object> mail = sinkFigures(events, mailKeys, mailSeen, waveStart, rate);
            mail.put("mailsWithoutRecord", smtp.mails.stream().filter(m -> m.events().isEmpty()).count());
            sinks.put("mail", mail);
            sinks.put("webhook", sinkFigures(events, keysOf(receiver.posts("/webhook")), receiver.seen("/webhook"),
                    waveStart, rate));
            result.put("sinks", sinks);
            result.put("respond", respondFigures(events, hookRuns, imds.approvals()));

            Map<String, Object> footprint = new LinkedHashMap<>();
            footprint.put("firstPollMs", Math.round(Bench.ms(firstPoll - agent.startNanos)));
            footprint.put("beforeWave", before.toMap());
            footprint.put("endOfWave", waveEnd.toMap());
            footprint.put("end", end.toMap());
            footprint.put("drainSeconds", Bench.round((drained - lastGone) / 1e9, 1));
            List<Proc> samples = List.copyOf(curve.samples);
            long maxRss = samples.stream().mapToLong(p -> p.rssKb).max().orElse(-1);
            footprint.put("rssKbMax", Math.max(maxRss, end.rssKb));
            footprint.put("rssKbMaxAtSeconds", samples.stream().filter(p -> p.rssKb == maxRss)
                    .mapToLong(p -> p.atSeconds).findFirst().orElse(-1));
            // "stops growing": the last three minutes of the wave against the three before them
            long waveEndAt = Math.round((lastGone - agent.startNanos) / 1e9);
            footprint.put("rssKbGrowthLast3MinOfWave", growth(samples, waveEndAt - 180, waveEndAt));
            footprint.put("rssKbGrowth3MinBefore", growth(samples, waveEndAt - 360, waveEndAt - 180));
            footprint.put("flatFromSeconds", flatFrom(samples));
            footprint.put("cpuSecondsDuringWave", Bench.round(waveEnd.cpuSeconds - before.cpuSeconds, 1));
            result.put("footprint", footprint);
            List<Map<String, Object>> curveOut = new ArrayList<>();
            samples.forEach(p -> curveOut.add(p.toMap()));
            result.put("curve", curveOut);
            if (nmt) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("committedKbBeforeWave", nmtBefore);
                n.put("committedKbAfter", nmtAfter);
                n.put("files", work.toString());
                result.put("nativeMemory", n);
            }
            String log = agent.log.toString();
            List<String> problems = log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
            result.put("agentWarningsAndErrors", problems.size());
            result.put("agentWarningsAndErrorsFirst", problems.stream().limit(20).toList());
            result.put("work", work.toString());

            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Bench.JSON.writeValueAsString(result));
            System.out.println(table(result, samples));
            System.out.println("(JSON: " + out + ")");
        } finally {
            smtp.stop();
            receiver.stop();
        }
    }

    // ------------------------------------------------------------------------------------------------ the wave

    /**
     * {@code events} events naming this VM, one every 1/rate s, the types in turn: each appears Scheduled with
     * NotBefore {@code notice} s later, is Started when approved (or at NotBefore) and disappears {@code run} s
     * after it started. The simulator plays it (and applies the approvals) in real time.
     */
    static Scenario scenario(int events, double rate, int notice, int run) {
        List<ScenarioEvent> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add(new ScenarioEvent(eventId(i), TYPES.get(i % TYPES.size()), "VirtualMachine",
                    List.of(ScenarioEvent.VM_PLACEHOLDER), "Platform", "Maintenance wave, event " + (i + 1), 5,
                    i / rate, (double) notice, (double) run, null, null));
        }
        return new Scenario("maintenance-wave", "bench/run wave", 1.0, list, List.of());
    }

    static String eventId(int i) {
        return burst > 0 ? String.format("B%05d", i + 1) : String.format("3A7E0000-0000-4000-8000-%012d", i + 1);
    }

    /**
     * One document of n small events (the fields the agent needs, about 90 bytes each: 11,500 make 1 MiB, the
     * agent's limit), naming another VM: a burst of Scheduled records for every sink, no hooks.
     */
    static String burstDocument(int n) {
        StringBuilder d = new StringBuilder("{\"DocumentIncarnation\":2,\"Events\":[");
        for (int i = 0; i < n; i++) {
            d.append(i == 0 ? "" : ",").append("{\"EventId\":\"").append(eventId(i))
                    .append("\",\"EventStatus\":\"Scheduled\",\"EventType\":\"").append(TYPES.get(i % TYPES.size()))
                    .append("\",\"Resources\":[\"vm2\"]}");
        }
        return d.append("]}").toString();
    }

    /** A trivial hook for every event type and its {@code .completed}: reads the record, notes the run. */
    static Path writeHooks(Path dir, Path runs) throws IOException {
        Files.createDirectories(dir);
        for (String type : TYPES) {
            for (String name : List.of(type + ".sh", type + ".completed.sh")) {
                Path hook = dir.resolve(name);
                Files.writeString(hook, "#!/bin/sh\n"
                        + "cat > /dev/null\n"
                        + "echo \"$(basename \"$0\") $EVENT_ID $EVENT_STATUS\" >> '" + runs + "'\n"
                        + "echo \"$EVENT_TYPE hook done for $EVENT_ID\"\n");
                Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return dir;
    }

    static boolean allDelivered(int events, Tail tail, Receiver receiver, SmtpReceiver smtp,
                                Path hookRuns) throws IOException {
        int expected = statuses.size() * events;
        return tail.seen.size() >= expected && receiver.seen("/agent").size() >= expected
                && receiver.seen("/webhook").size() >= expected
                && smtp.mails.stream().flatMap(m -> m.events().stream()).distinct().count() >= expected
                && Files.exists(hookRuns) && Files.readAllLines(hookRuns).size() >= 2L * events;
    }

    static long arrived(Tail tail, Receiver receiver, SmtpReceiver smtp, Path hookRuns) throws IOException {
        return tail.seen.size() + receiver.posts.size() + smtp.mails.size()
                + (Files.exists(hookRuns) ? Files.size(hookRuns) : 0);
    }

    static boolean queuesEmpty(Path queues) throws IOException {
        if (!Files.isDirectory(queues)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(queues)) {
            return files.noneMatch(Files::isRegularFile);
        }
    }

    // ------------------------------------------------------------------------------------------------- figures

    static List<String> logFileKeys(Path records) throws IOException {
        List<String> keys = new ArrayList<>();
        if (Files.exists(records)) {
            for (String line : Files.readAllLines(records)) {
                if (!line.isBlank()) {
                    var r = Bench.JSON.readTree(line);
                    keys.add(Bench.key(r.path("EventId").asText(), r.path("EventStatus").asText()));
                }
            }
        }
        return keys;
    }

    static List<String> keysOf(List<Receiver.Post> posts) {
        List<String> keys = new ArrayList<>();
        posts.forEach(p -> keys.addAll(p.events()));
        return keys;
    }

    /**
     * What one sink delivered: records (every copy), distinct (EventId, EventStatus), missing of the 3 per event,
     * duplicates (copies beyond the first), and the latency of the Scheduled records from the instant the event
     * appeared in the simulator's document.
     */
    static Map<String, Object> sinkFigures(int events, List<String> keys, Map<String, Long> firstSeen, long waveStart,
                                           double rate) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        keys.forEach(k -> counts.merge(k, 1, Integer::sum));
        int expected = statuses.size() * events;
        long wanted = 0;
        for (int i = 0; i < events; i++) {
            for (String status : statuses) {
                wanted += counts.containsKey(Bench.key(eventId(i), status)) ? 1 : 0;
            }
        }
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            Long seen = firstSeen.get(Bench.key(eventId(i), "Scheduled"));
            if (seen != null) {
                latencies.add(Bench.ms(seen - waveStart - (burst > 0 ? 0 : Math.round(i / rate * 1e9))));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expected", expected);
        m.put("records", keys.size());
        m.put("distinct", counts.size());
        m.put("missing", expected - wanted);
        m.put("duplicates", keys.size() - counts.size());
        m.put("unexpected", counts.size() - wanted);
        m.put("canceled", counts.keySet().stream().filter(k -> k.endsWith("/Canceled")).count());
        m.put("scheduledLatency", Figures.stats(latencies, events));
        return m;
    }

    static Map<String, Object> respondFigures(int events, Path hookRuns, List<Approval> approvals) throws IOException {
        List<String> runs = Files.exists(hookRuns) ? Files.readAllLines(hookRuns) : List.of();
        long before = runs.stream().filter(l -> !l.contains(".completed")).count();
        long after = runs.size() - before;
        long distinct = runs.stream().distinct().count();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expectedHookRuns", burst > 0 ? 0 : 2 * events);
        m.put("hookRunsBefore", before);
        m.put("hookRunsAfter", after);
        m.put("hookRunDuplicates", runs.size() - distinct);
        m.put("hookRunsMissing", (burst > 0 ? 0 : 2L * events) - distinct);
        m.put("approvals", approvals.size());
        m.put("approvalsDistinct", approvals.stream().map(a -> a.eventId().toUpperCase()).distinct().count());
        m.put("approvalsThatReleased", approvals.stream().filter(Approval::released).count());
        return m;
    }

    static long growth(List<Proc> samples, long fromSeconds, long toSeconds) {
        Proc from = nearest(samples, fromSeconds);
        Proc to = nearest(samples, toSeconds);
        return from == null || to == null ? 0 : to.rssKb - from.rssKb;
    }

    static Proc nearest(Collection<Proc> samples, long atSeconds) {
        Proc best = null;
        for (Proc p : samples) {
            if (best == null || Math.abs(p.atSeconds - atSeconds) < Math.abs(best.atSeconds - atSeconds)) {
                best = p;
            }
        }
        return best;
    }

    /** The first sample after which RSS never rises more than 1 MiB above it: where the curve stops growing. */
    static long flatFrom(List<Proc> samples) {
        for (int i = 0; i < samples.size(); i++) {
            boolean flat = true;
            for (int j = i + 1; j < samples.size(); j++) {
                flat &= samples.get(j).rssKb <= samples.get(i).rssKb + 1024;
            }
            if (flat) {
                return samples.get(i).atSeconds;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ the process

    /** RSS, PSS, threads, open files and CPU of the agent at one instant. */
    record Proc(long atSeconds, long rssKb, long pssKb, long threads, long openFiles, double cpuSeconds) {
        static Proc of(long pid, long startNanos) {
            Sample s = Sample.of(pid);
            long fds;
            try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                fds = list.count();
            } catch (IOException e) {
                fds = -1;
            }
            return new Proc(Math.round((s.nanos() - startNanos) / 1e9), s.rssKb(), s.pssKb(),
                    Sample.procKb(pid, "status", "Threads:"), fds, s.cpuSeconds());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("s", atSeconds);
            m.put("rssKb", rssKb);
            m.put("pssKb", pssKb);
            m.put("threads", threads);
            m.put("openFiles", openFiles);
            m.put("cpuS", Bench.round(cpuSeconds, 1));
            return m;
        }
    }

    /** Samples the agent every few seconds from its start. */
    static final class Curve implements Runnable {
        final long pid;
        final long startNanos;
        final int everySeconds;
        final List<Proc> samples = new CopyOnWriteArrayList<>();
        volatile boolean running = true;

        Curve(long pid, long startNanos, int everySeconds) {
            this.pid = pid;
            this.startNanos = startNanos;
            this.everySeconds = everySeconds;
        }

        Curve start() {
            Thread t = new Thread(this, "curve");
            t.setDaemon(true);
            t.start();
            return this;
        }

        public void run() {
            for (long k = 1; running; k++) {
                try {
                    Bench.sleepUntil(startNanos + Bench.sec(k * everySeconds));
                } catch (InterruptedException e) {
                    return;
                }
                Proc p = Proc.of(pid, startNanos);
                if (running && p.rssKb > 0) {
                    samples.add(p);
                }
            }
        }

        void stop() {
            running = false;
        }
    }

    /** jcmd PID VM.native_memory summary: committed KB per category (saved to {@code file} as well). */
    static Map<String, Long> nativeMemory(long pid, Path file) throws Exception {
        String text = jcmd(pid, file, "VM.native_memory", "summary");
        Map<String, Long> committed = new LinkedHashMap<>();
        Matcher total = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(text);
        if (total.find()) {
            committed.put("Total", Long.parseLong(total.group(2)));
        }
        for (String line : text.lines().toList()) {
            Matcher m = NMT_LINE.matcher(line.trim());
            if (m.find()) {
                committed.put(m.group(1).trim(), Long.parseLong(m.group(3)));
            }
        }
        return committed;
    }

    static String jcmd(long pid, Path file, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Files.writeString(file, text);
        return text;
    }

    // ---------------------------------------------------------------------------------------------------- table

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r, List<Proc> samples) {
        Map<String, Object> s = (Map<String, Object>) r.get("settings");
        Map<String, Object> f = (Map<String, Object>) r.get("footprint");
        Map<String, Object> sinks = (Map<String, Object>) r.get("sinks");
        Map<String, Object> respond = (Map<String, Object>) r.get("respond");
        Map<String, Object> before = (Map<String, Object>) f.get("beforeWave");
        Map<String, Object> waveEnd = (Map<String, Object>) f.get("endOfWave");
        Map<String, Object> end = (Map<String, Object>) f.get("end");
        StringBuilder t = new StringBuilder();
        t.append(String.format("scheduled-events-agent maintenance wave (%s; %s; %s cpus, load %s)%n", r.get("java"),
                r.get("jvmFlags"), ((Map<?, ?>) r.get("machine")).get("cpus"),
                ((Map<?, ?>) r.get("machine")).get("loadavg")));
        if (s.containsKey("documentBytes")) {
            t.append(String.format("burst: one document of %s events naming another VM (%s bytes), agent.scope=all, "
                    + "held %s s, sinks %s%n%n", s.get("events"), s.get("documentBytes"), s.get("waveSeconds"),
                    String.join(",", (List<String>) s.get("sinks"))));
        } else {
            t.append(String.format("%s events in %s s (%s a second; %s s notice, %s s running), sinks %s, %s hooks, "
                            + "ack policy %s%n%n", s.get("events"), s.get("waveSeconds"), s.get("eventsPerSecond"),
                    s.get("noticeSeconds"), s.get("runSeconds"), String.join(",", (List<String>) s.get("sinks")),
                    s.get("hooks"), s.get("ackPolicy")));
        }
        t.append("| sink | records | distinct of expected | missing | duplicates | Scheduled latency p50 / p99 / max |\n");
        t.append("|---|---|---|---|---|---|\n");
        sinks.forEach((name, v) -> {
            Map<String, Object> m = (Map<String, Object>) v;
            t.append(String.format("| %s | %s | %s of %s | %s | %s | %s |%n", name, m.get("records"), m.get("distinct"),
                    m.get("expected"), m.get("missing"), m.get("duplicates"),
                    ResultsTable.lat3((Map<String, Object>) m.get("scheduledLatency"))));
        });
        t.append(String.format("| hooks (respond stage) | %s runs: %s before, %s after | of %s | %s | %s | - |%n",
                ((Number) respond.get("hookRunsBefore")).longValue() + ((Number) respond.get("hookRunsAfter")).longValue(),
                respond.get("hookRunsBefore"), respond.get("hookRunsAfter"), respond.get("expectedHookRuns"),
                respond.get("hookRunsMissing"), respond.get("hookRunDuplicates")));
        t.append(String.format("| approvals (IMDS StartRequests) | %s (%s distinct, %s released an event) | - | - | - | - |%n%n",
                respond.get("approvals"), respond.get("approvalsDistinct"), respond.get("approvalsThatReleased")));
        t.append("| figure | before the wave | end of the wave | after draining | goal |\n|---|---|---|---|---|\n");
        t.append(String.format("| at second | %s | %s | %s | - |%n", before.get("s"), waveEnd.get("s"), end.get("s")));
        t.append(String.format("| RSS (PSS) | %.1f (%.1f) MB | %.1f (%.1f) MB | %.1f (%.1f) MB | <= 96 MB |%n",
                ResultsTable.mb(before.get("rssKb")), ResultsTable.mb(before.get("pssKb")), ResultsTable.mb(waveEnd.get("rssKb")),
                ResultsTable.mb(waveEnd.get("pssKb")), ResultsTable.mb(end.get("rssKb")), ResultsTable.mb(end.get("pssKb"))));
        t.append(String.format("| threads | %s | %s | %s | flat |%n", before.get("threads"), waveEnd.get("threads"),
                end.get("threads")));
        t.append(String.format("| open files | %s | %s | %s | flat |%n", before.get("openFiles"),
                waveEnd.get("openFiles"), end.get("openFiles")));
        t.append(String.format("| RSS max seen (at s) | %.1f MB (%s) | RSS growth, last 3 min of the wave / the 3 min before | %.1f / %.1f MB | stops growing |%n",
                ResultsTable.mb(f.get("rssKbMax")), f.get("rssKbMaxAtSeconds"), ResultsTable.mb(f.get("rssKbGrowthLast3MinOfWave")),
                ResultsTable.mb(f.get("rssKbGrowth3MinBefore"))));
        t.append(String.format("| RSS never 1 MB above its level again from | %s s | CPU s during the wave | %s | - |%n",
                f.get("flatFromSeconds"), f.get("cpuSecondsDuringWave")));
        t.append(String.format("%nRSS in MB from the agent's start, one row per minute, a sample every %s s:%n",
                samples.size() > 1 ? samples.get(1).atSeconds - samples.get(0).atSeconds : "?"));
        long minute = -1;
        for (Proc p : samples) {
            if (p.atSeconds / 60 != minute) {
                minute = p.atSeconds / 60;
                t.append(String.format("%n%3d min |", minute));
            }
            t.append(String.format(" %5.1f", p.rssKb / 1024.0));
        }
        t.append(String.format("%n%nthreads / open files every minute:"));
        minute = -1;
        for (Proc p : samples) {
            if (p.atSeconds / 60 != minute) {
                minute = p.atSeconds / 60;
                t.append(String.format(" %d/%d", p.threads, p.openFiles));
            }
        }
        t.append('\n');
        if (r.get("nativeMemory") instanceof Map<?, ?> n) {
            Map<String, Long> a = (Map<String, Long>) n.get("committedKbBeforeWave");
            Map<String, Long> b = (Map<String, Long>) n.get("committedKbAfter");
            t.append(String.format("%nNative Memory Tracking, committed MB before the wave -> after (files in %s):%n",
                    n.get("files")));
            b.forEach((k, v) -> {
                long was = a.getOrDefault(k, 0L);
                if (Math.abs(v - was) >= 256 || v >= 1024) {
                    t.append(String.format("  %-28s %6.1f -> %6.1f (%+.1f)%n", k, was / 1024.0, v / 1024.0,
                            (v - was) / 1024.0));
                }
            });
        }
        t.append(String.format("%nagent warnings and errors: %s%n", r.get("agentWarningsAndErrors")));
        return t.toString();
    }
}
