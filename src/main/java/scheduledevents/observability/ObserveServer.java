package scheduledevents.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.UntrustedText;

/**
 * {@code GET /observe/health} (and {@code /live}, {@code /ready}) and {@code GET /observe/metrics} on the JDK's own
 * HTTP server ({@code jdk.httpserver}). Why not Camel's management server: it runs on Vert.x and Netty, about 1,100
 * classes and 8 MiB of resident memory on every VM for two GET paths; this server is a handful of classes. The
 * answers are Camel's health checks (the IMDS check and the routes' and consumers') and the Prometheus registry's
 * scrape, as before.
 *
 * <p>It listens on 0.0.0.0 by default, so it must survive clients that send half a request and wait: the JDK server
 * reads each request on the thread that answers it, so one such client held its only thread, and with it every
 * probe, for as long as it liked. Now up to {@value #WORKERS} threads answer (started when a request comes, gone
 * after {@value #WORKER_IDLE_SECONDS} s idle, so an idle agent keeps none), and the JDK server closes a connection
 * whose request is not in after {@value #MAX_REQUEST_SECONDS} s or whose answer is not taken within
 * {@value #MAX_RESPONSE_SECONDS} s: a probe waits at most that long behind slow clients, well inside the
 * container HEALTHCHECK's 5 s.
 */
public final class ObserveServer extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);
    static final String HEALTH = "/observe/health";
    static final String METRICS = "/observe/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int WORKERS = 4;
    static final int WORKER_IDLE_SECONDS = 10;
    /** Requests waiting for a worker; beyond that the JDK server closes the new connection at once. */
    private static final int QUEUED_REQUESTS = 32;
    static final long MAX_REQUEST_SECONDS = 2;
    static final long MAX_RESPONSE_SECONDS = 5;

    static {
        // The JDK server reads these once, when the first HttpServer of the JVM is created; this class is loaded
        // before the agent creates one. A value set with -D (e.g. in JAVA_TOOL_OPTIONS) is left alone.
        setIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(MAX_REQUEST_SECONDS));
        setIfAbsent("sun.net.httpserver.maxRspTime", String.valueOf(MAX_RESPONSE_SECONDS));
    }

    private final String host;
    private final int port;
    private final CamelContext camel;
    private final PrometheusMeterRegistry meters;
    private HttpServer server;
    private ThreadPoolExecutor workers;

    public ObserveServer(String host, int port, CamelContext camel, PrometheusMeterRegistry meters) {
        this.host = host;
        this.port = port;
        this.camel = camel;
        this.meters = meters;
    }

    /** The port it listens on (useful when it was started on port 0). */
    public int port() {
        return server == null ? port : server.getAddress().getPort();
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext(HEALTH, this::health);
        server.createContext(METRICS, this::metrics);
        server.createContext("/", exchange -> send(exchange, 404, "text/plain", "not found\n"));
        workers = workers();
        server.setExecutor(workers);
        server.start();
        LOG.info("Health on http://{}:{}{}, metrics on {}", host, port(), HEALTH, METRICS);
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (workers != null) {
            workers.shutdownNow();
            workers = null;
        }
    }

    /**
     * A few threads, made on demand and dropped when idle, with a bounded queue. A slow client holds a thread only
     * until the JDK server's request time limit closes its connection; when every thread is held, requests queue.
     */
    private static ThreadPoolExecutor workers() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(WORKERS, WORKERS, WORKER_IDLE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), task -> {
                    Thread t = new Thread(task, "observe-http-" + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        Function<CamelContext, Collection<HealthCheck.Result>> checks = switch (path) {
            case HEALTH, HEALTH + "/" -> HealthCheckHelper::invoke;
            case HEALTH + "/live" -> HealthCheckHelper::invokeLiveness;
            case HEALTH + "/ready" -> HealthCheckHelper::invokeReadiness;
            default -> null;
        };
        if (checks == null) {
            send(exchange, 404, "text/plain", "not found\n");
            return;
        }
        Collection<HealthCheck.Result> results = checks.apply(camel);
        boolean up = results.stream().noneMatch(r -> r.getState() == HealthCheck.State.DOWN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        String query = exchange.getRequestURI().getQuery();
        if (query != null && query.contains("exposureLevel=full")) {
            List<Map<String, Object>> each = new ArrayList<>();
            for (HealthCheck.Result r : results) {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("name", r.getCheck().getId());
                check.put("status", r.getState().name());
                r.getMessage().ifPresent(m -> check.put("message", UntrustedText.forLog(m)));
                r.getDetails().forEach((k, v) -> check.put(k, String.valueOf(v)));
                each.add(check);
            }
            body.put("checks", each);
        }
        send(exchange, up ? 200 : 503, "application/json", JSON.writeValueAsString(body));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!isGet(exchange)) {
            return;
        }
        send(exchange, 200, PROMETHEUS_TEXT, meters.scrape());
    }

    private static boolean isGet(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain", "method not allowed\n");
        return false;
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }
}
