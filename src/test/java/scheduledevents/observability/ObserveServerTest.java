package scheduledevents.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObserveServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    private final AtomicBoolean imdsAnswers = new AtomicBoolean();
    private DefaultCamelContext camel;
    private PrometheusMeterRegistry meters;
    private ObserveServer server;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        AbstractHealthCheck check = new AbstractHealthCheck("agent", "imds") {
            @Override
            public boolean isLiveness() {
                return false;
            }

            @Override
            protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
                if (imdsAnswers.get()) {
                    builder.up();
                } else {
                    builder.down().message("no successful IMDS poll yet");
                }
            }
        };
        check.setCamelContext(camel);
        HealthCheckHelper.getHealthCheckRegistry(camel).register(check);
        camel.start();
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AgentMetrics.bindJvmMetrics(meters);
        new AgentMetrics(meters, java.time.Clock.systemUTC()).poll("200");
        server = new ObserveServer("127.0.0.1", 0, camel, meters);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
        camel.stop();
    }

    @Test
    void healthIsDownWith503UntilTheCheckIsUpThen200() throws Exception {
        HttpResponse<String> down = get("/observe/health");
        assertEquals(503, down.statusCode());
        assertEquals("{\"status\":\"DOWN\"}", down.body());
        assertEquals("application/json", down.headers().firstValue("Content-Type").orElse(""));

        imdsAnswers.set(true);
        HttpResponse<String> up = get("/observe/health");
        assertEquals(200, up.statusCode());
        assertEquals("{\"status\":\"UP\"}", up.body());
    }

    @Test
    void fullExposureNamesEachCheckWithItsMessage() throws Exception {
        HttpResponse<String> full = get("/observe/health?exposureLevel=full");
        assertEquals(503, full.statusCode());
        assertTrue(full.body().contains("\"name\":\"imds\""), full.body());
        assertTrue(full.body().contains("\"message\":\"no successful IMDS poll yet\""), full.body());
    }

    @Test
    void livenessIgnoresACheckThatIsReadinessOnly() throws Exception {
        // IMDS being away is no reason for an orchestrator to restart the agent
        assertEquals(200, get("/observe/health/live").statusCode());
        assertEquals(503, get("/observe/health/ready").statusCode());
    }

    @Test
    void metricsAreThePrometheusScrapeWithTheAgentsAndTheJvmsFigures() throws Exception {
        HttpResponse<String> metrics = get("/observe/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertTrue(metrics.body().contains("agent_imds_polls_total{status=\"200\"} 1.0"), metrics.body());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics.body());
        assertTrue(metrics.body().contains("process_uptime_seconds"), metrics.body());
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertEquals(404, get("/observe/nothing").statusCode());
        assertEquals(404, get("/").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/observe/health"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void clientsThatSendHalfARequestAndWaitDoNotHoldUpOthers() throws Exception {
        // Fewer than the server's threads: whatever the JDK server's time limits in this JVM, nobody else waits
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < ObserveServer.WORKERS - 1; i++) {
                Socket socket = new Socket("127.0.0.1", server.port());
                socket.getOutputStream().write("GET /observe/metrics HTTP/1.1\r\nHost: x\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(socket);
            }
            imdsAnswers.set(true);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(uri("/observe/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void stoppingClosesThePort() throws Exception {
        URI health = uri("/observe/health");
        server.stop();
        assertThrows(IOException.class, () -> HTTP.send(HttpRequest.newBuilder(health).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
