package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FaultInjectionTest extends SimulatorOnLoopback {


    @Test
    void faultsAreServedInOrderThenNormalServiceResumes() {
        simulator.failNext(500, 2);
        simulator.serveRawNext("<html><body>502 Bad Gateway</body></html>", 1);
        simulator.failNext(429, 1);

        List<HttpResponse<String>> responses = List.of(client.getEvents(), client.getEvents(), client.getEvents(),
                client.getEvents(), client.getEvents());

        assertEquals(List.of(500, 500, 200, 429, 200), responses.stream().map(HttpResponse::statusCode).toList());
        assertTrue(ImdsTestClient.parse(responses.get(0).body()).has("error"));
        assertEquals("<html><body>502 Bad Gateway</body></html>", responses.get(2).body());
        assertEquals("{\"DocumentIncarnation\":1,\"Events\":[]}", responses.get(4).body());
    }

    @Test
    void faultsSpareApprovalsAndTheComputeEndpoint() {
        simulator.failNext(500, 1);

        int approval = client.approve("e1").statusCode();
        int compute = client.send(client.request(ImdsTestClient.COMPUTE).header("Metadata", "true").GET()).statusCode();
        int events = client.getEvents().statusCode();

        assertEquals(200, approval);
        assertEquals(200, compute);
        assertEquals(500, events);
    }

    @Test
    void invalidRequestsDoNotConsumeFaults() {
        simulator.failNext(503, 1);

        int noHeader = client.send(client.request(ImdsTestClient.EVENTS).GET()).statusCode();

        assertEquals(400, noHeader);
        assertEquals(503, client.getEvents().statusCode());
    }

    /**
     * Two requests, one delayed fault: whichever of them takes the fault (the test does not guess which arrives
     * first), the other is answered while it still waits, and it is answered normally once its delay is over.
     */
    @Test
    void aDelayedAnswerDoesNotHoldUpOtherRequests() throws Exception {
        Duration delay = Duration.ofSeconds(3);
        simulator.delayNext(delay, 1);
        long begin = System.nanoTime();

        CompletableFuture<HttpResponse<String>> first = client.http().sendAsync(
                client.request(ImdsTestClient.EVENTS).header("Metadata", "true").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> second = client.http().sendAsync(
                client.request(ImdsTestClient.EVENTS).header("Metadata", "true").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        CompletableFuture.anyOf(first, second).get();
        boolean firstDone = first.isDone();
        boolean secondDone = second.isDone();
        HttpResponse<String> quick = (firstDone ? first : second).get();
        HttpResponse<String> slow = (firstDone ? second : first).get();
        long slowMillis = (System.nanoTime() - begin) / 1_000_000;

        assertEquals(200, quick.statusCode());
        assertTrue(firstDone != secondDone, "one answer came while the other was still delayed");
        assertEquals(200, slow.statusCode());
        assertTrue(slowMillis >= delay.toMillis(), "the delayed request was answered after " + slowMillis + " ms");
        assertEquals("{\"DocumentIncarnation\":1,\"Events\":[]}", slow.body());
        assertEquals(2, simulator.requests().size());
    }

    @Test
    void aTrickledAnswerSendsTheHeadersAtOnceThenTheDocumentOneByteAtATime() throws Exception {
        simulator.trickleNext(Duration.ofMillis(20), 1);
        URI uri = URI.create(simulator.baseUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + ImdsTestClient.EVENTS + " HTTP/1.1\r\nHost: x\r\nMetadata: true\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            int length = Integer.parseInt(head.replaceAll("(?s).*[Cc]ontent-[Ll]ength: (\\d+).*", "$1"));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int reads = 0;
            byte[] buffer = new byte[1024];
            while (body.size() < length) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the whole body arrives");
                body.write(buffer, 0, n);
                reads++;
            }
            assertEquals("{\"DocumentIncarnation\":1,\"Events\":[]}", body.toString(StandardCharsets.UTF_8));
            assertTrue(reads > length / 2, "the body came in pieces: " + reads + " reads for " + length + " bytes");
        }
        assertEquals(200, client.getEvents().statusCode(), "one fault, then normal service");
    }

    @Test
    void clearedFaultsAreNotServed() {
        simulator.failNext(500, 3);
        simulator.trickleNext(Duration.ofSeconds(5), 10);
        assertEquals(500, client.getEvents().statusCode());
        simulator.clearFaults();
        assertEquals(200, client.getEvents().statusCode());
    }

    @Test
    void scenarioFaultsStartAtTheirScenarioTime() {
        simulator.play(Scenario.parse("""
                {"name": "flaky", "events": [],
                 "faults": [{"at": 50, "delayMs": 50},
                            {"at": 30, "status": 500, "count": 2},
                            {"at": 40, "body": "<html>502</html>"},
                            {"at": 60, "trickleMs": 1}]}""", "test"), 1);

        int early = statusAt(29);
        List<Integer> at30 = List.of(statusAt(30), statusAt(30), statusAt(30));
        String rawBody = bodyAt(45);
        String afterRaw = bodyAt(45);
        long begin = System.nanoTime();
        int delayed = statusAt(50);
        long delayedMillis = (System.nanoTime() - begin) / 1_000_000;

        assertEquals(200, early);
        assertEquals(List.of(500, 500, 200), at30);
        assertEquals("<html>502</html>", rawBody);
        assertTrue(afterRaw.startsWith("{\"DocumentIncarnation\""));
        assertEquals(200, delayed);
        assertTrue(delayedMillis >= 50, "took " + delayedMillis + " ms");
        assertTrue(bodyAt(60).startsWith("{\"DocumentIncarnation\""), "a trickled answer is the whole document");
    }

    @Test
    void faultArgumentsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> simulator.failNext(500, 0));
        assertThrows(IllegalArgumentException.class, () -> simulator.failNext(99, 1));
        assertThrows(IllegalArgumentException.class, () -> simulator.delayNext(Duration.ofSeconds(-1), 1));
        assertThrows(IllegalArgumentException.class, () -> simulator.serveRawNext(null, 1));
        assertThrows(IllegalArgumentException.class, () -> simulator.trickleNext(Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse("""
                {"name": "x", "events": [], "faults": [{"at": 1, "trickleMs": 10, "delayMs": 10}]}""", "test"));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in the headers: " + head);
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private int statusAt(int scenarioSeconds) {
        clock.set(T0.plusSeconds(scenarioSeconds));
        return client.getEvents().statusCode();
    }

    private String bodyAt(int scenarioSeconds) {
        clock.set(T0.plusSeconds(scenarioSeconds));
        return client.getEvents().body();
    }
}
