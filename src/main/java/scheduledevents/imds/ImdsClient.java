package scheduledevents.imds;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Talks to IMDS the way Microsoft requires: header {@code Metadata: true}, never through a proxy (whatever
 * HTTP_PROXY or -Dhttp.proxyHost say: a proxy cannot reach 169.254.169.254 and IMDS rejects X-Forwarded-For),
 * never following redirects, with short timeouts, and within the shared {@link RequestBudget}.
 *
 * <p>A small class on the JDK's own client rather than camel-http: the poll, --once and approvals must share the
 * budget and the no-proxy rule, and it keeps Apache HttpClient off every VM's heap.
 */
public class ImdsClient {
    static final String SCHEDULED_EVENTS = "/metadata/scheduledevents";
    static final String INSTANCE_COMPUTE = "/metadata/instance/compute?api-version=2021-02-01";
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final URI base;
    private final String apiVersion;
    private final Duration timeout;
    private final RequestBudget budget;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public ImdsClient(URI base, String apiVersion, Duration connectTimeout, Duration timeout, RequestBudget budget) {
        this.base = base;
        this.apiVersion = apiVersion;
        this.timeout = timeout;
        this.budget = budget;
        this.http = HttpClient.newBuilder()
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public RequestBudget budget() {
        return budget;
    }

    /** GETs the Scheduled Events document; the caller has taken the request from the budget. */
    public String scheduledEvents(Duration requestTimeout) throws ImdsException {
        return send(HttpRequest.newBuilder(uri(scheduledEventsPath())).GET(), requestTimeout);
    }

    /** GETs {@code instance/compute}: who this VM is. The caller has taken the request from the budget. */
    public VmIdentity instanceCompute() throws ImdsException {
        String body = send(HttpRequest.newBuilder(uri(INSTANCE_COMPUTE)).GET(), timeout);
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
        send(HttpRequest.newBuilder(uri(scheduledEventsPath()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), timeout);
    }

    private String scheduledEventsPath() {
        return SCHEDULED_EVENTS + "?api-version=" + apiVersion;
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base.toString().replaceAll("/+$", "") + pathAndQuery);
    }

    private String send(HttpRequest.Builder request, Duration requestTimeout) throws ImdsException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.header("Metadata", "true").timeout(requestTimeout).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ImdsException("timeout", "IMDS did not answer within " + requestTimeout.toMillis() + " ms");
        } catch (ConnectException e) {
            throw new ImdsException("connection-refused", "cannot connect to IMDS at " + base);
        } catch (IOException e) {
            throw new ImdsException("io-error", "IMDS request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImdsException("interrupted", "interrupted while waiting for IMDS");
        }
        String body = readLimited(response);
        int status = response.statusCode();
        if (status != 200) {
            throw new ImdsException(String.valueOf(status), "IMDS answered HTTP " + status + reason(status));
        }
        return body;
    }

    private static String readLimited(HttpResponse<InputStream> response) throws ImdsException {
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ImdsException("too-large", "IMDS answer exceeds " + MAX_BODY_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ImdsException("io-error", "reading the IMDS answer failed: " + e.getClass().getSimpleName());
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
