package scheduledevents.responder.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.Scenario;

/**
 * {@code --responder --demo}: a small fleet on this machine feeding the responder through its own webhook, the way
 * a real fleet does through Event Grid. Four agents (child JVMs of this jar, the real agent with its Event Grid
 * sink) each poll an IMDS simulator of its own VM; all simulators play the {@code fleet} scenario. The agents
 * publish to an {@link EventGridRelay} (a loopback topic with a throw-away certificate made by keytool), which
 * delivers to the responder as an Event Grid subscription does. A fifth VM, spot-09, runs no agent: only the
 * platform topic, emulated here from the simulator's document, reports it. "Approve now" goes to a {@link DemoArm}
 * on loopback, which approves the event in the VMs' simulators, so it starts early as in Azure. The responder runs
 * on an embedded database in a temporary folder until Ctrl-C.
 */
public final class FleetDemo {
    static final List<String> AGENT_VMS = List.of("vm-01", "vm-02", "vm-03", "vm-04");
    public static final String DEMO_SECRET = "demo-delivery-secret";
    public static final String DEMO_TOKEN = "demo-api-token";
    private static final String TOPIC_KEY = "demo-topic-key";
    private static final char[] STORE_PASSWORD = "demo-only".toCharArray();
    // where the demo's VMs are: the simulator's compute metadata and the emulated platform topic say so
    private static final String SUBSCRIPTION = "00000000-1111-2222-3333-444444444444";
    private static final String GROUP = "rg-prod";

    private FleetDemo() {
    }

    /** The demo's folder: a new temporary one per run. */
    public static Path newFolder() throws IOException {
        return Files.createTempDirectory("scheduled-events-responder-demo-");
    }

    /** The demo's stand-in of Azure Resource Manager (not started), for the demo VMs' subscription and group. */
    public static DemoArm newArm() {
        return new DemoArm(SUBSCRIPTION, GROUP);
    }

    /**
     * The settings the demo runs the responder with: embedded database in {@code dir}, the demo's secrets, its
     * approvals sent to {@code armUrl} (the demo's {@link DemoArm}).
     */
    public static Map<String, String> overrides(Path dir, String armUrl) {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("responder.data-dir", dir.resolve("responder").toString());
        overrides.put("responder.db.url", "");
        overrides.put("responder.delivery-secret", DEMO_SECRET);
        overrides.put("responder.api-token", DEMO_TOKEN);
        overrides.put("responder.notify", "");
        overrides.put("responder.arm.url", armUrl);
        return overrides;
    }

