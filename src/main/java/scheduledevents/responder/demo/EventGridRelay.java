package scheduledevents.responder.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for an Event Grid topic and its webhook subscription, on loopback, for {@code --responder --demo} (and
 * the responder's end-to-end tests): agents publish to it as to a topic ({@code POST /api/events} over HTTPS with
 * {@code aeg-sas-key}); it delivers every event to the responder's webhook as Event Grid does: one event per request
 * (the subscription's default batch size), the secret in {@code x-delivery-secret}, {@code aeg-delivery-count}, and
 * retries with a growing delay until the webhook answers 2xx. What it holds is in memory: it is a demo, not a broker.
 */
public final class EventGridRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_DELAY = Duration.ofSeconds(10);

    private final HttpsServer server;
    private final String topicKey;
    private final URI webhook;
    private final String deliverySecret;
    private final BlockingQueue<JsonNode> pending = new LinkedBlockingQueue<>();
    private final ExecutorService deliverers;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param keyStore       PKCS12 keystore with the certificate the topic presents (the demo makes one with keytool),
     *                       or null for no topic endpoint: events come only through {@link #publish(List)}
     * @param topicKey       what publishers must send in {@code aeg-sas-key}
     * @param webhook        the responder's {@code /events/eventgrid}
     * @param deliverySecret sent in {@code x-delivery-secret} with every delivery
     * @param concurrency    deliveries in flight at once (Event Grid delivers in parallel)
     */
    public EventGridRelay(Path keyStore, char[] storePassword, String topicKey, URI webhook, String deliverySecret,
                          int concurrency) throws IOException {
        this.topicKey = topicKey;
        this.webhook = webhook;
        this.deliverySecret = deliverySecret;
        if (keyStore == null) {
            server = null;
        } else {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(sslContext(keyStore, storePassword)));
            server.createContext("/api/events", this::publish);
            server.setExecutor(Executors.newFixedThreadPool(2, daemon("relay-topic")));
        }
        deliverers = Executors.newFixedThreadPool(concurrency, daemon("relay-delivery"));
        for (int i = 0; i < concurrency; i++) {
            deliverers.execute(this::deliverLoop);
        }
    }

    public EventGridRelay start() {
        if (server != null) {
            server.start();
        }
        return this;
    }

    /** Where agents publish: set it as {@code AGENT_EVENTGRID_ENDPOINT}. */
    public String topicEndpoint() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/api/events";
    }

    /** Queues events as if a topic had received them (the demo's platform-topic events come this way). */
    public void publish(List<JsonNode> events) {
        published.addAndGet(events.size());
        pending.addAll(events);
    }

    public long published() {
        return published.get();
    }

    /** Events the webhook has accepted (answered 2xx). */
    public long delivered() {
        return delivered.get();
    }

    private void publish(HttpExchange exchange) throws IOException {
        try (exchange) {
            String key = exchange.getRequestHeaders().getFirst("aeg-sas-key");
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (key == null || !MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8),
                    topicKey.getBytes(StandardCharsets.UTF_8))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in.readNBytes(1_048_576 + 1));
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            List<JsonNode> events = new ArrayList<>();
            if (body != null && body.isArray()) {
                body.forEach(events::add);
            } else if (body != null && body.isObject()) {
                events.add(body);
            } else {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            publish(events);
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void deliverLoop() {
        while (!closed) {
            JsonNode event;
            try {
                event = pending.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event != null && !deliver(event)) {
                return;
            }
        }
    }

    /** Delivers one event until the webhook takes it; false when the relay closed first. */
    private boolean deliver(JsonNode event) {
        boolean cloudEvent = event.has("specversion");
        ArrayNode batch = JSON.createArrayNode().add(event);
        byte[] body = (cloudEvent ? event : batch).toString().getBytes(StandardCharsets.UTF_8);
        Duration delay = Duration.ofMillis(500);
        for (int attempt = 0; !closed; attempt++) {
            HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", cloudEvent ? "application/cloudevents+json; charset=utf-8"
                            : "application/json")
                    .header("aeg-event-type", "Notification")
                    .header("aeg-delivery-count", String.valueOf(attempt))
                    .header("x-delivery-secret", deliverySecret)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status >= 200 && status <= 204) {
                    delivered.incrementAndGet();
                    return true;
                }
                if (status == 400 || status == 413) {
                    return true; // Event Grid does not retry these either: dropped (or dead-lettered)
                }
            } catch (IOException e) {
                // the responder is down or restarting: retry, as Event Grid does
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return false;
            }
            delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        deliverers.shutdownNow();
        if (server != null) {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private static SSLContext sslContext(Path keyStore, char[] password) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot use the relay's keystore: " + e.getClass().getSimpleName(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
