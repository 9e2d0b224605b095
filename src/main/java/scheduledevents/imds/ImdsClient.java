package scheduledevents.imds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import scheduledevents.logging.UntrustedText;
import scheduledevents.record.VmIdentity;

/**
 * Talks to IMDS the way Microsoft requires: header {@code Metadata: true}, never through a proxy (whatever
 * HTTP_PROXY or -Dhttp.proxyHost say: a proxy cannot reach 169.254.169.254 and IMDS rejects X-Forwarded-For),
 * never following redirects, with short timeouts (each request ends at its deadline, even when IMDS sends a byte now
 * and then: {@link RequestDeadline}), and within the shared {@link RequestBudget}.
 *
 * <p>A small class on the JDK's {@link HttpURLConnection} rather than camel-http: the poll, --once and approvals must
 * share the budget and the no-proxy rule. Not the JDK's newer {@code HttpClient}: that one sets up TLS (every trusted
 * CA certificate parsed) even for plain http://169.254.169.254, and runs a selector thread and hands each answer to
 * a worker thread; measured on an idle agent, that was about 8 CPU seconds an hour and 4 MiB on every VM.
 * {@code HttpURLConnection} does a plain-HTTP GET on the calling thread and keeps the connection alive.
 */
public class ImdsClient {
    static final String SCHEDULED_EVENTS = "/metadata/scheduledevents";
    static final String INSTANCE_COMPUTE = "/metadata/instance/compute?api-version=2021-02-01";
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final URI base;
    private final String apiVersion;
    private final Duration timeout;
    private final RequestBudget budget;
    private final Duration connectTimeout;
    private final ObjectMapper mapper = new ObjectMapper();

    public ImdsClient(URI base, String apiVersion, Duration connectTimeout, Duration timeout, RequestBudget budget) {
        this.base = base;
        this.apiVersion = apiVersion;
        this.timeout = timeout;
        this.budget = budget;
        this.connectTimeout = connectTimeout;
    }

    public RequestBudget budget() {
        return budget;
    }

    /** GETs the Scheduled Events document; the caller has taken the request from the budget. */
    public String scheduledEvents(Duration requestTimeout) throws ImdsException {
        return send(scheduledEventsPath(), null, requestTimeout);
    }

    /** GETs {@code instance/compute}: who this VM is. The caller has taken the request from the budget. */
    public VmIdentity instanceCompute() throws ImdsException {
        String body = send(INSTANCE_COMPUTE, null, timeout);
        try {
            return identity(mapper.readTree(body));
        } catch (IOException e) {
            throw new ImdsException("malformed", "instance metadata is not JSON");
        }
    }

    /**
     * Approves events (POST StartRequests) so maintenance starts before NotBefore. Waits for budget, because an
     * approval must not be dropped the way a poll may be skipped.
     */
    public void approve(List<String> eventIds) throws ImdsException, InterruptedException {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode requests = body.putArray("StartRequests");
        eventIds.forEach(id -> requests.addObject().put("EventId", id));
        if (!budget.acquire(Duration.ofSeconds(5))) {
            throw new ImdsException("budget", "no IMDS request budget left for the approval");
        }
        send(scheduledEventsPath(), body.toString(), timeout);
    }

