package scheduledevents.imds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scheduledevents.SettableClock;
import scheduledevents.observability.AgentMetrics;

/** The poll's decisions against a real HTTP server on loopback: backoff, identity, headers, timeouts. */
class ImdsPollerTest {
    private static final String DOC = "{\"DocumentIncarnation\":1,\"Events\":[]}";

    HttpServer server;
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger computeStatus = new AtomicInteger(404);
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<String> metadataHeaders = new CopyOnWriteArrayList<>();
    /** Runs on the server's thread before it answers a scheduledevents request. */
    volatile Callable<Void> beforeAnswer = () -> null;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().toString());
            metadataHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Metadata")));
            boolean compute = exchange.getRequestURI().getPath().endsWith("/compute");
            if (!compute) {
                try {
                    beforeAnswer.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            int code = compute ? computeStatus.get() : status.get();
            byte[] body = (compute ? "{\"name\":\"fromimds\",\"resourceId\":\"/subscriptions/s/x\",\"zone\":\"\"}"
                    : DOC).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ImdsPoller poller(Clock clock, String vmName) {
        ImdsClient client = new ImdsClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "2020-07-01", Duration.ofSeconds(2), Duration.ofSeconds(2), new RequestBudget(100));
        return new ImdsPoller(client, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(8), vmName, AgentMetrics.inMemory(), clock);
    }

    private long scheduledEventRequests() {
        return paths.stream().filter(p -> p.startsWith("/metadata/scheduledevents?api-version=2020-07-01")).count();
    }

    @Test
    void withoutInstanceMetadataThePollStillDeliversDocumentsAndTheNameComesFromTheSetting() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T16:00:00Z"));
        ImdsPoller poller = poller(clock, "  myvm ");
        assertEquals(DOC, poller.poll());
        assertEquals("myvm", poller.identity().name());
        assertNull(poller.identity().resourceId());
        assertTrue(metadataHeaders.stream().allMatch("true"::equals), "every request says Metadata: true");
    }

    @Test
    void instanceMetadataGivesTheIdentityOnceAndIsNotAskedAgain() {
        computeStatus.set(200);
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T16:00:00Z"));
        ImdsPoller poller = poller(clock, "");
        poller.poll();
        poller.poll();
        assertEquals("fromimds", poller.identity().name());
        assertNull(poller.identity().zone(), "IMDS's empty strings are carried as null");
        assertEquals(1, paths.stream().filter(p -> p.contains("/instance/compute")).count());
    }

    @Test
    void afterFailuresThePollBacksOffDoublingUpToTheMaximumThenRecovers() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T16:00:00Z"));
        ImdsPoller poller = poller(clock, "myvm");
        status.set(429);
        assertNull(poller.poll());
        assertEquals(1, scheduledEventRequests());
        clock.advance(Duration.ofMillis(900));
        assertNull(poller.poll(), "within the first backoff (1 s): no request");
        assertEquals(1, scheduledEventRequests());
        clock.advance(Duration.ofMillis(200));
        assertNull(poller.poll());
        assertEquals(2, scheduledEventRequests(), "asked again after 1 s");
        clock.advance(Duration.ofMillis(1500));
        poller.poll();
        assertEquals(2, scheduledEventRequests(), "second backoff is 2 s");
        clock.advance(Duration.ofMillis(600));
        poller.poll();
        assertEquals(3, scheduledEventRequests());
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(8));
            poller.poll();
        }
        assertEquals(8, scheduledEventRequests(), "capped at 8 s: one request per 8 s");
        assertNotNull(poller.status().failingSince());
        status.set(200);
        clock.advance(Duration.ofSeconds(8));
        assertEquals(DOC, poller.poll());
        assertNull(poller.status().failingSince());
        assertEquals(clock.instant(), poller.status().lastSuccess());
    }

    @Test
    void theRequestBudgetSkipsATickRatherThanExceedingIt() {
        ImdsClient client = new ImdsClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "2020-07-01", Duration.ofSeconds(2), Duration.ofSeconds(2), new RequestBudget(2));
        ImdsPoller poller = new ImdsPoller(client, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(8), "myvm", AgentMetrics.inMemory(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        int documents = 0;
        for (int i = 0; i < 10; i++) {
            documents += poller.poll() == null ? 0 : 1;
        }
        assertEquals(2, paths.size(), "two requests in the window, whatever asked for them");
        assertTrue(documents <= 2);
    }

    @Test
    void aFailureCountsFromWhenTheFailedRequestWasSent() {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T16:00:00Z"));
        ImdsPoller poller = poller(clock, "myvm");
        assertEquals(DOC, poller.poll());
        clock.advance(Duration.ofSeconds(1));
        Instant sent = clock.instant();
        status.set(500);
        beforeAnswer = () -> {
            clock.advance(Duration.ofSeconds(3)); // IMDS took 3 s to fail
            return null;
        };
        assertNull(poller.poll());
        assertEquals(sent, poller.status().failingSince());
        assertNull(poller.status().waitingSince());
    }

    @Test
    void healthTurnsDownOnceARequestHasWaitedLongerThanDownAfterWithoutWaitingForItToEnd() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T16:00:00Z"));
        ImdsPoller poller = poller(clock, "myvm");
        ImdsHealthCheck health = new ImdsHealthCheck(poller.status(), Duration.ofSeconds(60), clock);
        assertEquals(DOC, poller.poll());
        assertEquals(HealthCheck.State.UP, health.call().getState());

        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        beforeAnswer = () -> {
            clock.advance(Duration.ofSeconds(61));
            waiting.countDown();
            answer.await();
            return null;
        };
        CompletableFuture<String> hanging = CompletableFuture.supplyAsync(poller::poll);
        waiting.await();
        HealthCheck.Result whileWaiting = health.call();
        answer.countDown();

        assertEquals(HealthCheck.State.DOWN, whileWaiting.getState());
        assertTrue(whileWaiting.getMessage().orElse("").startsWith("IMDS has not answered a request sent at"),
                whileWaiting.getMessage().orElse(""));
        assertEquals(DOC, hanging.get());
        assertEquals(HealthCheck.State.UP, health.call().getState());
    }
}
