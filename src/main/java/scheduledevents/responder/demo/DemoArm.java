package scheduledevents.responder.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's stand-in for Azure's Maintenance resource provider, on loopback: the responder's "Approve now" in
 * {@code --responder --demo} acknowledges here instead of at management.azure.com, with this stand-in's own token
 * instead of a managed identity's (so the demo never asks the instance metadata service for one either). An
 * acknowledge of a demo VM's event approves it in that VM's IMDS simulator the way the VM itself would (POST
 * {@code StartRequests}), so the event starts early and the demo's agents report it Started, as in Azure.
 *
 * <p>Answers as ARM does: 200 when approved, 401 for another token, 404 for a resource or event it does not have
 * (a VM without an agent is answered from the simulator the emulated platform topic watches), 502 when the VM's
 * simulator fails or does not answer.
 */
public final class DemoArm implements AutoCloseable {
    /** The acknowledge path; ARM's segments compared case-insensitively, as Azure does. */
    private static final Pattern ACKNOWLEDGE = Pattern.compile("/subscriptions/([^/]+)/resourcegroups/([^/]+)"
            + "/providers/Microsoft\\.Compute/virtualMachines/([^/]+)/providers/Microsoft\\.Maintenance"
            + "/scheduledevents/([^/]+)/acknowledge", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String subscription;
    private final String resourceGroup;
    private final String token = "demo-arm-" + HexFormat.of().formatHex(randomBytes());
    private final Map<String, URI> imdsByVm = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "demo-arm");
        t.setDaemon(true);
        return t;
    });
    private volatile URI platformView;
    private HttpServer server;

    /** @param subscription, resourceGroup where the demo's VMs are (their resource ids') */
    public DemoArm(String subscription, String resourceGroup) {
        this.subscription = subscription;
        this.resourceGroup = resourceGroup;
    }

    /** Listens on a free loopback port. */
    public DemoArm start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
        return this;
    }

    /** ARM's base URL here (responder.arm.url). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The token it accepts: what the demo's responder sends instead of a managed identity's. */
    public String token() {
        return token;
    }

    /** {@code vm}'s events are approved in the IMDS simulator at {@code imdsBaseUrl}. */
    public void vm(String vm, String imdsBaseUrl) {
        imdsByVm.put(vm.toLowerCase(Locale.ROOT), URI.create(imdsBaseUrl));
    }

    /** The simulator whose document the emulated platform topic reports: it answers for VMs without an agent. */
    public void platformView(String imdsBaseUrl) {
        platformView = URI.create(imdsBaseUrl);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = ACKNOWLEDGE.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                send(exchange, 404, "NotFound", "No such operation in the demo's stand-in of Azure.");
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                    ("Bearer " + token).getBytes(StandardCharsets.UTF_8))) {
                send(exchange, 401, "InvalidAuthenticationToken", "The access token is invalid.");
                return;
            }
            String vm = decode(path.group(3));
            String eventId = decode(path.group(4));
            URI imds = imdsByVm.getOrDefault(vm.toLowerCase(Locale.ROOT), platformView);
            if (!decode(path.group(1)).equalsIgnoreCase(subscription)
                    || !decode(path.group(2)).equalsIgnoreCase(resourceGroup) || imds == null) {
                send(exchange, 404, "ResourceNotFound", "The demo has no such virtual machine.");
                return;
            }
            send(exchange, approve(imds, vm, eventId));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Approves {@code eventId} in the simulator as the VM would; 404 when its document has no such event, 502 when
     * the simulator fails or does not answer (the responder then shows it as Azure's failure, in words).
     */
    private Answer approve(URI imds, String vm, String eventId) throws InterruptedException {
        URI document = imds.resolve("/metadata/scheduledevents?api-version=2020-07-01");
        try {
            HttpResponse<String> current = http.send(HttpRequest.newBuilder(document).header("Metadata", "true")
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (current.statusCode() != 200) {
                return unavailable(current.statusCode());
            }
            if (!lists(JSON.readTree(current.body()), eventId, vm)) {
                return new Answer(404, "NotFound", "Scheduled event not found.");
            }
            String body = JSON.writeValueAsString(Map.of("StartRequests", List.of(Map.of("EventId", eventId))));
            HttpResponse<String> approved = http.send(HttpRequest.newBuilder(document).header("Metadata", "true")
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return approved.statusCode() == 200 ? new Answer(200, null, "Successfully Approved.")
                    : unavailable(approved.statusCode());
        } catch (IOException e) {
            return new Answer(502, "BadGateway", "The VM's metadata service did not answer usably.");
        }
    }

    private static Answer unavailable(int status) {
        return new Answer(502, "BadGateway", "The VM's metadata service answered " + status + ".");
    }

    /** Whether the document holds {@code eventId} (any case) for {@code vm}. */
    private static boolean lists(JsonNode document, String eventId, String vm) {
        for (JsonNode event : document.path("Events")) {
            if (event.path("EventId").asText().equalsIgnoreCase(eventId)) {
                for (JsonNode resource : event.path("Resources")) {
                    if (resource.asText().equalsIgnoreCase(vm)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private record Answer(int status, String code, String message) {
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        send(exchange, answer.status(), answer.code(), answer.message());
    }

    private static void send(HttpExchange exchange, int status, String code, String message) throws IOException {
        String body = code == null ? JSON.writeValueAsString(Map.of("value", message))
                : JSON.writeValueAsString(Map.of("error", Map.of("code", code, "message", message)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        workers.shutdownNow();
    }
}
