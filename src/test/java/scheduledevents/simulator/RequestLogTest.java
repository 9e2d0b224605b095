package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestLogTest {

    private static RequestLog logAtMillis(long... millis) {
        RequestLog log = new RequestLog();
        for (long ms : millis) {
            log.add(new RecordedRequest("GET", "/", null, null, null, "", 200, Instant.EPOCH, ms * 1_000_000));
        }
        return log;
    }

    @Test
    void countsTheBusiestSlidingWindowNotFixedBuckets() {
        // Fixed one-second buckets would see 2 and 2; the window [900, 1900) sees 4.
        RequestLog log = logAtMillis(100, 900, 950, 1000, 1100, 2500);

        assertEquals(4, log.maxRequestsInAnyWindow(Duration.ofSeconds(1)));
        assertEquals(3, log.maxRequestsInAnyWindow(Duration.ofMillis(200)));
        assertEquals(1, log.maxRequestsInAnyWindow(Duration.ofNanos(1)));
        assertEquals(6, log.maxRequestsInAnyWindow(Duration.ofSeconds(3)));
    }

    @Test
    void requestsExactlyOneWindowApartDoNotCountTogether() {
        RequestLog log = logAtMillis(0, 200, 400, 600, 800, 1000, 1200);

        assertEquals(5, log.maxRequestsInAnyWindow(Duration.ofSeconds(1)));
    }

    @Test
    void orderOfLoggingDoesNotMatter() {
        // A delayed request is logged after later ones.
        RequestLog log = logAtMillis(1000, 0, 1100, 50, 1050);

        assertEquals(3, log.maxRequestsInAnyWindow(Duration.ofMillis(500)));
        assertEquals(0L, log.snapshot().get(0).receivedNanos());
    }

    @Test
    void emptyLogAndBadWindows() {
        assertEquals(0, new RequestLog().maxRequestsInAnyWindow(Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new RequestLog().maxRequestsInAnyWindow(Duration.ZERO));
    }

    @Test
    void simulatorCountsEveryMethodAndPathAndCanForget() throws IOException {
        try (ImdsSimulator simulator = new ImdsSimulator().start()) {
            ImdsTestClient client = new ImdsTestClient(simulator);
            client.getEvents();
            client.getEvents();
            client.approve("e1");
            client.send(client.request("/nowhere").GET());
            client.send(client.request(ImdsTestClient.COMPUTE).GET());

            assertEquals(5, simulator.maxRequestsInAnyWindow(Duration.ofMinutes(1)));
            simulator.clearRequests();
            assertEquals(0, simulator.maxRequestsInAnyWindow(Duration.ofMinutes(1)));
        }
    }
}
