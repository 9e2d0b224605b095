package scheduledevents.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.testing.Await;

/**
 * The scheduler on its own thread, woken by a real SinkQueues, with a real file consumer's endpoint for its folder.
 * The "poll" is a task of the test's own, so the test sees each poll and decides what it takes from the folder.
 * Fallback periods are an hour where a test must show that something happened without the fallback.
 */
class WakeUpSchedulerTest {
    private static final Duration NEVER = Duration.ofHours(1);
    private static final AtomicInteger TESTS = new AtomicInteger();

    @TempDir
    Path stateDir;
    // a queue of its own per test: its poller thread is named after it
    private final String queue = "wake-up-test-" + TESTS.incrementAndGet();
    private CamelContext camel;
    private SinkQueues queues;
    private Path folder;
    private WakeUpScheduler scheduler;
    private final AtomicInteger polls = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        camel = new DefaultCamelContext();
        camel.start();
        queues = new SinkQueues(stateDir, List.of(queue), AgentMetrics.inMemory(), java.time.Clock.systemUTC());
        folder = queues.directory(queue);
        Files.createDirectories(folder);
    }

    @AfterEach
    void tearDown() {
        if (scheduler != null) {
            scheduler.stop();
        }
        camel.stop();
    }

    @Test
    void pollsOnceAtStartSoThatRecordsLeftFromBeforeARestartAreDelivered() {
        queues.enqueue(record("AAAA0001"));
        start(NEVER, () -> {
            polls.incrementAndGet();
            takeOldest();
        });

        await("the record left from before", () -> waiting() == 0);
        assertEquals(1, polls.get());
    }

    @Test
    void aRecordQueuedWhileThePollerWaitsWakesIt() {
        start(NEVER, polls::incrementAndGet);
        await("the first poll", () -> polls.get() == 1);

        queues.enqueue(record("AAAA0001"));

        await("a poll for the record", () -> polls.get() == 2);
    }

    @Test
    void aWakeUpThatComesDuringAPollIsNotLost() throws InterruptedException {
        CountDownLatch firstPollStarted = new CountDownLatch(1);
        CountDownLatch firstPollMayEnd = new CountDownLatch(1);
        start(NEVER, () -> {
            if (polls.incrementAndGet() == 1) {
                firstPollStarted.countDown();
                awaitLatch(firstPollMayEnd);
            }
        });
        assertTrue(firstPollStarted.await(30, TimeUnit.SECONDS));

        // queued after the first poll listed the folder, before it ended
        queues.enqueue(record("AAAA0001"));
        firstPollMayEnd.countDown();

        await("a second poll", () -> polls.get() == 2);
    }

    @Test
    void aPollThatTookFilesAndLeftSomePollsAgainAtOnceUntilTheFolderIsEmpty() {
        queues.enqueue(record("AAAA0001"));
        queues.enqueue(record("AAAA0002"));
        queues.enqueue(record("AAAA0003"));
        // as a consumer with maxMessagesPerPoll 1 does
        start(NEVER, () -> {
            polls.incrementAndGet();
            takeOldest();
        });

        await("an empty folder", () -> waiting() == 0);
        assertEquals(3, polls.get(), "one poll a file, and none once the folder was empty");
    }

    @Test
    void aPollThatLeftTheFolderAsItFoundItWaitsInsteadOfPollingInALoop() {
        // the consumer takes nothing: a file whose exchange keeps failing stays in the folder
        queues.enqueue(record("AAAA0001"));
        start(NEVER, polls::incrementAndGet);
        await("the first poll", () -> polls.get() >= 1);

        queues.enqueue(record("AAAA0002"));
        await("the poll for the second record", () -> polls.get() >= 2);

        assertEquals(2, polls.get(), "a poll per start and per wake-up, not a poll loop over the stuck file");
    }

    @Test
    void theFallbackPollRunsWithoutAnyWakeUp() {
        start(Duration.ofMillis(10), polls::incrementAndGet);

        await("two polls after the first, unprompted", () -> polls.get() >= 3);
    }

    @Test
    void stopEndsTheThreadOnceThePollInProgressIsOverAndAStartPollsAgain() throws InterruptedException {
        CountDownLatch pollStarted = new CountDownLatch(1);
        CountDownLatch pollMayEnd = new CountDownLatch(1);
        start(NEVER, () -> {
            polls.incrementAndGet();
            pollStarted.countDown();
            awaitLatch(pollMayEnd);
        });
        assertTrue(pollStarted.await(30, TimeUnit.SECONDS));
        assertTrue(pollerThread().isPresent());

        // as the consumer's stop does
        ServiceHelper.stopAndShutdownServices(scheduler);
        assertFalse(scheduler.isSchedulerStarted());
        pollMayEnd.countDown();
        await("the poller thread to end", () -> pollerThread().isEmpty());
        assertEquals(1, polls.get());

        // a route started again (the same consumer and scheduler) polls again, on a new thread
        ServiceHelper.startService(scheduler);
        scheduler.startScheduler();
        await("a poll after the restart", () -> polls.get() == 2);
        assertTrue(pollerThread().isPresent());
    }

    @Test
    void aRelativeStateDirWakesTheConsumerOfTheSameFolder() throws Exception {
        // agent.state.dir is relative by default: SinkQueues and the file: URI spell the folder each their own way
        Path relative = Path.of("target", "wake-up-relative-" + queue);
        queues = new SinkQueues(relative, List.of(queue), AgentMetrics.inMemory(), java.time.Clock.systemUTC());
        folder = queues.directory(queue);
        Files.createDirectories(folder);
        scheduler = new WakeUpScheduler(queues, NEVER);
        scheduler.onInit(camel.getEndpoint("file:./" + relative + "/queue/" + queue).createConsumer(exchange -> { }));
        scheduler.scheduleTask(() -> {
            polls.incrementAndGet();
            takeOldest();
        });
        scheduler.start();
        scheduler.startScheduler();
        await("the first poll", () -> polls.get() == 1);

        queues.enqueue(record("AAAA0001"));

        await("the record taken", () -> polls.get() == 2 && waiting() == 0);
    }

    @Test
    void aConsumerOfSomethingOtherThanAFolderIsRefused() throws Exception {
        WakeUpScheduler other = new WakeUpScheduler(queues, NEVER);
        Consumer timer = camel.getEndpoint("timer:tick").createConsumer(exchange -> { });

        assertThrows(IllegalArgumentException.class, () -> other.onInit(timer));
    }

    private void start(Duration fallback, Runnable poll) {
        scheduler = new WakeUpScheduler(queues, fallback);
        scheduler.setCamelContext(camel);
        try {
            scheduler.onInit(camel.getEndpoint("file:" + folder).createConsumer(exchange -> { }));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        scheduler.scheduleTask(poll);
        scheduler.start();
        scheduler.startScheduler();
    }

    private Optional<Thread> pollerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("queue-poll-" + queue) && t.isAlive()).findAny();
    }

    private long waiting() {
        return WakeUpScheduler.waiting(folder);
    }

    private void takeOldest() {
        try (Stream<Path> files = Files.list(folder)) {
            Optional<Path> oldest = files.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().findFirst();
            if (oldest.isPresent()) {
                Files.delete(oldest.get());
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the test never let the poll end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TransitionRecord record(String id) {
        ScheduledEvent event = new ScheduledEvent(id + "-0000-0000-0000-000000000001", "Reboot", "VirtualMachine",
                List.of("myvm"), "Scheduled", "", "test", "Platform", -1, null);
        return TransitionRecord.of(event, 1, Instant.now(), "myvm", VmIdentity.UNKNOWN.withName("myvm"), null);
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean);
    }
}
