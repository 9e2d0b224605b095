package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import scheduledevents.Fixtures;
import scheduledevents.simulator.SimEvent;
import scheduledevents.sink.eventgrid.TestTls;
import scheduledevents.sink.eventgrid.TestTopic;
import scheduledevents.testing.Await;
import scheduledevents.testing.Ports;

/**
 * The container as most users run it: the image built from the Dockerfile as shipped (both stages), then run with
 * the README's commands (podman in place of docker, plus what this machine kind needs) on the host network,
 * against the built-in IMDS simulator on loopback. Not skipped when podman is missing: it fails and says what to
 * install; {@code -Dcontainer.skip=true} leaves it out on purpose (README, Deploy).
 */
@DisabledIfSystemProperty(named = "container.skip", matches = "true",
        disabledReason = "-Dcontainer.skip=true: the container tests are left out (README, Deploy)")
class ContainerIT extends AgainstSimulator {
    private static final String APP = "/opt/scheduled-events-agent";
    private static final String STATE = "/var/lib/scheduled-events-agent";
    private static final String KEY = E2E.FREEZE_ID.toLowerCase();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static ReadmeDeploy readme;

    private final String id = Long.toString(System.nanoTime(), 36);
    private final String volume = "sea-it-" + id;
    private final List<String> containers = new ArrayList<>();
    private final List<Long> started = new ArrayList<>();
    private int healthPort;