    private String scheduledEventsPath() {
        return SCHEDULED_EVENTS + "?api-version=" + apiVersion;
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery);
    }

    /**
     * One request, ended at {@code requestTimeout} after it starts however IMDS behaves: the read timeout alone
     * is per read, so {@link RequestDeadline} bounds the whole request, from connecting to the answer's last byte.
     */
    private String send(String pathAndQuery, String jsonBody, Duration requestTimeout) throws ImdsException {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) uri(pathAndQuery).toURL().openConnection(Proxy.NO_PROXY);
        } catch (IOException e) {
            throw ioError(e);
        }
        try (RequestDeadline deadline = RequestDeadline.start(connection, requestTimeout)) {
            try {
                return exchange(connection, jsonBody, requestTimeout, deadline);
            } catch (SocketTimeoutException e) {
                throw notAnswered(requestTimeout);
            } catch (ConnectException e) {
                throw deadline.wasCut() ? notAnswered(requestTimeout)
                        : new ImdsException("connection-refused", "cannot connect to IMDS at " + base);
            } catch (IOException | RuntimeException e) {
                // Whatever a connection cut mid-read throws (it depends on where the read was), it is the deadline
                if (deadline.wasCut()) {
                    throw notAnswered(requestTimeout);
                }
                if (e instanceof RuntimeException unexpected) {
                    throw unexpected;
                }
                connection.disconnect(); // a half-read connection must not go back to the keep-alive cache
                throw ioError((IOException) e);
            }
        }
    }

    private String exchange(HttpURLConnection connection, String jsonBody, Duration requestTimeout,
                            RequestDeadline deadline) throws IOException, ImdsException {
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(timeoutMillis(connectTimeout));
        // Per read; the deadline bounds the whole request
        connection.setReadTimeout(timeoutMillis(requestTimeout));
        connection.setRequestProperty("Metadata", "true");
        if (jsonBody != null) {
            byte[] bytes = jsonBody.getBytes(StandardCharsets.UTF_8);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            // Fixed-length streaming also stops HttpURLConnection from silently sending a POST twice
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = connection.getResponseCode();
        if (!deadline.answerStarted()) {
            throw notAnswered(requestTimeout); // the watchdog cut the connection as the answer came
        }
        String body = readLimited(status < 400 ? connection.getInputStream() : connection.getErrorStream(),
                connection, requestTimeout, deadline);
        if (status != 200) {
            throw new ImdsException(String.valueOf(status), "IMDS answered HTTP " + status + reason(status));
        }
        return body;
    }

    private static ImdsException ioError(IOException e) {
        return new ImdsException("io-error", "IMDS request failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " " + UntrustedText.forLog(e.getMessage())));
    }

    private static ImdsException notAnswered(Duration requestTimeout) {
        return new ImdsException("timeout", "IMDS did not answer within " + requestTimeout.toMillis() + " ms");
    }

    private static int timeoutMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * Reads the whole answer (so the connection can be reused) up to a bound a hostile answer cannot pass, and
     * no longer than the deadline: each read returns as soon as any byte arrives, so a trickle is seen at once.
     */
    private static String readLimited(InputStream stream, HttpURLConnection connection, Duration requestTimeout,
                                      RequestDeadline deadline) throws IOException, ImdsException {
        if (stream == null) {
            return "";
        }
        try (InputStream in = stream) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                body.write(buffer, 0, n);
                if (body.size() > MAX_BODY_BYTES) {
                    connection.disconnect();
                    throw new ImdsException("too-large", "IMDS answer exceeds " + MAX_BODY_BYTES + " bytes");
                }
                if (deadline.passed()) {
                    connection.disconnect();
                    throw new ImdsException("timeout", "IMDS was still sending its answer after "
                            + requestTimeout.toMillis() + " ms; cut off");
                }
            }
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> " (bad request: Metadata header missing, or a proxy added X-Forwarded-For)";
            case 404 -> " (not found: check agent.imds.url and agent.imds.api-version)";
            case 410 -> " (gone: IMDS is starting, retrying)";
            case 429 -> " (too many requests: backing off)";
            default -> status >= 500 ? " (IMDS error: retrying)"
                    : status >= 300 && status < 400 ? " (redirect: not followed)" : "";
        };
    }

    /** This VM from IMDS {@code instance/compute}. */
    private static VmIdentity identity(JsonNode compute) {
        return new VmIdentity(text(compute, "name"), text(compute, "resourceId"), text(compute, "vmId"),
                text(compute, "location"), text(compute, "vmScaleSetName"), text(compute, "subscriptionId"),
                text(compute, "resourceGroupName"), text(compute, "zone"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        // IMDS writes "" for fields that do not apply (vmScaleSetName, zone): carry them as null
        return value == null || !value.isValueNode() || value.asText().isEmpty() ? null : value.asText();
    }
}
