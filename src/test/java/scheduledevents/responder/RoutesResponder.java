package scheduledevents.responder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.main.Main;
import scheduledevents.testing.Ports;

/**
 * The responder in this JVM as {@code --responder} sets it up ({@link ResponderRunner#newMain} with the real
 * responder/routes on Camel's platform-http), on a free loopback port with its data in a test's folder, and an HTTP
 * client for it: what the route tests share.
 */
final class RoutesResponder implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Main main;
    private final int port;

    private RoutesResponder(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /**
     * Starts it and waits until its routes are up.
     *
     * @param settings the test's own settings (secrets and the like), over host, port and data-dir
     */
    static RoutesResponder start(Path dir, RecordingParts parts, Map<String, String> settings) throws Exception {
        int port = Ports.free();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("responder.host", "127.0.0.1");
        all.put("responder.port", String.valueOf(port));
        all.put("responder.data-dir", dir.resolve("data").toString());
        all.putAll(settings);
        Main main = ResponderRunner.newMain(null, Path.of("responder", "routes"), all, parts.factory());
        main.start();
        return new RoutesResponder(main, port);
    }

    int port() {
        return port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        main.stop();
    }
}
