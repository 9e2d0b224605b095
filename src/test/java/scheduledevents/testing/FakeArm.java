package scheduledevents.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * One loopback HTTP server that is both the responder's managed identity endpoint (Azure Container Apps / App
 * Service protocol 2019-08-01: {@code GET /msi/token?api-version=2019-08-01&resource=...}, header
 * {@code X-IDENTITY-HEADER} = its secret; it answers {@code access_token}, {@code expires_on} in epoch seconds,
 * {@code resource}, {@code token_type}) and Azure Resource Manager for the Maintenance acknowledge call. It records
 * every request; each acknowledge is answered 200 unless {@link #answer} chose another status for its target.
 * {@link #env()} gives the responder the variables that point it here (TestResponder: {@code .env(...)}), so that
 * azure-identity never looks for the instance metadata service.
 */
public final class FakeArm implements AutoCloseable {
    public static final String TOKEN_PATH = "/msi/token";

    /** One request as it arrived: the raw (still encoded) path. */
    public record Request(String method, String path, String query, String authorization) {
    }

    private final HttpServer server;
    private final String secret = "identity-header-" + UUID.randomUUID();
    private final String token = "fake-arm-token-" + UUID.randomUUID();
    private final List<Request> acknowledges = Collections.synchronizedList(new ArrayList<>());
    private final List<Request> tokenRequests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private volatile int identityStatus = 200;

    private FakeArm(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-arm");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** Starts it on a free loopback port. */
    public static FakeArm start() {
        try {
            return new FakeArm(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** IDENTITY_ENDPOINT, IDENTITY_HEADER and RESPONDER_ARM_URL for the responder's process. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("IDENTITY_ENDPOINT", url() + TOKEN_PATH);
        env.put("IDENTITY_HEADER", secret);
        env.put("RESPONDER_ARM_URL", url());
        return env;
    }

    /** The access token it gives (the ARM side expects it as {@code Authorization: Bearer <token>}). */
    public String token() {
        return token;
    }

    /**
     * Answers {@code status} to every acknowledge whose path contains {@code /<name>/providers/} (a VM's or scale
     * set's name as it appears, encoded, in the path): 403, 404, 409, 500...
     */
    public FakeArm answer(String name, int status) {
        statuses.put("/" + name + "/providers/", status);
        return this;
    }

    /** The identity endpoint's status from now on (200: a token; anything else: an error body, no token). */
    public FakeArm identityAnswers(int status) {
        identityStatus = status;
        return this;
    }

    /** Every acknowledge request, oldest first. */
    public List<Request> acknowledges() {
        synchronized (acknowledges) {
            return List.copyOf(acknowledges);
        }
    }

    /** Every token request, oldest first. */
    public List<Request> tokenRequests() {
        synchronized (tokenRequests) {
            return List.copyOf(tokenRequests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (path.equals(TOKEN_PATH)) {
                tokenRequests.add(new Request(exchange.getRequestMethod(), path, query, null));
                identity(exchange, query);
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            acknowledges.add(new Request(exchange.getRequestMethod(), path, query, authorization));
            if (!("Bearer " + token).equals(authorization)) {
                send(exchange, 401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\","
                        + "\"message\":\"The access token is invalid.\"}}");
                return;
            }
            int status = 200;
            for (Map.Entry<String, Integer> e : statuses.entrySet()) {
                if (path.contains(e.getKey())) {
                    status = e.getValue();
                }
            }
            send(exchange, status, switch (status) {
                case 200 -> "{\"value\":\"Successfully Approved.\"}";
                case 403 -> "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"The client does not have"
                        + " authorization to perform action 'Microsoft.Maintenance/scheduledevents/acknowledge/action'"
                        + " over scope '" + path + "'.\"}}";
                case 404 -> "{\"error\":{\"code\":\"NotFound\",\"message\":\"Scheduled event not found.\"}}";
                case 409 -> "{\"error\":{\"code\":\"Conflict\",\"message\":\"The scheduled event is already in"
                        + " progress.\"}}";
                default -> "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"Something went wrong.\"}}";
            });
        }
    }

    private void identity(HttpExchange exchange, String query) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())
                || !secret.equals(exchange.getRequestHeaders().getFirst("X-IDENTITY-HEADER"))) {
            send(exchange, 401, "{\"error\":\"invalid_request\",\"error_description\":\"missing or wrong"
                    + " X-IDENTITY-HEADER\"}");
            return;
        }
        if (identityStatus != 200) {
            send(exchange, identityStatus, "{\"error\":\"invalid_request\",\"error_description\":\"the identity"
                    + " endpoint refused the request\"}");
            return;
        }
        String resource = query == null ? "" : query;
        send(exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_on\":\""
                + Instant.now().plusSeconds(3600).getEpochSecond() + "\",\"resource\":\"https://management.azure.com\","
                + "\"token_type\":\"Bearer\",\"client_id\":\"" + (resource.contains("client_id=") ? "given" : "system")
                + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
