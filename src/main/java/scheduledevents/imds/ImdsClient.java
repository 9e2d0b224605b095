package scheduledevents.imds;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import scheduledevents.events.UntrustedText;

/**
 * Talks to IMDS the way Microsoft requires: header {@code Metadata: true}, never through a proxy (whatever
 * HTTP_PROXY or -Dhttp.proxyHost say: a proxy cannot reach 169.254.169.254 and IMDS rejects X-Forwarded-For),
 * never following redirects, with short timeouts, and within the shared {@link RequestBudget}.
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
            return VmIdentity.fromCompute(mapper.readTree(body));
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

    private String send(String pathAndQuery, String jsonBody, Duration requestTimeout) throws ImdsException {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) uri(pathAndQuery).toURL().openConnection(Proxy.NO_PROXY);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(timeoutMillis(connectTimeout));
            // IMDS answers in one piece: a read timeout of the request's budget bounds the whole answer closely enough
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
            String body = readLimited(status < 400 ? connection.getInputStream() : connection.getErrorStream());
            if (status != 200) {
                throw new ImdsException(String.valueOf(status), "IMDS answered HTTP " + status + reason(status));
            }
            return body;
        } catch (SocketTimeoutException e) {
            throw new ImdsException("timeout", "IMDS did not answer within " + requestTimeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new ImdsException("connection-refused", "cannot connect to IMDS at " + base);
        } catch (IOException e) {
            if (connection != null) {
                connection.disconnect(); // a half-read connection must not go back to the keep-alive cache
            }
            throw new ImdsException("io-error", "IMDS request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + UntrustedText.forLog(e.getMessage())));
        }
    }

    private static int timeoutMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** Reads the whole answer (so the connection can be reused) up to a bound a hostile answer cannot pass. */
    private static String readLimited(InputStream stream) throws IOException, ImdsException {
        if (stream == null) {
            return "";
        }
        try (InputStream in = stream) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ImdsException("too-large", "IMDS answer exceeds " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
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
}