    @BeforeAll
    static void buildTheImageAsTheReadmeDoes() throws Exception {
        Podman.requireInstalled();
        long start = System.nanoTime();
        Podman.requireBaseImage();
        long base = System.nanoTime();
        readme = ReadmeDeploy.read();
        // The Maven stage: no TLS to Maven Central from inside a build container here (this machine's outgoing TLS
        // is re-signed by a CA the image does not trust), so it builds from this machine's Maven repository,
        // mounted as an overlay (its writes are dropped) and offline. The Dockerfile is left as a user runs it.
        Path repository = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString())).toAbsolutePath();
        fillForTheImageBuild(repository);
        Path settings = Files.createTempFile("container-it-maven-", ".xml");
        Files.writeString(settings, "<settings><offline>true</offline></settings>\n");
        settings.toFile().deleteOnExit();
        long filled = System.nanoTime();
        List<String> build = podman(readme.command("build"), List.of("--pull=never", "--format", "docker",
                "--network", "host", "-v", repository + ":/root/.m2/repository:O",
                "-v", settings + ":/root/.m2/settings.xml:ro"));
        Podman.Result built = Podman.run(Duration.ofMinutes(30), build);
        Path log = Path.of("target", "container-build.log");
        Files.writeString(log, String.join(" ", build) + "\n" + built.stdout() + built.stderr());
        if (built.exit() != 0) {
            List<String> lines = (built.stdout() + built.stderr()).lines().toList();
            throw new AssertionError("podman build failed (whole log in " + log + "):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        System.out.printf("ContainerIT: base image %d s, Maven repository %d s, podman build %d s%n",
                seconds(start, base), seconds(base, filled), seconds(filled, System.nanoTime()));
    }

    @AfterEach
    void removeContainersAndVolume() {
        for (String container : containers) {
            Podman.run(Duration.ofSeconds(60), List.of("rm", "-f", "-t", "0", container));
        }
        Podman.run(Duration.ofSeconds(60), List.of("volume", "rm", "-f", volume));
    }

    @Test
    void asTheReadmeRunsItRecordsReachStdoutAndTheVolumeAsNonRootHealthyAndStateOutlivesTheContainer()
            throws Exception {
        SimEvent scheduled = E2E.freezeScheduled("myvm");
        E2E.setEvents(imds, scheduled);
        String first = start(List.of());
        awaitOnStdout(first, KEY + "/Scheduled");
        assertEquals(List.of(KEY + "/Scheduled"), transitions(volumeRecords(first)), "records.jsonl on the volume");
        assertEquals("10001", Podman.ok("exec", first, "id", "-u"));
        assertEquals("host", Podman.ok("inspect", "--format", "{{.HostConfig.NetworkMode}}", first));
        Podman.await("HEALTHCHECK healthy", Duration.ofSeconds(60),
                () -> Podman.run(Duration.ofSeconds(30), List.of("healthcheck", "run", first)).exit() == 0);
        assertEquals("healthy", Podman.ok("inspect", "--format", "{{.State.Health.Status}}", first));
        String metrics = get("/observe/metrics");
        assertTrue(metrics.contains("agent_transitions_total{"), metrics);
        assertTrue(transitions(logs(first).stderr()).isEmpty(), "the image's routes print records on stdout only");
        reportResidentMemory(first);
        Podman.ok("stop", first);
        Podman.ok("rm", first);

        // While no container runs, the event starts: a new container on the same volume reports that, and only that
        E2E.setEvents(imds, scheduled.started());
        String second = start(List.of());
        awaitOnStdout(second, KEY + "/Started");
        E2E.awaitMorePolls(imds, 10);
        assertEquals(List.of(KEY + "/Started"), transitions(logs(second).stdout()));
        assertEquals(List.of(KEY + "/Scheduled", KEY + "/Started"), transitions(volumeRecords(second)));
    }

    @Test
    void aRouteFolderMountedReadOnlyTakesEffectWithoutRebuilding() throws Exception {
        // README, "Editing a route": print records to stderr as well, in a copy of routes/
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path logSink = routes.resolve("41-sink-log.yaml");
        String route = Files.readString(logSink);
        // the step after sink-log-stdout, indented as that step is (the "- to:" four spaces left of its "uri:")
        Matcher stdoutStep = Pattern.compile("(?m)^( *)uri: stream:out\n").matcher(route);
        assertTrue(stdoutStep.find(), "routes/41-sink-log.yaml has the step sink-log-stdout");
        String indent = stdoutStep.group(1);
        String dash = indent.substring(4);
        Files.writeString(logSink, route.substring(0, stdoutStep.end()) + dash + "- to:\n" + indent
                + "id: sink-log-stderr\n" + indent + "uri: stream:err\n" + route.substring(stdoutStep.end()));
        readableByAll(routes);

        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        String agent = start(withHostPath(readme.option(APP + "/routes"), routes));
        awaitOnStdout(agent, KEY + "/Scheduled");
        Podman.await("the record on stderr too", Duration.ofSeconds(30),
                () -> transitions(logs(agent).stderr()).contains(KEY + "/Scheduled"));
        Podman.Result write = Podman.run(Duration.ofSeconds(30),
                List.of("exec", "--user", "0", agent, "touch", APP + "/routes/x"));
        assertTrue(write.exit() != 0 && write.stderr().contains("Read-only"), "mounted read-only: " + write);
    }

    @Test
    void stopEndsItCleanlyAndARecordInFlightToASlowSinkIsSentAfterTheNextStart() throws Exception {
        try (SlowEndpoint webhook = new SlowEndpoint()) {
            List<String> sinks = List.of("-e", "AGENT_SINKS=log,webhook", "-e", "AGENT_WEBHOOK_URL=" + webhook.url());
            E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
            String first = start(sinks);
            Podman.await("the record in flight to the webhook", Duration.ofSeconds(90),
                    () -> !webhook.received().isEmpty());
            // podman stop as the README has it: SIGTERM, then SIGKILL after 10 s
            Podman.Result stop = Podman.run(Duration.ofSeconds(60), List.of("stop", first)).ok(List.of("stop"));
            String exit = Podman.ok("inspect", "--format", "{{.State.ExitCode}}", first);
            assertEquals("143", exit, "the JVM ended on SIGTERM after its shutdown hooks (137: killed) "
                    + stop.stderr() + "\n" + logs(first).stderr());

            webhook.answer();
            String second = start(sinks);
            Podman.await("the record sent again after the next start", Duration.ofSeconds(90),
                    () -> !webhook.answered().isEmpty());
            JsonNode sent = JSON.readTree(webhook.answered().get(0));
            assertEquals(E2E.FREEZE_ID, sent.path("EventId").asText());
            assertEquals("Scheduled", sent.path("EventStatus").asText());
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of(KEY + "/Scheduled"), transitions(volumeRecords(second)), "the log sink: once");
            assertEquals(1, webhook.answered().size());
        }
    }

    @Test
    void theEventGridKeyInAMountedFileWorksAndIsNotInInspect() throws Exception {
        String key = "K3y-in-a-file-" + id + "-" + Long.toString(System.nanoTime(), 36);
        Path keyFile = dir.resolve("eventgrid.key");
        Files.writeString(keyFile, key + "\n");
        readableByAll(keyFile);
        Path trustStore = TestTls.get().trustStore;
        readableByAll(trustStore);
        try (TestTopic topic = new TestTopic().start()) {
            List<String> options = new ArrayList<>();
            options.addAll(withHostPath(readme.option("/run/secrets/eventgrid.key"), keyFile));
            options.addAll(withHostPath(readme.option("/etc/pki/agent-truststore.p12"), trustStore));
            options.addAll(List.of("-e", "JAVA_TOOL_OPTIONS=-Djavax.net.ssl.trustStore=/etc/pki/agent-truststore.p12"
                    + " -Djavax.net.ssl.trustStorePassword=" + TestTls.PASSWORD,
                    "-e", "AGENT_SINKS=log,eventgrid", "-e", "AGENT_EVENTGRID_ENDPOINT=" + topic.endpoint()));
            E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
            String agent = start(options);
            List<TestTopic.Request> requests = topic.await(r -> !r.isEmpty(), Duration.ofSeconds(90), "a publish");
            assertEquals(key, requests.get(0).header("aeg-sas-key"));
            assertTrue(requests.get(0).body().contains(E2E.FREEZE_ID), requests.get(0).body());

            String inspect = Podman.ok("inspect", agent);
            assertTrue(inspect.contains("AGENT_EVENTGRID_KEY_FILE=/run/secrets/eventgrid.key"), inspect);
            assertFalse(inspect.contains(key), "the key is not in podman inspect");
            Podman.Result logs = logs(agent);
            assertFalse(logs.stdout().contains(key) || logs.stderr().contains(key), "the key is not in the logs");
        }
    }

    /** The README's docker run as podman: this test's names, the simulator, a free health port, then options. */
    @Test
    void theSameImageRunsTheFleetResponder() throws Exception {
        // the image as the README builds it, with --responder after the image name (its libraries in lib-responder/,
        // off the agent's class path; its settings and routes in responder/)
        List<String> readmeRun = readme.command("run");
        String image = readmeRun.get(readmeRun.size() - 1);
        String name = "sea-it-" + id + "-responder";
        int port = Ports.free();
        String secret = "container-secret-" + id;
        String token = "container-token-" + id;
        List<String> run = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--network", "host",
                "-e", "RESPONDER_PORT=" + port, "-e", "RESPONDER_DELIVERY_SECRET=" + secret,
                "-e", "RESPONDER_API_TOKEN=" + token,
                "-e", "RESPONDER_DATA_DIR=/var/lib/scheduled-events-agent/responder", image, "--responder"));
        containers.add(name);
        Podman.ok(podman(run, List.of("--pull=never")));
        URI base = URI.create("http://127.0.0.1:" + port);
        Await.until("the responder in the container answers its health check", Duration.ofSeconds(90), () -> {
            try {
                return HTTP.send(HttpRequest.newBuilder(base.resolve("/observe/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, () -> logs(name).stdout() + logs(name).stderr());

        String delivery = Files.readString(Fixtures.EVENTGRID.resolve("platform/vmss-freeze-scheduled.json"));
        HttpResponse<String> stored = HTTP.send(HttpRequest.newBuilder(base.resolve("/events/eventgrid"))
                .header("Content-Type", "application/json").header("x-delivery-secret", secret)
                .POST(HttpRequest.BodyPublishers.ofString(delivery)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stored.statusCode(), stored.body());
        HttpResponse<String> events = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/events"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, events.statusCode());
        JsonNode event = JSON.readTree(events.body()).path("events").get(0);
        assertEquals("5E0F3C2A-1B7D-4C55-9D1E-8A6B2F40C3D7", event.path("EventId").asText());
        assertEquals(2, event.path("Vms").size(), events.body());
        String pid = Podman.ok("inspect", "--format", "{{.State.Pid}}", name);
        System.out.printf("ContainerIT: the responder's resident memory in the container %s (the agent's JVM flags)%n",
                mib(Files.readString(Path.of("/proc", pid, "status")), "VmRSS"));
    }

    private String start(List<String> options) throws IOException {
        String name = "sea-it-" + id + "-" + containers.size();
        List<String> run = new ArrayList<>(readme.command("run"));
        run.set(run.indexOf("--name") + 1, name);
        for (int i = 0; i < run.size(); i++) {
            if (run.get(i).startsWith("scheduled-events-state:")) {
                run.set(i, run.get(i).replace("scheduled-events-state:", volume + ":"));
            }
        }
        assertTrue(run.contains(volume + ":" + STATE), "README's run keeps the state in a volume: " + run);
        if (healthPort == 0) {
            healthPort = Ports.free();
        }
        List<String> added = new ArrayList<>();
        Map<String, String> env = E2E.env(imds, dir);
        env.remove("AGENT_STATE_DIR");
        env.remove("AGENT_SINK_LOG_FILE");
        env.put("AGENT_HEALTH_PORT", String.valueOf(healthPort));
        env.forEach((k, v) -> added.addAll(List.of("-e", k + "=" + v)));
        added.addAll(options);
        run.addAll(run.size() - 1, added);
        containers.add(name);
        started.add(System.nanoTime());
        Podman.ok(podman(run, List.of("--pull=never")));
        return name;
    }

    /** docker VERB ARGS as podman VERB, this machine's flags, EXTRA, ARGS. */
    private static List<String> podman(List<String> docker, List<String> extra) {
        assertEquals("docker", docker.get(0));
        List<String> args = new ArrayList<>();
        args.add(docker.get(1));
        args.addAll(Podman.SANDBOX);
        args.addAll(extra);
        args.addAll(docker.subList(2, docker.size()));
        return args;
    }

    /** An option from the README with its host path (before the first colon of -v's value) made this one. */
    private static List<String> withHostPath(List<String> option, Path host) {
        List<String> words = new ArrayList<>(option);
        int v = words.indexOf("-v");
        String mount = words.get(v + 1);
        words.set(v + 1, host.toAbsolutePath() + mount.substring(mount.indexOf(':')));
        return words;
    }

    private static Podman.Result logs(String container) {
        return Podman.run(Duration.ofSeconds(60), List.of("logs", container)).ok(List.of("logs"));
    }

    private static String volumeRecords(String container) {
        return Podman.ok("exec", container, "cat", STATE + "/records.jsonl");
    }

    private static void awaitOnStdout(String container, String transition) {
        Podman.await(transition + " on the container's stdout", Duration.ofSeconds(90),
                () -> transitions(logs(container).stdout()).contains(transition));
    }

    /** "eventid/Status" of each JSON line, in order; other lines (the agent's log) left out. */
    private static List<String> transitions(String lines) {
        List<String> transitions = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.startsWith("{")) {
                try {
                    JsonNode record = JSON.readTree(line);
                    transitions.add(record.path("EventId").asText().toLowerCase() + "/"
                            + record.path("EventStatus").asText());
                } catch (IOException e) {
                    throw new AssertionError("not a JSON line: " + line, e);
                }
            }
        }
        return transitions;
    }

    private String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The agent's RSS inside the container, for the report beside the bench's figure (a reading, not a goal). */
    private void reportResidentMemory(String container) throws IOException {
        String pid = Podman.ok("inspect", "--format", "{{.State.Pid}}", container);
        String status = Files.readString(Path.of("/proc", pid, "status"));
        System.out.printf("ContainerIT: the agent's resident memory in the container %s, peak %s, %d s after "
                        + "podman run, log sink (bench: 74.4 MiB at 60 s; goal 96 MiB)%n", mib(status, "VmRSS"),
                mib(status, "VmHWM"), seconds(started.get(containers.indexOf(container)), System.nanoTime()));
    }

    private static String mib(String procStatus, String field) {
        return procStatus.lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .map(l -> String.format("%.1f MiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0))
                .orElse("?");
    }

    private static long seconds(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(toNanos - fromNanos);
    }

    /** The container's user (uid 10001) reads what the test mounts, as a user's files must allow. */
    private static void readableByAll(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : files.toList()) {
                    readableByAll(file);
                }
            }
        } else {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Fills this machine's Maven repository with what the image's Maven stage asks for, by running that stage's own
     * {@code RUN mvn ...} lines from the Dockerfile here with the same Maven (Debian's), on a copy of the files the
     * stage copies. Not go-offline alone: Maven 3.8 adds plexus-utils 1.1 to plugins that do not depend on it
     * (surefire), which only the package goal resolves, and which this build's own Maven (3.9, the wrapper's) never
     * downloads, so a fresh machine's repository lacks it.
     */
    private static void fillForTheImageBuild(Path repository) throws IOException {
        Path stage = Files.createTempDirectory("container-it-maven-stage-");
        try {
            Files.copy(Path.of("pom.xml"), stage.resolve("pom.xml"));
            Files.copy(Path.of("application.properties"), stage.resolve("application.properties"));
            Files.createDirectories(stage.resolve("responder"));
            Files.copy(Path.of("responder", "responder.properties"), stage.resolve("responder/responder.properties"));
            copyTree(Path.of("src", "main"), stage.resolve("src/main"));
            List<String> runs = Files.readAllLines(Path.of("Dockerfile")).stream()
                    .filter(line -> line.startsWith("RUN mvn ")).toList();
            if (runs.isEmpty()) {
                throw new AssertionError("the Dockerfile has no 'RUN mvn ...' line: update ContainerIT");
            }
            for (String run : runs) {
                List<String> command = new ArrayList<>(List.of(run.substring("RUN ".length()).trim().split("\\s+")));
                command.add(1, "-Dmaven.repo.local=" + repository);
                command.add(1, "-f");
                command.add(2, stage.resolve("pom.xml").toString());
                Podman.Result mvn = Podman.exec(Duration.ofMinutes(10), command);
                if (mvn.exit() != 0) {
                    throw new AssertionError(String.join(" ", command) + " (for the image's Maven stage) failed:\n"
                            + mvn.stdout() + mvn.stderr());
                }
            }
        } finally {
            deleteTree(stage);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** A sink endpoint that holds every request unanswered until {@link #answer()}, then answers 200. */
    private static final class SlowEndpoint implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService workers = Executors.newCachedThreadPool();
        private final CountDownLatch answering = new CountDownLatch(1);
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final List<String> answered = new CopyOnWriteArrayList<>();

        SlowEndpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(workers);
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(body);
                try {
                    if (answering.getCount() > 0) {
                        answering.await();
                        exchange.close(); // held until its caller was gone: nothing to answer
                        return;
                    }
                } catch (InterruptedException e) {
                    exchange.close();
                    return;
                }
                answered.add(body);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<String> received() {
            return List.copyOf(received);
        }

        List<String> answered() {
            return List.copyOf(answered);
        }

        void answer() {
            answering.countDown();
        }

        @Override
        public void close() {
            answering.countDown();
            server.stop(0);
            workers.shutdownNow();
        }
    }
}
