package scheduledevents.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The packaged jar run as the fleet responder ({@code --responder}), for end-to-end tests: its own process on a free
 * loopback port, a test delivery secret and API token, and helpers that speak to it as Event Grid and an operator
 * do. Starts through {@link TestAgent#jar}, so output, kill -9 and exit codes work as for the agent.
 */
public final class TestResponder implements AutoCloseable {
    public static final String SECRET = "test-delivery-secret-4f1c";
    public static final String TOKEN = "test-api-token-9b2e";
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestAgent process;
    private final int port;

    private TestResponder(TestAgent process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Builder jar(Path workDir) {
        return new Builder(workDir);
    }

    /** Settings of one start, as RESPONDER_… environment variables. */
    public static final class Builder {
        private final Path workDir;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final java.util.List<String> jvmFlags = new java.util.ArrayList<>();
        private final java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--responder"));

        private Builder(Path workDir) {
            this.workDir = workDir;
            env.put("RESPONDER_PORT", String.valueOf(Ports.free()));
            env.put("RESPONDER_DATA_DIR", workDir.resolve("responder-data").toString());
            env.put("RESPONDER_DELIVERY_SECRET", SECRET);
            env.put("RESPONDER_API_TOKEN", TOKEN);
            env.put("RESPONDER_NOTIFY", "");
        }

        /** A setting by key (responder.notify.retry.first-delay -> RESPONDER_NOTIFY_RETRY_FIRST_DELAY). */
        public Builder setting(String key, String value) {
            env.put(TestAgent.envName(key), value);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Mail notifications to a loopback SMTP server (GreenMail) on {@code smtpPort}. */
        public Builder mailTo(int smtpPort, String to) {
            env.put("RESPONDER_NOTIFY", "mail");
            env.put("RESPONDER_MAIL_HOST", "127.0.0.1");
            env.put("RESPONDER_MAIL_PORT", String.valueOf(smtpPort));
            env.put("RESPONDER_MAIL_PROTOCOL", "smtp");
            env.put("RESPONDER_MAIL_STARTTLS", "false");
            env.put("RESPONDER_MAIL_FROM", "responder@example.test");
            env.put("RESPONDER_MAIL_TO", to);
            return this;
        }

        /** PostgreSQL instead of the embedded database. */
        public Builder database(String jdbcUrl, String user, String password) {
            env.put("RESPONDER_DB_URL", jdbcUrl);
            env.put("RESPONDER_DB_USER", user);
            env.put("RESPONDER_DB_PASSWORD", password);
            return this;
        }

        public Builder jvmFlags(String... flags) {
            jvmFlags.addAll(java.util.List.of(flags));
            return this;
        }

        public Builder args(String... arguments) {
            args.addAll(java.util.List.of(arguments));
            return this;
        }

        /** Starts the responder and waits until its health endpoint answers 200. */
        public TestResponder start() {
            TestResponder responder = startNoWait();
            responder.awaitHealthy();
            return responder;
        }

        /** Starts the process and returns at once (a start that must fail, a kill -9 right after start…). */
        public TestResponder startNoWait() {
            int port = Integer.parseInt(env.get("RESPONDER_PORT"));
            TestAgent process = TestAgent.jar(workDir).env(env).jvmFlags(jvmFlags.toArray(String[]::new))
                    .args(args.toArray(String[]::new)).start();
            return new TestResponder(process, port);
        }
    }


    public int port() {
        return port;
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** POSTs an Event Grid schema delivery with the secret header, as Event Grid does. */
    public HttpResponse<String> deliver(String body) {
        return send(HttpRequest.newBuilder(uri("/events/eventgrid")).header("Content-Type", "application/json")
                .header("aeg-event-type", "Notification").header("x-delivery-secret", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** POSTs {@code body} to the webhook with exactly these headers. */
    public HttpResponse<String> deliver(String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/events/eventgrid"))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return send(request);
    }

    /** {@code GET /api/events} with the token and these query parameters (name=value pairs, may be empty). */
    public JsonNode events(String... query) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i + 1 < query.length; i += 2) {
            q.append(q.length() == 0 ? "?" : "&").append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
        }
        HttpResponse<String> answer = api("/api/events" + q);
        if (answer.statusCode() != 200) {
            throw new AssertionError("GET /api/events answered " + answer.statusCode() + ": " + answer.body());
        }
        return parse(answer.body()).path("events");
    }

    /** {@code GET /api/events/{id}}, or null when the responder answers 404. */
    public JsonNode event(String eventId) {
        HttpResponse<String> answer = api("/api/events/" + URLEncoder.encode(eventId, StandardCharsets.UTF_8));
        if (answer.statusCode() == 404) {
            return null;
        }
        if (answer.statusCode() != 200) {
            throw new AssertionError("GET /api/events/" + eventId + " answered " + answer.statusCode());
        }
        return parse(answer.body());
    }

    /** A GET of the API with the token. */
    public HttpResponse<String> api(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Authorization", "Bearer " + TOKEN).GET());
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    public void awaitHealthy() {
        process.await("the responder's /observe/health answers 200", () -> {
            try {
                return get("/observe/health").statusCode() == 200;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    public void await(String what, Await.Condition condition) {
        process.await(what, condition);
    }

    public TestAgent process() {
        return process;
    }

    public String output() {
        return process.output();
    }

    public void kill9() {
        process.kill9();
    }

    public int stop() {
        return process.stop();
    }

    @Override
    public void close() {
        process.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
