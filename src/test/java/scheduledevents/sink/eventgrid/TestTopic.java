package scheduledevents.sink.eventgrid;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Plays an Event Grid topic on loopback, over real HTTPS with the {@link TestTls} certificate: records every
 * request to {@code /api/events} (method, path and query, headers, body) and answers 200, or the statuses queued
 * with {@link #answerNext}. Error answers echo the request's headers in their body, as a careless server might, so
 * that tests can show that what the server says never reaches a log line or an exception message as it is.
 */
public final class TestTopic implements AutoCloseable {
    public record Request(String method, String pathAndQuery, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final int requestedPort;
    private boolean holding;
    private HttpsServer server;
    private ExecutorService workers;

    public TestTopic() {
        this(0);
    }

    TestTopic(int port) {
        this.requestedPort = port;
    }

    public synchronized TestTopic start() throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", requestedPort), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-topic");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    synchronized int port() {
        return server.getAddress().getPort();
    }

    public String endpoint() {
        return "https://127.0.0.1:" + port() + "/api/events";
    }

    /** The next {@code count} requests get {@code status} (then 200 again). */
    synchronized void answerNext(int status, int count) {
        for (int i = 0; i < count; i++) {
            answers.add(status);
        }
    }

    /**
     * From now on, each request is recorded and then left without an answer until {@link #release} (or close): an
     * agent killed meanwhile has sent a batch whose answer it never got.
     */
    synchronized void holdAnswers() {
        holding = true;
    }

    /** Answers the held requests (on connections that may be gone) and every later one at once. */
    synchronized void release() {
        holding = false;
        notifyAll();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Waits until the requests satisfy {@code done}; fails with what arrived if they do not within {@code timeout}. */
    public List<Request> await(Predicate<List<Request>> done, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!done.test(List.copyOf(requests))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("topic did not see " + what + " within " + timeout + "; got "
                            + requests.size() + " requests: " + requests);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String query = exchange.getRequestURI().getRawQuery();
        Request request = new Request(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath() + (query == null ? "" : "?" + query), headers,
                new String(body, StandardCharsets.UTF_8));
        int status;
        synchronized (this) {
            Integer queued = answers.poll();
            status = queued == null ? 200 : queued;
            requests.add(request);
            notifyAll();
            while (holding && server != null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        byte[] answer = status == 200 ? new byte[0]
                : ("{\"error\":{\"code\":\"Test\",\"message\":\"echo of your headers: " + headers.toString()
                .replace("\"", "'") + "\"}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
        exchange.close();
    }

    @Override
    public synchronized void close() {
        holding = false;
        notifyAll();
        if (server != null) {
            server.stop(0);
            workers.shutdownNow();
            server = null;
        }
    }
}
