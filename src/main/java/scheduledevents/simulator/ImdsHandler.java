package scheduledevents.simulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Routes and validates requests the way IMDS does, answers from {@link ImdsState}, and logs every request. */
final class ImdsHandler implements HttpHandler {

    private static final String SCHEDULED_EVENTS_PATH = "/metadata/scheduledevents";
    private static final String COMPUTE_PATH = "/metadata/instance/compute";

    /** Approval bodies are tiny; anything bigger is refused rather than buffered. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final ImdsState state;
    private final RequestLog log;
    private final Clock clock;
    private final String computeJson;

    /** {@code trickle}: null to send the body at once, else the pause before each of its bytes. */
    private record Response(int status, String body, Duration trickle) {
        Response(int status, String body) {
            this(status, body, null);
        }

        static Response error(int status, String message) {
            return new Response(status, DocumentJson.error(message));
        }
    }

    ImdsHandler(ImdsState state, RequestLog log, Clock clock, String vmName) {
        this.state = state;
        this.log = log;
        this.clock = clock;
        this.computeJson = InstanceCompute.json(vmName);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long receivedNanos = System.nanoTime();
        Instant receivedAt = clock.instant();
        Headers headers = exchange.getRequestHeaders();
        URI uri = exchange.getRequestURI();
        String body = "";
        Response response = null; // stays null when there is no one to answer: closing mid-delay, client gone
        try {
            Optional<String> read = readBody(exchange.getRequestBody());
            if (read.isPresent()) {
                body = read.get();
                response = answer(exchange.getRequestMethod(), uri, headers, body);
            } else {
                response = Response.error(413, "Request body too large");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the simulator is closing during a delay fault
        } catch (IOException e) {
            // the client hung up while sending its body
        } catch (RuntimeException e) {
            // Never let a bug or odd input kill the worker silently: answer like an IMDS internal error.
            response = Response.error(500, "Internal server error");
        }
        // Logged before answering, so whoever holds the answer can already see the request in the log.
        log.add(new RecordedRequest(exchange.getRequestMethod(), pathAndQuery(uri), headers.getFirst("Metadata"),
                headers.getFirst("X-Forwarded-For"), headers.getFirst("User-Agent"), body,
                response == null ? 0 : response.status(), receivedAt, receivedNanos));
        try {
            if (response != null) {
                send(exchange, response);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the simulator is closing during a trickle fault
        } finally {
            exchange.close();
        }
    }

    private Response answer(String method, URI uri, Headers headers, String body) throws InterruptedException {
        String path = uri.getRawPath();
        boolean events = SCHEDULED_EVENTS_PATH.equals(path);
        if (!events && !COMPUTE_PATH.equals(path)) {
            return Response.error(404, "Not found");
        }
        if (headers.containsKey("X-Forwarded-For")) {
            return Response.error(400, "Bad request. Requests with X-Forwarded-For header are not allowed");
        }
        if (!"true".equalsIgnoreCase(headers.getFirst("Metadata"))) {
            return Response.error(400, "Bad request. Required metadata header not specified");
        }
        String apiVersion = queryParameter(uri.getRawQuery(), "api-version");
        if (apiVersion == null || apiVersion.isBlank()) {
            return Response.error(400, "Bad request. api-version was not specified in the request");
        }
        if (events && "GET".equals(method)) {
            return scheduledEvents();
        }
        if (events && "POST".equals(method)) {
            return approve(body);
        }
        if (!events && "GET".equals(method)) {
            return new Response(200, computeJson);
        }
        return Response.error(405, "Method not allowed");
    }

    private Response scheduledEvents() throws InterruptedException {
        Optional<Fault> fault = state.takeFault(clock.instant());
        if (fault.isPresent()) {
            Fault f = fault.get();
            if (f instanceof Fault.Status s) {
                return Response.error(s.status(), "Simulated fault: HTTP " + s.status());
            }
            if (f instanceof Fault.RawBody raw) {
                return new Response(200, raw.body());
            }
            if (f instanceof Fault.Trickle trickle) {
                return new Response(200, state.document(clock.instant()), trickle.interval());
            }
            // Sleeping on this worker only: the server's pool keeps serving other requests meanwhile.
            Thread.sleep(((Fault.Delay) f).delay().toMillis());
        }
        return new Response(200, state.document(clock.instant()));
    }

    private Response approve(String body) {
        List<String> ids;
        try {
            ids = DocumentJson.parseStartRequests(body);
        } catch (IllegalArgumentException e) {
            return Response.error(400, "Bad request. " + e.getMessage());
        }
        state.approve(ids, clock.instant());
        return new Response(200, "");
    }

    /** Empty when the body exceeds the limit. */
    private static Optional<String> readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        return Optional.of(new String(bytes, StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, Response response) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        boolean bodyAllowed = response.status() != 204 && response.status() != 304;
        // -1 tells HttpServer "no body"; 0 would mean chunked.
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 || !bodyAllowed ? -1 : bytes.length);
        if (bytes.length > 0 && bodyAllowed) {
            try (OutputStream out = exchange.getResponseBody()) {
                if (response.trickle() == null) {
                    out.write(bytes);
                } else {
                    trickle(out, bytes, response.trickle());
                }
            }
        }
    }

    /** Headers at once, then each byte after a pause; ends early (IOException) when the client hangs up. */
    private static void trickle(OutputStream out, byte[] bytes, Duration interval)
            throws IOException, InterruptedException {
        out.flush();
        for (byte b : bytes) {
            Thread.sleep(interval.toMillis());
            out.write(b);
            out.flush();
        }
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(key).equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return s;
        }
    }

    private static String pathAndQuery(URI uri) {
        return uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
