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
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.events.UntrustedText;

/**
 * {@code GET /observe/health} (and {@code /live}, {@code /ready}) and {@code GET /observe/metrics} on the JDK's own
 * HTTP server ({@code jdk.httpserver}). Why not Camel's management server: it runs on Vert.x and Netty, about 1,100
 * classes and 8 MiB of resident memory on every VM for two GET paths; this server is one thread and a handful of
 * classes. The answers are Camel's health checks (the IMDS check and the routes' and consumers') and the Prometheus
 * registry's scrape, as before.
 */
public final class ObserveServer extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveServer.class);
    static final String HEALTH = "/observe/health";
    static final String METRICS = "/observe/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final int port;
    private final CamelContext camel;
    private final PrometheusMeterRegistry meters;
    private HttpServer server;

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
        // No executor: requests are answered on the server's one dispatcher thread; both answers are quick
        server.start();
        LOG.info("Health on http://{}:{}{}, metrics on {}", host, port(), HEALTH, METRICS);
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            server = null;
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
