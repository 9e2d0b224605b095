import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.sink.eventgrid.EventEnvelopes;
import scheduledevents.sink.eventgrid.EventSchema;

/**
 * {@code bench/run responder}: how fast one responder absorbs a fleet's burst on this machine, with PostgreSQL,
 * side by side with the ceiling of the same PostgreSQL (pgbench, single-row inserts). The burst is one Live
 * Migration of {@code --vms} VMs (default 1,000) x 3 transitions, as the agents publish it (the agent's own envelope
 * code), one event per delivery as an Event Grid subscription delivers by default, {@code --duplicates} (10 %)
 * delivered twice, {@code --clients} (16) deliveries in flight at once. Figures: time to absorb the burst (first
 * request to last 200), deliveries per second, p50/p99 from sending a delivery to its 200 (the responder answers
 * only after the commit, so the report is visible in the API from then on; checked at the end), notifications sent
 * (goal: exactly 3) and the ratio to the database's ceiling. PostgreSQL is Debian's (initdb, pg_ctl, pgbench under
 * /usr/lib/postgresql/VERSION/bin), started in target/bench-pg on a free port with its default durability.
 */
final class ResponderBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bench-delivery-secret";
    private static final String TOKEN = "bench-api-token";

    private ResponderBench() {
    }

    static void run(Map<String, String> opt) throws Exception {
        int vms = Integer.parseInt(opt.getOrDefault("vms", "1000"));
        double duplicates = Double.parseDouble(opt.getOrDefault("duplicates", "0.1"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "16"));
        int batch = Integer.parseInt(opt.getOrDefault("batch", "1"));
        String java = opt.getOrDefault("java", "java");
        Path work = Bench.ROOT.resolve("target/bench-responder");
        deleteTree(work);
        Files.createDirectories(work);
        Path bin = postgresBin();
        int pgPort = Bench.freePort();
        Path data = work.resolve("pg");
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL's server refuses to run as root: its folder belongs to the postgres user
            exec(work, "chown", "postgres", work.toString());
        }
        exec(work, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8");
        exec(work, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", work.resolve("pg.log").toString(),
                "-o", "-p " + pgPort + " -k " + work + " -c listen_addresses=127.0.0.1", "-w", "start");
        SmtpReceiver smtp = new SmtpReceiver().start();
        Process responder = null;
        try {
            double ceiling = pgbenchInsertsPerSecond(bin, work, pgPort, clients);
            Bench.log("PostgreSQL ceiling (pgbench, one-row insert transactions, %d clients): %.0f/s", clients,
                    ceiling);

            int port = Bench.freePort();
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(Bench.words(opt.getOrDefault("responder-flags", "")));
            command.addAll(List.of("-jar", "target/scheduled-events-agent.jar", "--responder"));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(Bench.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("responder.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("RESPONDER_PORT", String.valueOf(port));
            env.put("RESPONDER_DATA_DIR", work.resolve("responder").toString());
            env.put("RESPONDER_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/responder");
            env.put("RESPONDER_DB_USER", "postgres");
            env.put("RESPONDER_DB_PASSWORD", "");
            env.put("RESPONDER_DELIVERY_SECRET", SECRET);
            env.put("RESPONDER_API_TOKEN", TOKEN);
            env.put("RESPONDER_NOTIFY", "mail");
            env.put("RESPONDER_MAIL_HOST", "127.0.0.1");
            env.put("RESPONDER_MAIL_PORT", String.valueOf(smtp.port()));
            env.put("RESPONDER_MAIL_PROTOCOL", "smtp");
            env.put("RESPONDER_MAIL_STARTTLS", "false");
            env.put("RESPONDER_MAIL_FROM", "responder@bench.test");
            env.put("RESPONDER_MAIL_TO", "ops@bench.test");
            responder = pb.start();
            // HTTP/1.1, as Event Grid delivers (the JDK client would otherwise upgrade to cleartext HTTP/2)
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(HttpClient.Builder.NO_PROXY)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(http, base, responder);

            // warm-up: an event of its own, as large as the burst by default, so that the burst meets a responder
            // that has run a while (its code compiled by the JIT), as a long-running one is
            int warmVms = Integer.parseInt(opt.getOrDefault("warmup-vms", String.valueOf(vms)));
            Burst warm = burst("WARM0000-0000-4000-8000-000000000000", warmVms, 0, new Random(1), batch);
            send(http, base, warm.bodies, clients);
            awaitMails(smtp, 3, Duration.ofSeconds(60));
            Bench.sleep(1000);
            int mailsBefore = smtp.mails.size();

            Burst burst = burst(UUID.randomUUID().toString().toUpperCase(), vms, duplicates, new Random(42), batch);
            Bench.log("burst: %d events (%d VMs x 3 transitions, %d duplicates) in %d deliveries of up to %d, %d in"
                    + " flight", burst.events, vms, burst.events - 3 * vms, burst.bodies.size(), batch, clients);
            Map<String, Double> threadsBefore = threadCpu(responder.pid());
            double responderCpu = Sample.cpu(responder.pid());
            double postgresCpu = postgresCpu();
            double selfCpu = Sample.cpu(ProcessHandle.current().pid());
            Result result = send(http, base, burst.bodies, clients);
            responderCpu = Sample.cpu(responder.pid()) - responderCpu;
            Map<String, Double> threads = threadCpu(responder.pid());
            threads.replaceAll((name, cpu) -> cpu - threadsBefore.getOrDefault(name, 0.0));
            StringBuilder split = new StringBuilder();
            threads.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> split.append(String.format("%s %.2f; ", e.getKey(), e.getValue())));
            Bench.log("responder CPU by thread kind during the burst: %s", split);
            postgresCpu = postgresCpu() - postgresCpu;
            selfCpu = Sample.cpu(ProcessHandle.current().pid()) - selfCpu;
            JsonNode event = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/events/"
                            + burst.eventId)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            boolean allVisible = event.path("ReportedBy").size() == vms
                    && "Completed".equals(event.path("EventStatus").asText());
            long completedVms = 0;
            for (JsonNode vm : event.path("Vms")) {
                if ("Completed".equals(vm.path("Status").asText())) {
                    completedVms++;
                }
            }
            awaitMails(smtp, mailsBefore + 3, Duration.ofSeconds(60));
            Bench.sleep(3000); // a fourth mail would have come by now
            int mails = smtp.mails.size() - mailsBefore;

            double seconds = result.nanos / 1e9;
            double perSecond = burst.events / seconds;
            Collections.sort(result.latencies);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("date", Instant.now().toString());
            out.put("java", Bench.javaVersion(java));
            out.put("loadavg_before", Bench.loadavg());
            out.put("vms", vms);
            out.put("events", burst.events);
            out.put("events_per_delivery", batch);
            out.put("deliveries", burst.bodies.size());
            out.put("clients", clients);
            out.put("answered_200", result.ok);
            out.put("absorb_seconds", Bench.round(seconds, 3));
            out.put("events_per_second", Bench.round(perSecond, 0));
            out.put("latency_p50_ms", Bench.round(Figures.pct(result.latencies, 50), 1));
            out.put("latency_p99_ms", Bench.round(Figures.pct(result.latencies, 99), 1));
            out.put("cpu_seconds_responder", Bench.round(responderCpu, 2));
            out.put("cpu_seconds_postgres", Bench.round(postgresCpu, 2));
            out.put("cpu_seconds_bench_client", Bench.round(selfCpu, 2));
            out.put("visible_in_api", allVisible);
            out.put("vms_completed_in_api", completedVms);
            out.put("notifications", mails);
            out.put("postgres_ceiling_inserts_per_second", Bench.round(ceiling, 0));
            out.put("ratio_to_ceiling", Bench.round(perSecond / ceiling, 3));
            out.put("goal_absorb_under_2s_with_3_notifications", seconds < 2 && mails == 3 && allVisible);
            Path results = Bench.ROOT.resolve("bench/results");
            Files.createDirectories(results);
            Files.writeString(results.resolve(batch == 1 ? "responder.json" : "responder-batch-" + batch + ".json"),
                    Bench.JSON.writeValueAsString(out));
            System.out.println();
            System.out.println("| figure | value |");
            System.out.println("|---|---|");
            out.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
        } finally {
            if (responder != null) {
                responder.destroy();
                responder.waitFor(10, TimeUnit.SECONDS);
            }
            exec(work, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "stop");
        }
    }

    record Burst(String eventId, int events, List<String> bodies) {
    }

    record Result(long nanos, int ok, List<Double> latencies) {
    }

    /** vms x (Scheduled, Started, Completed) agent deliveries in that order, a share of them sent twice. */
    static Burst burst(String eventId, int vms, double duplicates, Random random) throws IOException {
        return burst(eventId, vms, duplicates, random, 1);
    }

    /** As above, {@code batch} events per delivery (an Event Grid subscription's max events per batch). */
    static Burst burst(String eventId, int vms, double duplicates, Random random, int batch) throws IOException {
        Instant notBefore = Instant.now().plusSeconds(900);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= vms; i++) {
            names.add(String.format("vm-%04d", i));
        }
        List<String> bodies = new ArrayList<>();
        Instant t = Instant.now();
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            t = t.plusSeconds(1);
            List<String> round = new ArrayList<>();
            for (String vm : names) {
                round.add(agentEvent(eventId, names, vm, status, notBefore, t));
            }
            List<String> withCopies = new ArrayList<>(round);
            for (String body : round) {
                if (random.nextDouble() < duplicates) {
                    // Event Grid's redelivery comes a little later, mixed into the rest
                    int at = Math.min(withCopies.size(), withCopies.indexOf(body) + 1 + random.nextInt(50));
                    withCopies.add(at, body);
                }
            }
            bodies.addAll(withCopies);
        }
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i += batch) {
            deliveries.add("[" + String.join(",", bodies.subList(i, Math.min(bodies.size(), i + batch))) + "]");
        }
        return new Burst(eventId, bodies.size(), deliveries);
    }

    static String agentEvent(String eventId, List<String> resources, String vm, String status, Instant notBefore,
                             Instant observedAt) throws IOException {
        String sub = "00000000-1111-2222-3333-444444444444";
        VmIdentity identity = new VmIdentity(vm, "/subscriptions/" + sub + "/resourceGroups/rg-bench/providers/"
                + "Microsoft.Compute/virtualMachines/" + vm, UUID.nameUUIDFromBytes(vm.getBytes()).toString(),
                "westeurope", "", sub, "rg-bench", "1");
        ScheduledEvent event = new ScheduledEvent(eventId, "Freeze", "VirtualMachine", resources, status,
                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(notBefore.atOffset(
                        java.time.ZoneOffset.UTC)), "Live Migration", "Platform", 5, notBefore);
        String record = JSON.writeValueAsString(TransitionRecord.of(event, 1, observedAt, vm, identity, null));
        ObjectNode wire = new EventEnvelopes(EventSchema.EVENT_GRID, "ScheduledEvent", "", vm).toEvent(record).json();
        return wire.toString();
    }

    static Result send(HttpClient http, URI base, List<String> bodies, int inFlight) throws Exception {
        Semaphore slots = new Semaphore(inFlight);
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (String body : bodies) {
            slots.acquire();
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/events/eventgrid"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .header("aeg-event-type", "Notification").header("x-delivery-secret", SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((r, e) -> {
                latencies.add(Bench.ms(System.nanoTime() - sent));
                slots.release();
                return e == null ? r.statusCode() : -1;
            }));
        }
        int ok = 0;
        for (CompletableFuture<Integer> answer : answers) {
            if (answer.get() == 200) {
                ok++;
            }
        }
        long nanos = System.nanoTime() - start;
        return new Result(nanos, ok, new ArrayList<>(latencies));
    }

    static double pgbenchInsertsPerSecond(Path bin, Path work, int port, int clients) throws Exception {
        Path script = work.resolve("insert.sql");
        Files.writeString(script, "INSERT INTO bench_reports(event_key, vm, status) VALUES ('e', md5(random()::text),"
                + " 'Scheduled');\n");
        // a database of its own: the responder's schema is Flyway's, in database responder
        exec(work, "/usr/bin/psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-q", "-c",
                "CREATE DATABASE responder");
        exec(work, "/usr/bin/psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-q", "-c",
                "CREATE TABLE bench_reports(id bigint generated by default as identity primary key, event_key "
                        + "varchar(64), vm varchar(64), status varchar(16), at timestamptz default now())");
        String out = exec(work, bin.resolve("pgbench").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "-U", "postgres", "-n", "-c", String.valueOf(clients), "-j", "2", "-T", "10", "-f",
                script.toString(), "postgres");
        Matcher m = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** CPU seconds of a process's threads so far, summed by kind (the thread name without its numbers). */
    static Map<String, Double> threadCpu(long pid) {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "N");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                } catch (IOException e) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            // the process ended
        }
        return out;
    }

    /** CPU seconds of every PostgreSQL process so far (the server and its backends, which come and go). */
    static double postgresCpu() {
        double sum = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (p.info().command().map(c -> c.contains("postgres")).orElse(false)) {
                sum += Math.max(0, Sample.cpu(p.pid()));
            }
        }
        return sum;
    }

    static Path postgresBin() throws IOException {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Path::compareTo).orElseThrow(() -> new IllegalStateException(
                            "no PostgreSQL server: apt-get install postgresql"));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("no PostgreSQL server: apt-get install postgresql");
        }
    }

    static String exec(Path work, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if ("root".equals(System.getProperty("user.name")) && command[0].contains("postgresql")) {
            // PostgreSQL's server refuses to run as root: run its tools as the postgres user
            List<String> su = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
            su.addAll(List.of(command));
            pb = new ProcessBuilder(su).redirectErrorStream(true);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    static void awaitHealthy(HttpClient http, URI base, Process responder) throws Exception {
        long end = System.nanoTime() + Bench.sec(60);
        while (System.nanoTime() < end && responder.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(base.resolve("/observe/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Bench.sleep(200);
        }
        throw new IllegalStateException("the responder did not become healthy (see target/bench-responder/responder.log)");
    }

    static void awaitMails(SmtpReceiver smtp, int n, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (smtp.mails.size() < n && System.nanoTime() < end) {
            Bench.sleep(100);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
