package scheduledevents.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Azure Instance Metadata Service on loopback, for the agent's demo/simulate modes, end-to-end
 * tests and benchmarks. Serves {@code GET/POST /metadata/scheduledevents} and {@code GET /metadata/instance/compute}
 * with IMDS's checks (Metadata: true, no X-Forwarded-For, api-version present); anything else is 404.
 *
 * <p>Content comes from {@link #setEvents}, {@link #setDocument} or a {@link #play playing scenario}. Faults
 * ({@link #failNext}, {@link #delayNext}, {@link #serveRawNext}, {@link #trickleNext}) are queued FIFO and apply
 * only to {@code GET /metadata/scheduledevents}; approvals and the compute endpoint are never faulted. All methods
 * are thread-safe. The injected {@link Clock} decides what the document looks like at each request, so tests can
 * move time forward without sleeping.
 */
public final class ImdsSimulator implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final String DEFAULT_VM_NAME = "myvm";

    static {
        // The JDK server writes response headers and body separately; with Nagle on, every answer on a kept-alive
        // connection waits ~40 ms for the client's delayed ACK. Only read when the JDK creates its first HttpServer,
        // and left alone if the user chose a value.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String host;
    private final int requestedPort;
    private final String vmName;
    private final Clock clock;
    private final ImdsState state = new ImdsState();
    private final RequestLog log = new RequestLog();

    private HttpServer server;
    private ExecutorService workers;

    /** Loopback, ephemeral port, VM "myvm", system clock. */
    public ImdsSimulator() {
        this(DEFAULT_HOST, 0, DEFAULT_VM_NAME, Clock.systemUTC());
    }

    /** @param port 0 for an ephemeral port; see {@link #port()} once started */
    public ImdsSimulator(String host, int port, String vmName, Clock clock) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (vmName == null || vmName.isBlank()) {
            throw new IllegalArgumentException("VM name must not be blank");
        }
        this.host = host;
        this.requestedPort = port;
        this.vmName = vmName;
        this.clock = clock;
    }

    /** Binds and starts serving. */
    public synchronized ImdsSimulator start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        HttpServer created = HttpServer.create(new InetSocketAddress(host, requestedPort), 128);
        // A pool, not the default caller-runs executor: a delayed answer must not hold up other requests.
        workers = Executors.newCachedThreadPool(daemonThreads());
        created.setExecutor(workers);
        created.createContext("/", new ImdsHandler(state, log, clock, vmName));
        created.start();
        server = created;
        return this;
    }

    /** The bound port (the real one when 0 was asked for). */
    public synchronized int port() {
        return running().getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public synchronized String baseUrl() {
        InetAddress address = running().getAddress().getAddress();
        String literal = address.getHostAddress();
        return "http://" + (address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + port();
    }

    public String vmName() {
        return vmName;
    }

    /** Serve exactly these events from now on (stops any playing scenario). */
    public void setEvents(List<SimEvent> events) {
        state.setTimeline(new FixedEvents(events), clock.instant());
    }

    /**
     * Serve this body verbatim, e.g. malformed JSON, until {@link #setEvents} or {@link #play} replaces it.
     * DocumentIncarnation bookkeeping pauses meanwhile.
     */
    public void setDocument(String rawJson) {
        state.setRawDocument(rawJson);
    }

    /** Plays the scenario from now at its own default speed (1 unless the file says otherwise), once. */
    public void play(Scenario scenario) {
        play(scenario, scenario.defaultSpeed(), false);
    }

    /** Plays the scenario from now, once: scenario second s happens at now + s / speed. */
    public void play(Scenario scenario, double speed) {
        play(scenario, speed, false);
    }

    /** As {@link #play(Scenario, double)}; with {@code loop}, restarts it (with fresh EventIds) each time it ends. */
    public void play(Scenario scenario, double speed, boolean loop) {
        Instant now = clock.instant();
        state.setTimeline(new ScenarioPlayback(scenario, vmName, now, speed, loop), now);
    }

    /** The next {@code count} scheduledevents GETs answer {@code status} with a small JSON error body. */
    public void failNext(int status, int count) {
        state.addFault(new Fault.Status(status), count);
    }

    /** The next {@code count} scheduledevents GETs wait {@code delay} (real time) before answering normally. */
    public void delayNext(Duration delay, int count) {
        state.addFault(new Fault.Delay(delay), count);
    }

    /** The next {@code count} scheduledevents GETs answer 200 with {@code body} verbatim. */
    public void serveRawNext(String body, int count) {
        state.addFault(new Fault.RawBody(body), count);
    }

    /**
     * The next {@code count} scheduledevents GETs answer 200 with the document, its body sent one byte every
     * {@code interval} (real time) after the headers: an IMDS that stalls without ever going silent.
     */
    public void trickleNext(Duration interval, int count) {
        state.addFault(new Fault.Trickle(interval), count);
    }

    /** Drops every fault still queued (scenario faults that fall due later still join): IMDS behaves again. */
    public void clearFaults() {
        state.clearFaults();
    }

    /** Every request answered so far (all paths and methods), oldest first. */
    public List<RecordedRequest> requests() {
        return log.snapshot();
    }

    /** Forgets recorded requests, e.g. after a benchmark's warm-up. */
    public void clearRequests() {
        log.clear();
    }

    /** Most requests (all paths and methods) received within any sliding window of this length, in real time. */
    public int maxRequestsInAnyWindow(Duration window) {
        return log.maxRequestsInAnyWindow(window);
    }

    /** Every EventId POSTed in a StartRequests body, in arrival order. */
    public List<Approval> approvals() {
        return state.approvals();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            workers.shutdownNow(); // interrupts delay faults still sleeping
            server = null;
        }
    }

    private HttpServer running() {
        if (server == null) {
            throw new IllegalStateException("simulator is not running; call start() first");
        }
        return server;
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "imds-simulator-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
