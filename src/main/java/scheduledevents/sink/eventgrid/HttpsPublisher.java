package scheduledevents.sink.eventgrid;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * Publishes a batch with a key or a SAS token in one HTTPS POST on the JDK's {@link HttpsURLConnection}: the Event
 * Grid publish protocol for these two credentials is that one request with a header, so no class of the Azure SDK
 * (azure-core, Reactor, their Jackson modules) nor the JDK's {@code java.net.http} client loads for it. Measured on
 * the agent, the first publish through the SDK added about 25-29 MB RSS and some 1,900 classes; the agent's goal is
 * at most 96 MB on every VM of a fleet.
 *
 * <p>As the SDK did: the JVM's proxy ({@code https.proxyHost}, {@code https.proxyPort}, {@code http.nonProxyHosts},
 * through the default {@link java.net.ProxySelector}), the JVM's trust ({@code javax.net.ssl.*}: the socket factory
 * of the default {@link SSLContext}, taken per request), 10 s to connect and 60 s per read. As the agent's IMDS client
 * does: a fixed-length POST, so that the connection never sends it a second time on its own; redirects are not
 * followed (a 3xx is a failure that says to check the endpoint); the answer's body is read (to keep the connection
 * alive) and dropped, never put in a message. The caller turns a status or an I/O failure into the sink's
 * exceptions ({@link PublishFailures}); nothing here names the key or token.
 */
final class HttpsPublisher {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final String KEY_HEADER = "aeg-sas-key";
    static final String SAS_HEADER = "aeg-sas-token";
    /** What is read of an answer to drop it and keep the connection; a longer one closes the connection. */
    private static final int DRAIN_BYTES = 64 * 1024;

    private final URI topic;
    private final URL url;

    /** @param topic the topic's https URL, without query ({@link EventGridProducer#checkedTopic}) */
    HttpsPublisher(URI topic) {
        this.topic = topic;
        try {
            this.url = URI.create(topic + (topic.getRawQuery() == null ? "?" : "&") + "api-version="
                    + SasToken.API_VERSION).toURL();
        } catch (IOException e) {
            throw new IllegalArgumentException("azure-eventgrid: the topic endpoint is not a URL");
        }
    }

    /**
     * POSTs {@code body} (a JSON array of events) and returns the answer's status; the caller decides what it means.
     *
     * @throws IOException when no answer came (connection refused, TLS, timeout, reset)
     */
    int post(byte[] body, String contentType, String authHeader, String authValue) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
        boolean reusable = false;
        try {
            // the default context of now: HttpsURLConnection keeps the factory it took first, and tests (or an
            // embedding application) may set another default later
            connection.setSSLSocketFactory(defaultContext().getSocketFactory());
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", contentType);
            connection.setRequestProperty(authHeader, authValue);
            // fixed length: streamed, so HttpURLConnection cannot send the POST again by itself after a failure
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            reusable = drain(status < 400 ? connection.getInputStream() : connection.getErrorStream());
            return status;
        } finally {
            if (!reusable) {
                connection.disconnect(); // not back to the keep-alive cache half-read or after a failure
            }
        }
    }

    /** Reads and drops the answer, so the connection can serve the next request; false if it was too long. */
    private static boolean drain(InputStream stream) {
        if (stream == null) {
            return true;
        }
        try (InputStream in = stream) {
            byte[] buffer = new byte[4096];
            int total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > DRAIN_BYTES) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the status is what counts; this connection is just not reused
        }
    }

    private static SSLContext defaultContext() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            // a trust store given with javax.net.ssl.* that cannot be read
            throw new IOException("the JVM's default TLS context is not available ("
                    + (e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName())
                    + ")", e);
        }
    }

    /** Content type of a request in this schema, as the Azure SDK sends it. */
    static String contentType(EventSchema schema) {
        return schema == EventSchema.CLOUD_EVENTS ? "application/cloudevents-batch+json; charset=utf-8"
                : "application/json";
    }
}