    /**
     * @param port      the responder's port (responder.port)
     * @param arm       the responder's stand-in of Azure (started; closed with the demo), told where each VM is
     * @param responder runs the responder (set up with {@link #overrides}) until it stops, calling the Runnable once
     *                  its routes are up; answers the exit code
     */
    public static int run(Path dir, int port, DemoArm arm, PrintStream err, Function<Runnable, Integer> responder) {
        List<AutoCloseable> running = java.util.Collections.synchronizedList(new ArrayList<>());
        running.add(arm);
        Thread cleanup = new Thread(() -> closeAll(running), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        String base = "http://127.0.0.1:" + port;
        err.printf("Responder demo: fleet events appear within a minute at%n"
                + "  curl -s -H 'Authorization: Bearer %s' %s/api/events%n"
                + "and on the page %s/ (any name, token %s). Four agents (vm-01..vm-04) and the platform topic "
                + "report the 'fleet' scenario; data in %s. Approve now is answered by the demo's stand-in of Azure "
                + "(approvals go to %s, never to Azure). Ctrl-C ends it.%n", DEMO_TOKEN, base, base, DEMO_TOKEN, dir,
                arm.url());
        try {
            // the fleet starts beside the responder, not on Camel's start-up thread: its agents take seconds
            return responder.apply(() -> new Thread(() -> {
                try {
                    startFleet(dir, URI.create(base + "/events/eventgrid"), arm, running, err);
                } catch (IOException | InterruptedException e) {
                    err.println("scheduled-events-agent: the demo fleet did not start: " + e.getMessage());
                }
            }, "demo-fleet").start());
        } finally {
            closeAll(running);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
        }
    }

    private static void startFleet(Path dir, URI webhook, DemoArm arm, List<AutoCloseable> running, PrintStream err)
            throws IOException, InterruptedException {
        DemoTls tls = DemoTls.make(dir.resolve("tls"), STORE_PASSWORD);
        EventGridRelay relay = new EventGridRelay(tls.keyStore(), STORE_PASSWORD, TOPIC_KEY, webhook, DEMO_SECRET, 4)
                .start();
        running.add(relay);
        Scenario scenario = Scenario.builtIn("fleet");
        List<ImdsSimulator> simulators = new ArrayList<>();
        for (String vm : AGENT_VMS) {
            ImdsSimulator simulator = new ImdsSimulator("127.0.0.1", 0, vm, java.time.Clock.systemUTC()).start();
            running.add(simulator);
            simulators.add(simulator);
            arm.vm(vm, simulator.baseUrl());
            running.add(startAgent(dir, vm, simulator.baseUrl(), relay.topicEndpoint(), tls.trustStore()));
        }
        // the agents need a few seconds to start; the scenario's first event appears 2 s after it starts
        waitForAgents(simulators, Duration.ofSeconds(60));
        for (ImdsSimulator simulator : simulators) {
            simulator.play(scenario, scenario.defaultSpeed());
        }
        PlatformTopic platform = new PlatformTopic(relay);
        ScheduledExecutorService platformPoll = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-platform-topic");
            t.setDaemon(true);
            return t;
        });
        String documentUrl = simulators.get(0).baseUrl() + "/metadata/scheduledevents?api-version=2020-07-01";
        arm.platformView(simulators.get(0).baseUrl());
        HttpClient client = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        platformPoll.scheduleWithFixedDelay(() -> {
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(documentUrl))
                        .header("Metadata", "true").build(), HttpResponse.BodyHandlers.ofString());
                platform.observe(json.readTree(answer.body()));
            } catch (IOException | RuntimeException e) {
                // the simulator is going away at the end of the demo
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, 1, TimeUnit.SECONDS);
        running.add(platformPoll::shutdownNow);
        err.printf("Demo fleet running: %d agents publish to %s; the scenario lasts about %d s.%n", AGENT_VMS.size(),
                relay.topicEndpoint(), Math.round(scenario.lengthSeconds() / scenario.defaultSpeed()));
    }

    private static AutoCloseable startAgent(Path dir, String vm, String imdsUrl, String topic, Path trustStore)
            throws IOException {
        Path state = Files.createDirectories(dir.resolve(vm));
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar;
        try {
            jar = Path.of(FleetDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot find this jar to start the demo's agents", e);
        }
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC",
                "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword="
                + new String(STORE_PASSWORD), "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(state.resolve("agent.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("AGENT_IMDS_URL", imdsUrl);
        env.put("AGENT_STATE_DIR", state.toString());
        env.put("AGENT_SINKS", "eventgrid");
        env.put("AGENT_EVENTGRID_ENDPOINT", topic);
        env.put("AGENT_EVENTGRID_KEY", TOPIC_KEY);
        env.put("AGENT_HEALTH_PORT", "0");
        env.put("AGENT_HOOKS_DIR", state.resolve("no-hooks").toString());
        Process process = builder.start();
        return () -> {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        };
    }

    /** Until every simulator has been asked for its document once: the agents are up. */
    private static void waitForAgents(List<ImdsSimulator> simulators, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end
                && !simulators.stream().allMatch(s -> s.requests().stream()
                .anyMatch(r -> r.pathAndQuery().startsWith("/metadata/scheduledevents")))) {
            Thread.sleep(200);
        }
    }

    private static void closeAll(List<AutoCloseable> running) {
        List<AutoCloseable> copy;
        synchronized (running) {
            copy = new ArrayList<>(running);
            running.clear();
        }
        for (int i = copy.size() - 1; i >= 0; i--) {
            try {
                copy.get(i).close();
            } catch (Exception e) {
                // best effort at the end of a demo
            }
        }
    }

    /**
     * Emulates Azure's platform topic from the simulator's document: a ScheduledEventEmitted event per VM each time
     * an event appears, changes status or goes (Completed after Started, else Canceled).
     */
    static final class PlatformTopic {
        private final EventGridRelay relay;
        private final Map<String, JsonNode> last = new LinkedHashMap<>();

        PlatformTopic(EventGridRelay relay) {
            this.relay = relay;
        }

        synchronized void observe(JsonNode document) {
            Map<String, JsonNode> now = new LinkedHashMap<>();
            for (JsonNode event : document.path("Events")) {
                now.put(event.path("EventId").asText(), event);
            }
            List<JsonNode> out = new ArrayList<>();
            now.forEach((id, event) -> {
                JsonNode before = last.get(id);
                if (before == null || !before.path("EventStatus").asText().equals(event.path("EventStatus").asText())) {
                    out.addAll(emit(event, event.path("EventStatus").asText()));
                }
            });
            last.forEach((id, event) -> {
                if (!now.containsKey(id)) {
                    out.addAll(emit(event, "Started".equals(event.path("EventStatus").asText())
                            ? "Completed" : "Canceled"));
                }
            });
            last.clear();
            last.putAll(now);
            if (!out.isEmpty()) {
                relay.publish(out);
            }
        }

        private List<JsonNode> emit(JsonNode event, String status) {
            List<JsonNode> events = new ArrayList<>();
            for (JsonNode vm : event.path("Resources")) {
                events.add(PlatformEvents.emitted(event, status, vm.asText(), SUBSCRIPTION, GROUP,
                        java.time.Instant.now()));
            }
            return events;
        }
    }
}
