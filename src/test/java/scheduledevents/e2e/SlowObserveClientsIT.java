package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scheduledevents.testing.TestAgent;

/**
 * Clients of /observe/health and /observe/metrics that send half a request and then wait (a port scanner, a broken
 * probe, someone on the network: the server listens on 0.0.0.0) must not stop the container's HEALTHCHECK or
 * Prometheus from getting their answers.
 */
class SlowObserveClientsIT extends AgainstSimulator {
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void halfSentRequestsHeldOpenDoNotStopHealthAndMetricsAnsweringAndAreClosedByTheServer() throws Exception {
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).start()) {
            agent.awaitHealthy();
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    slow.add(halfRequest(agent.healthPort()));
                }
                for (int i = 0; i < 5; i++) {
                    // healthStatus() and metrics() give up after 2 s, as a probe does
                    assertEquals(200, agent.healthStatus(), "health answers while half requests are held open");
                    assertTrue(agent.metrics().contains("agent_imds_polls_total"), "metrics answer too");
                }
                for (Socket s : slow) {
                    agent.await("the server closes a request that never ends", Duration.ofSeconds(30),
                            () -> closedByServer(s));
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            assertTrue(agent.isAlive());
        }
    }

    @Test
    void moreHalfSentRequestsThanTheServerHasThreadsOnlyDelayHealthUntilTheyAreCutOff() throws Exception {
        E2E.setEvents(imds, E2E.freezeScheduled("myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir)).start()) {
            agent.awaitHealthy();
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    slow.add(halfRequest(agent.healthPort()));
                }
                // Not blocked for as long as the slow clients care to wait: answered once they are cut off
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + agent.healthPort() + "/observe/health"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
            assertEquals(200, agent.healthStatus());
        }
    }

    /** A connection that sends the request line and one header, never the blank line that ends the request. */
    private static Socket halfRequest(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.getOutputStream().write("GET /observe/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** True once the server has closed (or reset) the connection; false while it still waits for the rest. */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(100);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } catch (IOException e) {
            return true;
        }
    }
}
