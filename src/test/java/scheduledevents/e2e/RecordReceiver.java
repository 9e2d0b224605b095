package scheduledevents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A webhook endpoint on loopback for the agent's webhook sink with {@code agent.webhook.format=json} (the body is
 * the record as it is): keeps "eventid/Status" of each POST in arrival order and answers 200.
 */
final class RecordReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<String> received = new ArrayList<>();

    RecordReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            JsonNode record = JSON.readTree(exchange.getRequestBody());
            synchronized (received) {
                received.add(record.path("EventId").asText().toLowerCase() + "/"
                        + record.path("EventStatus").asText());
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** "eventid/Status" of every record posted so far, in arrival order. */
    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
