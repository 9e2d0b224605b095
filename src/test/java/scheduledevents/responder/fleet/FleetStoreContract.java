package scheduledevents.responder.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.responder.fleet.Reports.NOT_BEFORE;
import static scheduledevents.responder.fleet.Reports.agent;
import static scheduledevents.responder.fleet.Reports.names;
import static scheduledevents.responder.fleet.Reports.platform;
import static scheduledevents.responder.fleet.Reports.resolved;
import static scheduledevents.responder.fleet.Reports.vmName;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scheduledevents.SettableClock;
import scheduledevents.responder.intake.FleetReport;
import scheduledevents.responder.intake.ReportSource;
import scheduledevents.responder.intake.VmRef;

/** What FleetStore does, the same on every database: the subclasses give it H2 and PostgreSQL. */
abstract class FleetStoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    protected FleetDatabase database;
    protected SettableClock clock;
    protected FleetStore store;

    /** A freshly migrated, empty database for one test. */
    protected abstract FleetDatabase freshDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        database = freshDatabase();
        clock = new SettableClock(T0);
        store = new FleetStore(database.dataSource(), clock, NotifyRules.all("mail", "webhook"));
    }

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    protected FleetStore store(NotifyRules rules) {
        return new FleetStore(database.dataSource(), clock, rules);
    }

    static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    /** Outbox rows per "channel status/occurrence", by claiming all of them. */
    protected Map<String, Integer> outbox(FleetStore s) {
        Map<String, Integer> rows = new TreeMap<>();
        for (OutboxItem item : s.claim("counter", 1000, Duration.ofMinutes(5))) {
            rows.merge(item.channel() + " " + item.status() + "/" + item.occurrence(), 1, Integer::sum);
        }
        return rows;
    }

    @Test
    void agentsEachDetailingTheirOwnEntryMergeTheSharedListOnceAndKeepTheirOwnResourceIds() throws Exception {
        int n = 30;
        for (int i = 1; i <= n; i++) {
            // as the parser gives an agent's record: every VM by name, its own entry with its resource id
            String me = Reports.vmName(i);
            List<VmRef> vms = new java.util.ArrayList<>();
            for (VmRef vm : Reports.names(n)) {
                vms.add(vm.name().equals(me) ? Reports.resolved(n, "rg-web").get(i - 1) : vm);
            }
            FleetReport r = Reports.agent("MERGE-1", "Freeze", "Scheduled", vms, me, "rg-web", 1, t(i));
            store.apply(List.of(new FleetReport(r.source(), r.deliveryId(), r.eventId(), r.eventType(),
                    r.eventStatus(), r.notBefore(), r.durationInSeconds(), r.description(), r.eventSource(),
                    r.resourceType(), r.vms(), vms.get(i - 1), r.occurrence(), r.observedAt())));
        }

        try (java.sql.Connection c = database.dataSource().getConnection();
             java.sql.ResultSet rows = c.createStatement().executeQuery("select count(*) from fleet_vm_set")) {
            rows.next();
            assertEquals(1, rows.getInt(1), "one Resources list, merged once, not once per agent");
        }
        FleetEvent event = store.event("merge-1").orElseThrow();
        assertEquals(n, event.vms().size());
        for (FleetEvent.Vm vm : event.vms()) {
            assertEquals("/subscriptions/" + Reports.SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/"
                    + "virtualMachines/" + vm.name(), vm.resourceId(), "each agent's own resource id is kept");
            assertEquals("Scheduled", vm.status());
        }
    }

    @Test
    void twentyVmsAndThePlatformReportingOneFreezeTwiceMakeOneEventThreeChangesThreeRowsPerChannel() {
        List<VmRef> vms = names(20);
        List<VmRef> platformVms = resolved(20, "rg-web");
        List<FleetReport> deliveries = new ArrayList<>();
        String[] statuses = {"Scheduled", "Started", "Completed"};
        for (int s = 0; s < 3; s++) {
            deliveries.add(platform("E1-FREEZE", "Freeze", statuses[s], platformVms, s == 0 ? NOT_BEFORE : null,
                    t(s * 600)));
            for (int v = 1; v <= 20; v++) {
                deliveries.add(agent("e1-freeze", statuses[s], vms, vmName(v), t(s * 600 + v)));
            }
        }
        ApplyResult total = ApplyResult.NONE;
        for (FleetReport report : deliveries) {
            for (int twice = 0; twice < 2; twice++) {
                clock.advance(Duration.ofMillis(10));
                total = total.plus(store.apply(List.of(report)));
            }
        }
        assertEquals(new ApplyResult(126, 63, 3, 6), total);

        List<FleetEvent> events = store.events(FleetQuery.all());
        assertEquals(1, events.size());
        FleetEvent e = events.get(0);
        assertEquals("E1-FREEZE", e.eventId(), "the EventId as first received");
        assertEquals("Completed", e.eventStatus());
        assertEquals("Freeze", e.eventType());
        assertEquals(NOT_BEFORE.toString(), e.notBeforeUtc());
        assertEquals(1, e.occurrence());
        assertEquals(List.of("agent", "platform"), e.sources());
        assertEquals(20, e.vms().size());
        assertEquals(20, e.reportedBy().size());
        assertEquals(vmName(1), e.reportedBy().get(0));
        FleetEvent.Vm first = e.vms().get(0);
        assertEquals(vmName(1), first.name());
        assertEquals("Completed", first.status());
        assertEquals("rg-web", first.resourceGroup());
        assertTrue(first.resourceId().endsWith("/virtualMachines/" + vmName(1)), first.resourceId());
        assertNull(e.history());

        assertEquals(Map.of("mail Scheduled/1", 1, "mail Started/1", 1, "mail Completed/1", 1,
                "webhook Scheduled/1", 1, "webhook Started/1", 1, "webhook Completed/1", 1), outbox(store));
        assertEquals(6, store.pendingNotifications());
    }

    @Test
    void theFleetStatusNeverMovesBackwardsAndCompletedIsFinal() {
        List<VmRef> vms = names(2);
        assertEquals(1, store.apply(List.of(agent("e2", "Started", vms, vmName(1), t(10)))).statusChanges());
        ApplyResult late = store.apply(List.of(agent("e2", "Scheduled", vms, vmName(2), t(5))));
        assertEquals(new ApplyResult(1, 0, 0, 0), late);
        assertEquals("Started", store.event("e2").orElseThrow().eventStatus());
        assertEquals(1, store.apply(List.of(agent("e2", "Completed", vms, vmName(1), t(20)))).statusChanges());
        assertEquals(0, store.apply(List.of(agent("e2", "Started", vms, vmName(2), t(30)),
                agent("e2", "Canceled", vms, vmName(2), t(31)))).statusChanges());
        FleetEvent e = store.event("e2").orElseThrow();
        assertEquals("Completed", e.eventStatus());
        assertEquals("Completed", e.vms().get(0).status());
        assertEquals("Canceled", e.vms().get(1).status(), "a VM's own status follows its own agent");
    }

    @Test
    void aCanceledEventReportedAgainLaterIsLiveAgainWithTheNextOccurrenceAndNewNotifications() {
        List<VmRef> vms = names(3);
        store.apply(List.of(agent("e3", "Scheduled", vms, vmName(1), t(0))));
        store.apply(List.of(agent("e3", "Canceled", vms, vmName(1), t(60))));
        store.apply(List.of(agent("e3", "Canceled", vms, vmName(2), t(61))));
        assertEquals("Canceled", store.event("e3").orElseThrow().eventStatus());

        // the platform (no Occurrence of its own) reports it again, observed after the cancel
        ApplyResult again = store.apply(List.of(platform("e3", "Freeze", "Scheduled", resolved(3, "rg-web"),
                NOT_BEFORE.plusSeconds(3600), t(120))));
        assertEquals(new ApplyResult(1, 0, 1, 2), again);
        FleetEvent e = store.event("e3").orElseThrow();
        assertEquals("Scheduled", e.eventStatus());
        assertEquals(2, e.occurrence());
        // an agent's late Event Grid retry of its old Canceled cannot cancel the new occurrence
        store.apply(List.of(agent("e3", "Canceled", vms, vmName(3), t(62))));
        assertEquals("Scheduled", store.event("e3").orElseThrow().eventStatus());
        // the agents' Occurrence 2 moves it on
        assertEquals(1, store.apply(List.of(agent("e3", "Freeze", "Started", vms, vmName(1), "rg-web", 2, t(200))))
                .statusChanges());
        assertEquals(Map.of("mail Scheduled/1", 1, "webhook Scheduled/1", 1, "mail Canceled/1", 1,
                "webhook Canceled/1", 1, "mail Scheduled/2", 1, "webhook Scheduled/2", 1, "mail Started/2", 1,
                "webhook Started/2", 1), outbox(store));
    }

    @Test
    void anAgentsLaterOccurrenceRevivesACanceledEvent() {
        List<VmRef> vms = names(2);
        store.apply(List.of(agent("e3b", "Scheduled", vms, vmName(1), t(0))));
        store.apply(List.of(agent("e3b", "Canceled", vms, vmName(1), t(60))));
        // observed "before" the cancel by a clock that runs behind, but it is the agent's Occurrence 2
        assertEquals(1, store.apply(List.of(agent("e3b", "Freeze", "Scheduled", vms, vmName(2), "rg-web", 2,
                t(30)))).statusChanges());
        FleetEvent e = store.event("e3b").orElseThrow();
        assertEquals("Scheduled", e.eventStatus());
        assertEquals(2, e.occurrence());
    }

    @Test
    void aLateRetryOfAnOldScheduledAfterTheCancelDoesNotRevive() {
        List<VmRef> vms = names(3);
        FleetReport scheduled = agent("e4", "Scheduled", vms, vmName(1), t(0));
        store.apply(List.of(scheduled));
        store.apply(List.of(agent("e4", "Canceled", vms, vmName(1), t(60))));
        ApplyResult retry = store.apply(List.of(scheduled));
        assertEquals(new ApplyResult(1, 1, 0, 0), retry);
        // another VM's Scheduled, observed before the cancel, delivered late
        assertEquals(0, store.apply(List.of(agent("e4", "Scheduled", vms, vmName(2), t(30)))).statusChanges());
        FleetEvent e = store.event("e4").orElseThrow();
        assertEquals("Canceled", e.eventStatus());
        assertEquals(1, e.occurrence());
    }

    @Test
    void eventIdsAreComparedCaseInsensitively() {
        List<VmRef> vms = names(2);
        store.apply(List.of(agent("AbC-12-De", "Scheduled", vms, vmName(1), t(0))));
        store.apply(List.of(agent(" abc-12-de", "Started", vms, vmName(2), t(1))));
        store.apply(List.of(platform("ABC-12-DE", "Freeze", "Started", resolved(2, "rg-web"), null, t(2))));
        assertEquals(1, store.events(FleetQuery.all()).size());
        FleetEvent e = store.event("aBc-12-dE").orElseThrow();
        assertEquals("AbC-12-De", e.eventId());
        assertEquals("Started", e.eventStatus());
        assertEquals(List.of("agent", "platform"), e.sources());
        assertTrue(store.event("abc-12").isEmpty());
    }

    @Test
    void aScaleSetThePlatformReportedVmsThroughIsKeptAndMergesWithWhatTheirAgentsSay() {
        String scaleSet = "/subscriptions/" + Reports.SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/"
                + "virtualMachineScaleSets/web-vmss";
        List<VmRef> fromPlatform = List.of(
                new VmRef("web-vmss_3", Reports.vmResourceId("web-vmss_3"), "rg-web", Reports.SUB, scaleSet),
                new VmRef("web-vmss_7", Reports.vmResourceId("web-vmss_7"), "rg-web", Reports.SUB, scaleSet));
        List<VmRef> byName = List.of(new VmRef("web-vmss_3", null, null, null), new VmRef("web-vmss_7", null, null,
                null));
        String instance7 = scaleSet + "/virtualMachines/7";

        // the platform first, then web-vmss_3's agent; web-vmss_7's agent first, then the platform
        store.apply(List.of(Reports.platformOn(scaleSet, "n-1", "SS-1", "Scheduled", fromPlatform, t(0))));
        store.apply(List.of(agent("ss-1", "Scheduled", byName, "web-vmss_3", t(1))));
        FleetReport seven = agent("ss-2", "Scheduled", byName, "web-vmss_7", t(0));
        store.apply(List.of(new FleetReport(seven.source(), seven.deliveryId(), seven.eventId(), seven.eventType(),
                seven.eventStatus(), seven.notBefore(), seven.durationInSeconds(), seven.description(),
                seven.eventSource(), seven.resourceType(), byName,
                new VmRef("web-vmss_7", instance7, "rg-web", Reports.SUB), 1, t(0))));
        store.apply(List.of(Reports.platformOn(scaleSet, "n-2", "SS-2", "Scheduled", fromPlatform, t(1))));

        List<FleetEvent.Vm> first = store.event("ss-1").orElseThrow().vms();
        assertEquals(List.of(scaleSet, scaleSet), first.stream().map(FleetEvent.Vm::scaleSetId).toList());
        assertEquals(Reports.vmResourceId("web-vmss_3"), first.get(0).resourceId());
        assertEquals("Scheduled", first.get(0).status(), "its agent's report is kept beside the scale set");
        List<FleetEvent.Vm> second = store.event("ss-2").orElseThrow().vms();
        assertEquals(List.of(scaleSet, scaleSet), second.stream().map(FleetEvent.Vm::scaleSetId).toList(),
                "the platform's scale set fills in what the agent did not say");
        assertEquals(instance7, second.get(1).resourceId(), "the agent's own resource id is kept");
        assertEquals("Scheduled", second.get(1).status());
        // an agent's VM never gets a scale set from nowhere
        store.apply(List.of(agent("plain-1", "Scheduled", names(1), vmName(1), t(0))));
        assertNull(store.event("plain-1").orElseThrow().vms().get(0).scaleSetId());
    }

    @Test
    void twoVmsOfOneEventBothKeptFromThePlatformTopic() {
        // Azure publishes one notification per VM: same EventId, status and eventTime, each naming its own VM
        String onA = Reports.vmResourceId("vm-a");
        String onB = Reports.vmResourceId("vm-b");
        ApplyResult a = store.apply(List.of(Reports.platformOn(onA, "n-a", "PLAT-2", "Scheduled",
                List.of(Reports.vmInGroup("vm-a")), t(0))));
        ApplyResult b = store.apply(List.of(Reports.platformOn(onB, "n-b", "PLAT-2", "Scheduled",
                List.of(Reports.vmInGroup("vm-b")), t(0))));
        // a re-publication of vm-a's (another id, the resource id in another case) is the same report
        ApplyResult again = store.apply(List.of(Reports.platformOn(onA.toLowerCase(Locale.ROOT), "n-a2",
                "plat-2", "Scheduled", List.of(Reports.vmInGroup("vm-a")), t(0))));

        assertEquals(new ApplyResult(1, 0, 1, 2), a);
        assertEquals(new ApplyResult(1, 0, 0, 0), b, "vm-b's notification is no duplicate of vm-a's");
        assertEquals(new ApplyResult(1, 1, 0, 0), again);
        FleetEvent e = store.event("plat-2").orElseThrow();
        assertEquals(List.of("vm-a", "vm-b"), e.vms().stream().map(FleetEvent.Vm::name).toList());
        assertEquals(List.of(Reports.vmResourceId("vm-a"), Reports.vmResourceId("vm-b")),
                e.vms().stream().map(FleetEvent.Vm::resourceId).toList());
        assertEquals(List.of("platform"), e.sources());
        assertEquals(Map.of("mail Scheduled/1", 1, "webhook Scheduled/1", 1), outbox(store), "notified once");
    }

    @Test
    void eventsAreFilteredAndNewestNotBeforeComesFirst() {
        List<VmRef> web = resolved(2, "rg-web");
        List<VmRef> db = List.of(new VmRef("db-primary", null, "RG-Data", null), new VmRef("db-replica", null,
                "RG-Data", null));
        store.apply(List.of(platform("old", "Freeze", "Scheduled", web, NOT_BEFORE, t(0))));
        store.apply(List.of(platform("new", "Reboot", "Scheduled", db, NOT_BEFORE.plusSeconds(3600), t(1))));
        store.apply(List.of(platform("none", "Redeploy", "Started", db, null, t(2))));
        store.apply(List.of(platform("mid", "Freeze", "Started", web, NOT_BEFORE.plusSeconds(60), t(3))));

        assertEquals(List.of("new", "mid", "old", "none"), ids(FleetQuery.all()));
        assertEquals(List.of("mid", "none"), ids(new FleetQuery("started", null, null, null, 10)));
        assertEquals(List.of("mid", "old"), ids(new FleetQuery(null, "FREEZE", null, null, 10)));
        assertEquals(List.of("new", "none"), ids(new FleetQuery(null, null, "rg-data", null, 10)));
        assertEquals(List.of("new", "none"), ids(new FleetQuery(null, null, null, "REPLICA", 10)));
        assertEquals(List.of("none"), ids(new FleetQuery("Started", "redeploy", "RG-DATA", "db-", 10)));
        assertEquals(List.of(), ids(new FleetQuery(null, null, null, "%", 10)), "LIKE wildcards are text");
        assertEquals(List.of(), ids(new FleetQuery(null, null, null, "_", 10)));
        assertEquals(List.of("new", "mid"), ids(new FleetQuery(null, null, null, null, 2)));
        assertTrue(store.events(FleetQuery.all()).stream().allMatch(e -> e.history() == null));
    }

    private List<String> ids(FleetQuery query) {
        return store.events(query).stream().map(FleetEvent::eventId).toList();
    }

    @Test
    void oneEventComesWithItsHistory() {
        List<VmRef> vms = names(2);
        store.apply(List.of(agent("e6", "Scheduled", vms, vmName(2), t(0))));
        clock.advance(Duration.ofSeconds(5));
        store.apply(List.of(platform("e6", "Freeze", "Scheduled", resolved(2, "rg-web"), NOT_BEFORE, t(1))));
        clock.advance(Duration.ofSeconds(5));
        store.apply(List.of(agent("e6", "Started", vms, vmName(1), t(2))));
        clock.advance(Duration.ofSeconds(5));
        OutboxItem item = store.claim("me", 10, Duration.ofMinutes(1)).stream()
                .filter(i -> i.channel().equals("mail") && i.status().equals("Scheduled")).findFirst().orElseThrow();
        store.sent(item.id());

        FleetEvent e = store.event("E6").orElseThrow();
        List<String> history = e.history().stream()
                .map(h -> h.at() + " " + h.what() + " " + h.status() + " " + h.source() + " " + h.vm() + " "
                        + h.detail())
                .toList();
        assertEquals(List.of(
                T0 + " source null agent vm0002 null",
                T0 + " status Scheduled agent vm0002 null",
                T0.plusSeconds(5) + " source null platform null null",
                T0.plusSeconds(10) + " status Started agent vm0001 null",
                T0.plusSeconds(15) + " notified Scheduled null null mail"), history);
        assertEquals(T0.toString(), e.firstSeen());
        assertEquals(T0.plusSeconds(10).toString(), e.lastSeen());
        assertEquals(List.of("vm0001", "vm0002"), e.reportedBy());
    }

    @Test
    void notifyRulesChooseChannelsTypesAndStatuses() {
        FleetStore picky = store(NotifyRules.parse("mail", "Reboot, Redeploy", "scheduled,COMPLETED"));
        List<VmRef> vms = names(1);
        assertEquals(new ApplyResult(1, 0, 1, 0), picky.apply(List.of(agent("f1", "Freeze", "Scheduled", vms,
                vmName(1), "rg", 1, t(0)))));
        assertEquals(new ApplyResult(1, 0, 1, 1), picky.apply(List.of(agent("r1", "Reboot", "Scheduled", vms,
                vmName(1), "rg", 1, t(0)))));
        assertEquals(new ApplyResult(1, 0, 1, 0), picky.apply(List.of(agent("r1", "Reboot", "Started", vms,
                vmName(1), "rg", 1, t(1)))));
        assertEquals(new ApplyResult(1, 0, 1, 1), picky.apply(List.of(agent("r1", "Reboot", "Completed", vms,
                vmName(1), "rg", 1, t(2)))));
        assertEquals(Map.of("mail Scheduled/1", 1, "mail Completed/1", 1), outbox(picky));

        FleetStore silent = store(NotifyRules.none());
        long pending = silent.pendingNotifications();
        assertEquals(new ApplyResult(1, 0, 1, 0), silent.apply(List.of(agent("n1", "Reboot", "Scheduled", vms,
                vmName(1), "rg", 1, t(0)))));
        assertEquals(pending, silent.pendingNotifications());
    }

    @Test
    void twoOwnersClaimingAtOnceNeverGetTheSameRow() throws Exception {
        for (int i = 0; i < 30; i++) {
            store.apply(List.of(platform("c" + i, "Freeze", "Scheduled", names(1), NOT_BEFORE, t(i))));
        }
        assertEquals(60, store.pendingNotifications());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Long>>> owners = new ArrayList<>();
            for (String owner : List.of("replica-a", "replica-b")) {
                owners.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    while (true) {
                        List<OutboxItem> got = store.claim(owner, 3, Duration.ofMinutes(5));
                        if (got.isEmpty()) {
                            return mine;
                        }
                        got.forEach(item -> mine.add(item.id()));
                    }
                }));
            }
            start.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> owner : owners) {
                all.addAll(owner.get(60, TimeUnit.SECONDS));
            }
            assertEquals(60, all.size());
            assertEquals(60, new HashSet<>(all).size(), "no row claimed twice");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredLeaseCanBeClaimedAgain() {
        FleetStore mailOnly = store(NotifyRules.all("mail"));
        mailOnly.apply(List.of(platform("l1", "Freeze", "Scheduled", names(1), NOT_BEFORE, t(0))));
        List<OutboxItem> first = mailOnly.claim("a", 10, Duration.ofSeconds(30));
        assertEquals(1, first.size());
        assertEquals(0, first.get(0).attempts());
        assertEquals(List.of(), mailOnly.claim("b", 10, Duration.ofSeconds(30)), "leased to a");
        clock.advance(Duration.ofSeconds(31)); // a was killed mid-send
        List<OutboxItem> second = mailOnly.claim("b", 10, Duration.ofSeconds(30));
        assertEquals(1, second.size());
        assertEquals(first.get(0).id(), second.get(0).id());
        assertEquals(1, second.get(0).attempts(), "a's claim counts as an attempt");
        assertEquals("l1", second.get(0).eventKey());
    }

    @Test
    void failedDelaysAndDeadRemovesFromDue() {
        FleetStore mailOnly = store(NotifyRules.all("mail"));
        mailOnly.apply(List.of(platform("f1", "Freeze", "Scheduled", names(1), NOT_BEFORE, t(0))));
        mailOnly.apply(List.of(platform("f2", "Freeze", "Scheduled", names(1), NOT_BEFORE, t(0))));
        List<OutboxItem> items = mailOnly.claim("a", 10, Duration.ofMinutes(5));
        assertEquals(2, items.size());
        OutboxItem failing = items.get(0);
        OutboxItem refused = items.get(1);
        mailOnly.failed(failing.id(), "SMTP 451 try later", clock.instant().plusSeconds(60));
        mailOnly.dead(refused.id(), "SMTP 550 no such user");
        assertEquals(List.of(), mailOnly.claim("a", 10, Duration.ofMinutes(5)), "neither is due");
        assertEquals(1, mailOnly.pendingNotifications());
        assertEquals(1, mailOnly.deadNotifications());
        clock.advance(Duration.ofSeconds(61));
        List<OutboxItem> retry = mailOnly.claim("a", 10, Duration.ofMinutes(5));
        assertEquals(List.of(failing.id()), retry.stream().map(OutboxItem::id).toList());
        mailOnly.sent(failing.id());
        assertEquals(0, mailOnly.pendingNotifications());
        clock.advance(Duration.ofHours(1));
        assertEquals(List.of(), mailOnly.claim("a", 10, Duration.ofMinutes(5)), "sent and dead stay out");
        assertEquals(1, mailOnly.deadNotifications());
    }

    @Test
    void hostileTextIsStoredAsTextAndCapped() {
        String eventId = "x'); drop table fleet_event; --\u0000\r\nInjected: yes";
        String huge = "A".repeat(100_000);
        VmRef odd = new VmRef("vm%_'\"<script>\u0000", "/subscriptions/'; delete from fleet_vm; --", "rg\r\nx",
                null);
        FleetReport hostile = new FleetReport(ReportSource.SEED_SCRIPT, huge, eventId, "Freeze\u0000';--",
                "Scheduled", null, null, huge, "<b>", "'", List.of(odd), odd, 1, t(0));
        assertEquals(new ApplyResult(1, 0, 1, 2), store.apply(List.of(hostile)));
        assertEquals(new ApplyResult(1, 1, 0, 0), store.apply(List.of(hostile)), "a duplicate like any other");
        FleetEvent e = store.event(eventId).orElseThrow();
        assertEquals(eventId.replace('\u0000', '\uFFFD'), e.eventId());
        assertEquals(FleetStore.MAX_DESCRIPTION, e.description().length());
        assertTrue(e.description().endsWith(FleetStore.CUT));
        assertEquals("vm%_'\"<script>\uFFFD", e.vms().get(0).name());
        assertEquals(List.of("seed-script"), e.sources());
        assertEquals(List.of(eventId.replace('\u0000', '\uFFFD')),
                store.events(new FleetQuery(null, null, null, "%_'", 10)).stream().map(FleetEvent::eventId).toList());
        assertFalse(store.events(FleetQuery.all()).isEmpty(), "the tables are still there");
    }

    @Test
    void manyReportsInOneDeliveryAreOneTransaction() {
        List<VmRef> vms = names(5);
        List<FleetReport> batch = new ArrayList<>();
        for (int v = 1; v <= 5; v++) {
            batch.add(agent("b1", "Scheduled", vms, vmName(v), t(v)));
            batch.add(agent("b1", "Started", vms, vmName(v), t(100 + v)));
        }
        batch.add(batch.get(0));
        assertEquals(new ApplyResult(11, 1, 2, 4), store.apply(batch));
        assertEquals(new ApplyResult(11, 11, 0, 0), store.apply(batch));
        FleetEvent e = store.event("b1").orElseThrow();
        assertEquals("Started", e.eventStatus());
        assertNotNull(e.history());
        assertEquals(Set.of("Started"), Set.copyOf(e.vms().stream().map(FleetEvent.Vm::status).toList()));
        assertEquals(Collections.nCopies(1, "agent"), e.sources());
    }

    @Test
    void approvalAttemptsAreTheEventsApprovalAndHistoryWithWhoAndTheSuccessfulOneIsNotHiddenByALaterRefusal()
            throws Exception {
        store.apply(List.of(platform("APPROVE-1", "Reboot", "Scheduled", resolved(2, "rg-web"), NOT_BEFORE, t(0))));
        FleetEvent before = store.event("approve-1").orElseThrow();
        assertNull(before.approval(), "nobody tried yet");
        assertTrue(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(before)
                .contains("\"Approval\":null"), "the field is always in the JSON");

        store.recordApproval("APPROVE-1", 1, "alice", t(10), "failed", "Azure refused it for vm0001 (conflict)");
        assertEquals(new FleetEvent.Approval("alice", t(10).toString(), "failed",
                "Azure refused it for vm0001 (conflict)"), store.event("approve-1").orElseThrow().approval());
        store.recordApproval("approve-1", 1, "bob", t(20), "approved", "approved: Azure acknowledged it");
        store.recordApproval("approve-1", 1, "carol", t(30), "refused", "not approved: the event is Started");

        FleetEvent after = store.event("approve-1").orElseThrow();
        assertEquals("bob", after.approval().by(), "who released it stays shown");
        assertEquals("approved", after.approval().outcome());
        assertEquals("bob", store.events(FleetQuery.all()).get(0).approval().by(), "the list shows it too");
        List<FleetEvent.HistoryEntry> approvals = after.history().stream()
                .filter(h -> h.what().equals("approval")).toList();
        assertEquals(List.of("alice", "bob", "carol"), approvals.stream().map(FleetEvent.HistoryEntry::by).toList());
        assertEquals(List.of("failed", "approved", "refused"),
                approvals.stream().map(FleetEvent.HistoryEntry::status).toList());
        assertEquals("approved: Azure acknowledged it", approvals.get(1).detail());
        assertTrue(after.history().stream().filter(h -> !h.what().equals("approval")).allMatch(h -> h.by() == null),
                "only approvals name a user");
    }

    @Test
    void anEarlierOccurrencesApprovalIsNotTheApprovalOfTheEventReportedAgain() {
        List<VmRef> vms = names(2);
        store.apply(List.of(agent("e-again", "Scheduled", vms, vmName(1), t(0))));
        store.recordApproval("e-again", 1, "alice", t(5), "approved", "approved");
        store.apply(List.of(agent("e-again", "Canceled", vms, vmName(1), t(60))));
        store.apply(List.of(agent("e-again", "Freeze", "Scheduled", vms, vmName(1), "rg-web", 2, t(120))));

        FleetEvent e = store.event("e-again").orElseThrow();
        assertEquals(2, e.occurrence());
        assertNull(e.approval(), "occurrence 2 is not approved yet");
        assertEquals(1, e.history().stream().filter(h -> h.what().equals("approval")).count(), "but it happened");
    }

    @Test
    void anApprovalsHostileTextIsStoredAsTextAndCapped() {
        store.apply(List.of(agent("e-hostile", "Scheduled", names(1), vmName(1), t(0))));
        String message = "<script>alert(1)</script>\u0000".repeat(500);
        store.recordApproval("e-hostile", 1, "x'); drop table fleet_event; --", t(1), "failed", message);

        FleetEvent.Approval a = store.event("e-hostile").orElseThrow().approval();
        assertEquals("x'); drop table fleet_event; --", a.by());
        assertTrue(a.message().startsWith("<script>alert(1)</script>\uFFFD"), a.message().substring(0, 40));
        assertEquals(FleetStore.MAX_MESSAGE, a.message().length());
    }
}
