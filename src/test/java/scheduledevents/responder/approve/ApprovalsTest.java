package scheduledevents.responder.approve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.FleetStoreException;
import scheduledevents.settings.InvalidSettingException;
import scheduledevents.settings.SettingsReader;
import scheduledevents.testing.FakeArm;

/** Approvals with a store in memory and ARM on loopback (FakeArm). */
class ApprovalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUB = "00000000-1111-2222-3333-444444444444";
    private final FakeArm arm = FakeArm.start();
    private final MemoryStore store = new MemoryStore();
    private final List<String> counted = new CopyOnWriteArrayList<>();
    private final Approvals approvals = new Approvals(store, new ArmApprover(new ArmSettings(URI.create(arm.url()),
            "https://management.azure.com/.default", "", "2023-10-01-preview", Duration.ofSeconds(5)), arm::token),
            counted::add, Clock.fixed(Instant.parse("2026-12-01T10:05:00Z"), ZoneOffset.UTC));

    @AfterEach
    void stop() {
        arm.close();
    }

    private static FleetEvent event(String id, String status, List<FleetEvent.Vm> vms) {
        return new FleetEvent(id, "Reboot", status, "2026-12-01T10:15:00Z", 5, "", "Platform", "VirtualMachine", 1,
                vms, List.of(), List.of("platform"), "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z", null, List.of());
    }

    private static FleetEvent.Vm vm(String name) {
        return new FleetEvent.Vm(name, "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/"
                + "virtualMachines/" + name, "rg", SUB, null, null);
    }

    private static FleetEvent.Vm instance(String scaleSet, int i) {
        return new FleetEvent.Vm(scaleSet + "_" + i, "/subscriptions/" + SUB + "/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachineScaleSets/" + scaleSet + "/virtualMachines/" + i, "rg", SUB, null,
                null);
    }

    @Test
    void fiveClicksAtOnceMakeOneSetOfCallsToAzure() throws Exception {
        store.put(event("E-1", "Scheduled", List.of(vm("vm-01"), instance("web", 1), instance("web", 2))));
        ExecutorService pool = Executors.newFixedThreadPool(5);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApproveAnswer>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String who = "user" + i;
            answers.add(pool.submit(() -> {
                go.await();
                return approvals.approve("e-1", who);
            }));
        }
        go.countDown();
        for (Future<ApproveAnswer> a : answers) {
            assertEquals(200, a.get(30, TimeUnit.SECONDS).getStatus());
        }
        pool.shutdown();

        assertEquals(2, arm.acknowledges().size(), "vm-01 and the scale set web, once: " + arm.acknowledges());
        assertEquals(1, store.attempts.size(), "one attempt recorded; the others were already approved");
        assertEquals(List.of("approved"), counted);
    }

    @Test
    void aScaleSetEventFromThePlatformTopicIsAcknowledgedOnTheScaleSetOnce() throws Exception {
        String scaleSet = "/subscriptions/" + SUB + "/resourceGroups/rg/providers/Microsoft.Compute/"
                + "virtualMachineScaleSets/web-vmss";
        List<FleetEvent.Vm> vms = new ArrayList<>();
        for (int i : new int[] {3, 7}) {
            FleetEvent.Vm rebuilt = vm("web-vmss_" + i);
            vms.add(new FleetEvent.Vm(rebuilt.name(), rebuilt.resourceId(), "rg", SUB, null, null, scaleSet));
        }
        store.put(event("E-SS", "Scheduled", vms));

        ApproveAnswer answer = approvals.approve("E-SS", "alice");

        assertEquals(200, answer.getStatus(), answer.getJson());
        assertEquals("approved: Azure acknowledged it for scale set web-vmss",
                JSON.readTree(answer.getJson()).path("Message").asText());
        assertEquals(List.of("/subscriptions/" + SUB + "/resourcegroups/rg/providers/Microsoft.Compute/"
                + "virtualMachineScaleSets/web-vmss/providers/Microsoft.Maintenance/scheduledevents/E-SS/acknowledge"),
                arm.acknowledges().stream().map(FakeArm.Request::path).toList(), "not virtualMachines/web-vmss_3");
    }

    @Test
    void vmsWithoutAResourceIdAreSaidAndTheOthersApproved() throws Exception {
        store.put(event("E-2", "Scheduled", List.of(vm("vm-01"),
                new FleetEvent.Vm("named-only", null, null, null, null, null))));

        JsonNode answer = JSON.readTree(approvals.approve("E-2", "alice").getJson());

        assertEquals("approved: Azure acknowledged it for vm-01; without a resource id, not asked: named-only",
                answer.path("Message").asText());
        store.put(event("E-3", "Scheduled", List.of(new FleetEvent.Vm("named-only", null, null, null, null, null))));
        ApproveAnswer none = approvals.approve("E-3", "alice");
        assertEquals(502, none.getStatus());
        assertTrue(none.getJson().contains("no VM of this event has an Azure resource id (named-only)"),
                none.getJson());
    }

    @Test
    void aFailingDatabaseIs500WithoutItsText() {
        store.fail = true;

        ApproveAnswer answer = approvals.approve("E-1", "alice");

        assertEquals(500, answer.getStatus());
        assertTrue(answer.getJson().contains("the fleet database failed; try again"), answer.getJson());
        assertFalse(answer.getJson().contains("jdbc"));
        assertEquals(List.of(), arm.acknowledges());
    }

    @Test
    void manyFailuresAreNamedTenAtMost() throws Exception {
        List<FleetEvent.Vm> vms = new ArrayList<>();
        for (int i = 1; i <= 14; i++) {
            vms.add(new FleetEvent.Vm("vm-" + i, null, null, null, null, null));
        }
        vms.add(vm("vm-ok"));
        store.put(event("E-4", "Scheduled", vms));

        String message = JSON.readTree(approvals.approve("E-4", "alice").getJson()).path("Message").asText();

        assertTrue(message.endsWith("not asked: vm-1, vm-2, vm-3, vm-4, vm-5, vm-6, vm-7, vm-8, vm-9, vm-10 and 4 more"),
                message);
    }

    private Approvals withRules(String never, String auto) {
        ApprovalRules rules = ApprovalRules.read(new SettingsReader(Map.of("responder.approve.never", never,
                "responder.approve.auto", auto, "responder.approve.auto-interval", "1000")::get));
        return new Approvals(store, new ArmApprover(new ArmSettings(URI.create(arm.url()),
                "https://management.azure.com/.default", "", "2023-10-01-preview", Duration.ofSeconds(5)), arm::token),
                counted::add, Clock.systemUTC(), rules);
    }

    private static FleetEvent event(String id, String type, String source) {
        return new FleetEvent(id, type, "Scheduled", "2026-12-01T10:15:00Z", 5, "", source, "VirtualMachine", 1,
                List.of(vm("vm-" + id)), List.of(), List.of("agent"), "2026-12-01T10:00:00Z", "2026-12-01T10:00:00Z",
                null, List.of());
    }

    @Test
    void aNeverRuleRefusesWithoutAskingAzure() throws Exception {
        Approvals approvals = withRules("Freeze/Platform", "");
        store.put(event("F1", "Freeze", "Platform"));
        store.put(event("F2", "Freeze", "User"));

        ApproveAnswer refused = approvals.approve("F1", "alice");

        assertEquals(409, refused.getStatus());
        assertEquals("not approved: the responder's rules say Freeze/Platform events are never approved from here"
                + " (responder.approve.never); Azure starts it at NotBefore or when a VM approves it",
                JSON.readTree(refused.getJson()).path("Message").asText());
        assertEquals("refused", store.attempts.get(0).outcome());
        assertEquals(List.of(), arm.acknowledges());
        assertEquals(200, approvals.approve("F2", "alice").getStatus(), "a user's Freeze is not forbidden");
        assertFalse(approvals.autoEnabled());
    }

    @Test
    void anAutoRuleApprovesMatchingScheduledEventsOnceAndANeverRuleWins() {
        Approvals approvals = withRules("Reboot/Platform", "Reboot, Redeploy/User");
        store.put(event("R-USER", "Reboot", "User"));
        store.put(event("R-PLATFORM", "Reboot", "Platform"));
        store.put(event("D-USER", "Redeploy", "User"));
        store.put(event("D-PLATFORM", "Redeploy", "Platform"));
        arm.answer("vm-D-USER", 403);

        assertTrue(approvals.autoEnabled());
        assertEquals(2, approvals.approveByRule());

        assertEquals(Approvals.RULE_USER, store.events.get("r-user").approval().by());
        assertEquals("approved", store.events.get("r-user").approval().outcome());
        assertEquals("failed", store.events.get("d-user").approval().outcome());
        assertEquals(null, store.events.get("r-platform").approval(), "never wins over auto");
        assertEquals(null, store.events.get("d-platform").approval(), "no rule names it");
        assertEquals(0, approvals.approveByRule(), "tried once: a failure is left to an operator");
        assertEquals(2, arm.acknowledges().size());
    }

    @Test
    void rulesAreCheckedAtStartInOneLine() {
        for (String bad : new String[] {"Reboots", "Reboot/Somebody", "*", "*/*", "Reboot/User/x"}) {
            InvalidSettingException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
                    () -> withRules(bad, ""));
            assertTrue(e.getMessage().startsWith("Invalid setting responder.approve.never: '"), e.getMessage());
        }
        ApprovalRules rules = ApprovalRules.read(new SettingsReader(Map.of("responder.approve.never",
                " freeze / platform ,*/User", "responder.approve.auto", "", "responder.approve.auto-interval",
                "1000")::get));
        assertEquals(List.of(new ApprovalRules.Rule("Freeze", "Platform"), new ApprovalRules.Rule("*", "User")),
                rules.never());
    }

    /** Fleet events in memory; an attempt becomes the event's Approval as FleetStore makes it. */
    private static final class MemoryStore implements ApprovalStore {
        final Map<String, FleetEvent> events = new ConcurrentHashMap<>();
        final List<FleetEvent.Approval> attempts = new CopyOnWriteArrayList<>();
        volatile boolean fail;

        void put(FleetEvent e) {
            events.put(e.eventId().toLowerCase(), e);
        }

        @Override
        public Optional<FleetEvent> event(String eventId) {
            if (fail) {
                throw new FleetStoreException("fleet database: reading failed: jdbc:postgresql://secret-host", null);
            }
            return Optional.ofNullable(events.get(eventId.toLowerCase()));
        }

        @Override
        public List<FleetEvent> scheduled() {
            return events.values().stream().filter(e -> e.eventStatus().equals("Scheduled")).toList();
        }

        @Override
        public void record(String eventId, int occurrence, FleetEvent.Approval attempt) {
            attempts.add(attempt);
            FleetEvent e = events.get(eventId.toLowerCase());
            events.put(eventId.toLowerCase(), new FleetEvent(e.eventId(), e.eventType(), e.eventStatus(),
                    e.notBeforeUtc(), e.durationInSeconds(), e.description(), e.eventSource(), e.resourceType(),
                    e.occurrence(), e.vms(), e.reportedBy(), e.sources(), e.firstSeen(), e.lastSeen(),
                    e.approval() != null && e.approval().approved() ? e.approval() : attempt, e.history()));
        }
    }
}
