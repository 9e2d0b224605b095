package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Talks to the simulator over real loopback HTTP, like the agent does (named apart from the agent's imds.ImdsClient). */
final class ImdsTestClient {

    static final String EVENTS = "/metadata/scheduledevents?api-version=2020-07-01";
    static final String COMPUTE = "/metadata/instance/compute?api-version=2021-02-01";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String baseUrl;

    ImdsTestClient(ImdsSimulator simulator) {
        this.baseUrl = simulator.baseUrl();
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpClient http() {
        return http;
    }

    HttpResponse<String> getEvents() {
        return send(request(EVENTS).header("Metadata", "true").GET());
    }

    /** The current document, asserting a 200. */
    JsonNode document() {
        HttpResponse<String> response = getEvents();
        assertEquals(200, response.statusCode(), response.body());
        return parse(response.body());
    }

    HttpResponse<String> post(String body) {
        return send(request(EVENTS).header("Metadata", "true").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> approve(String... eventIds) {
        return post(Arrays.stream(eventIds)
                .map(id -> "{\"EventId\":\"" + id + "\"}")
                .collect(Collectors.joining(",", "{\"StartRequests\":[", "]}")));
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
