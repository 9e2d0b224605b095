package scheduledevents.transitions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.SettableClock;
import scheduledevents.imds.MalformedDocumentException;
import scheduledevents.imds.ScheduledEventsParser;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.EventStatus;
import scheduledevents.record.Occurrence;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;

class TransitionDetectorTest {
    private static final String FREEZE_ID = "C7061BAC-AFDC-4513-B24B-AA5F13A16123";
    private static final String REBOOT_ID = "f020ba2e-3bc0-4c40-a10b-86575a9eabd5"; // reboot-user.json
    private static final String REBOOT_NOT_BEFORE = "2026-11-17T09:10:00Z";
    private static final VmIdentity MYVM = new VmIdentity("myvm", "/subscriptions/s/resourceGroups/rg/providers/"
            + "Microsoft.Compute/virtualMachines/myvm", "vm-id-1", "westeurope", null, "s", "rg", "1");

    @TempDir
    Path stateDir;

    private final ScheduledEventsParser parser = new ScheduledEventsParser();
    private final SettableClock clock = SettableClock.at("2026-04-11T22:00:00Z");
    private final AtomicReference<VmIdentity> vm = new AtomicReference<>(MYVM);
    private AgentMetrics metrics;

    @BeforeEach
    void setUp() {
        metrics = AgentMetrics.inMemory();
    }

    private TransitionDetector detector(Scope scope) {
        return new TransitionDetector(new EventStateStore(stateDir), scope, vm::get, metrics, clock);
    }

    /** As the agent makes it: Canceled only once {@code canceledAfter} documents in a row lack the event. */
    private TransitionDetector detector(int canceledAfter, Function<String, Instant> approvedAt) {
        return new TransitionDetector(new EventStateStore(stateDir), Scope.ALL, vm::get, metrics, clock, approvedAt,
                canceledAfter);
    }

    private ScheduledEventsDocument doc(String fixture) throws MalformedDocumentException {
        return parser.parse(Fixtures.read(fixture));
    }

    private ScheduledEventsDocument json(String body) throws MalformedDocumentException {
        return parser.parse(body);
    }

    private static ScheduledEventsDocument empty(long incarnation) {
        return new ScheduledEventsDocument(incarnation, List.of(), true, List.of());
    }

    /** detect + commit, as the transitions route does once every record is queued. */
    private static List<TransitionRecord> step(TransitionDetector d, ScheduledEventsDocument doc) {
        Transitions t = d.detect(doc);
        d.commit(t);
        return t.records();
    }

    private static List<String> statuses(List<TransitionRecord> records) {
        return records.stream().map(TransitionRecord::eventStatus).toList();
    }

    // ---- the freeze sequence ----

    @Test
    void freezeSequenceYieldsScheduledStartedCompletedOnceEach() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        List<TransitionRecord> all = new ArrayList<>();
        assertEquals(List.of(), step(d, doc("01-empty.json")));
        List<TransitionRecord> scheduled = step(d, doc("02-freeze-scheduled.json"));
        all.addAll(scheduled);
        assertEquals(List.of("Scheduled"), statuses(scheduled));
        clock.set("2026-04-11T22:27:00Z");
        List<TransitionRecord> started = step(d, doc("03-freeze-started.json"));
        all.addAll(started);
        assertEquals(List.of("Started"), statuses(started));
        clock.set("2026-04-11T22:27:10Z");
        List<TransitionRecord> completed = step(d, doc("04-empty-after.json"));
        all.addAll(completed);
        assertEquals(List.of("Completed"), statuses(completed));

        assertEquals(List.of(FREEZE_ID, FREEZE_ID, FREEZE_ID), all.stream().map(TransitionRecord::eventId).toList());
        assertEquals(List.of(2L, 3L, 4L), all.stream().map(TransitionRecord::documentIncarnation).toList());
        assertEquals(1.0, metrics.count("agent.transitions", "type", "Freeze", "status", "Scheduled"));
        assertEquals(1.0, metrics.count("agent.transitions", "type", "Freeze", "status", "Started"));
        assertEquals(1.0, metrics.count("agent.transitions", "type", "Freeze", "status", "Completed"));
    }

    @Test
    void freezeSequenceWithScopeThisVmReportsEventNamingThisVmCaseInsensitively() throws Exception {
        vm.set(MYVM.withName("westno_1"));
        TransitionDetector d = detector(Scope.THIS_VM);
        step(d, doc("01-empty.json"));
        List<String> seen = new ArrayList<>();
        for (String f : List.of("02-freeze-scheduled.json", "03-freeze-started.json", "04-empty-after.json")) {
            List<TransitionRecord> records = step(d, doc(f));
            records.forEach(r -> assertEquals(Boolean.TRUE, r.affectsThisVm()));
            seen.addAll(statuses(records));
        }
        assertEquals(List.of("Scheduled", "Started", "Completed"), seen);
    }

    @Test
    void repeatingADocumentYieldsNothing() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        assertEquals(1, step(d, doc("02-freeze-scheduled.json")).size());
        Transitions again = d.detect(doc("02-freeze-scheduled.json"));
        assertEquals(List.of(), again.records());
        assertFalse(again.stateChanged(), "nothing to save for an identical document");
        d.commit(again);
        assertEquals(List.of(), d.detect(doc("02-freeze-scheduled.json")).records());
    }

    @Test
    void newIncarnationWithSameEventsYieldsNothingButIsRemembered() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("02-freeze-scheduled.json"));
        String bumped = Fixtures.read("02-freeze-scheduled.json").replace("\"DocumentIncarnation\":2",
                "\"DocumentIncarnation\":5");
        Transitions t = d.detect(json(bumped));
        assertEquals(List.of(), t.records());
        assertTrue(t.stateChanged());
        assertEquals(5, t.incarnation());
    }

    @Test
    void eventStartedWithoutNoticeYieldsStartedOnly() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        assertEquals(List.of("Started"), statuses(step(d, doc("03-freeze-started.json"))));
    }

    @Test
    void detectWithoutCommitRepeatsTheSameRecords() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        assertEquals(1, d.detect(doc("02-freeze-scheduled.json")).records().size());
        assertEquals(1, d.detect(doc("02-freeze-scheduled.json")).records().size(),
                "state moves only on commit, after the records are queued");
    }

    // ---- disappearance: Canceled or Completed ----

    @Test
    void eventVanishingWhileScheduledBeforeNotBeforeIsCanceled() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("reboot-user.json"));
        clock.set("2026-11-17T09:09:59Z");
        List<TransitionRecord> records = step(d, empty(13));
        assertEquals(List.of("Canceled"), statuses(records));
        assertEquals(REBOOT_ID, records.get(0).eventId());
        assertEquals(13, records.get(0).documentIncarnation());
        assertEquals(1.0, metrics.count("agent.transitions", "type", "Reboot", "status", "Canceled"));
    }

    @Test
    void eventVanishingWhileScheduledAtOrAfterNotBeforeIsCompleted() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("reboot-user.json"));
        clock.set(REBOOT_NOT_BEFORE);
        assertEquals(List.of("Completed"), statuses(d.detect(empty(13)).records()));
        clock.set("2026-11-17T09:15:00Z");
        assertEquals(List.of("Completed"), statuses(d.detect(empty(13)).records()));
    }

    @Test
    void scheduledEventWithoutStartTimeVanishingIsCanceled() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("malformed/bad-notbefore-and-resources.json")); // NotBefore unreadable
        assertEquals(List.of("Canceled"), statuses(step(d, empty(5))));
    }

    @Test
    void vanishedEventIsReportedOnlyOnce() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("03-freeze-started.json"));
        assertEquals(1, step(d, doc("04-empty-after.json")).size());
        assertEquals(List.of(), step(d, doc("04-empty-after.json")));
        assertEquals(List.of(), step(d, empty(5)));
    }

    // ---- EventId case ----

    @Test
    void eventIdDifferingOnlyInCaseIsTheSameEvent() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("02-freeze-scheduled.json"));
        String lower = Fixtures.read("02-freeze-scheduled.json").replace(FREEZE_ID, FREEZE_ID.toLowerCase());
        assertEquals(List.of(), step(d, json(lower)), "same event, same status: nothing new");
        String lowerStarted = Fixtures.read("03-freeze-started.json").replace(FREEZE_ID, FREEZE_ID.toLowerCase());
        List<TransitionRecord> records = step(d, json(lowerStarted));
        assertEquals(List.of("Started"), statuses(records), "no Completed/Canceled for the upper-case spelling");
        assertEquals(FREEZE_ID.toLowerCase(), records.get(0).eventId(), "record carries the id as now sent");
    }

    // ---- restarts ----

    @Test
    void newDetectorAfterCommitReplaysNothing() throws Exception {
        TransitionDetector first = detector(Scope.ALL);
        step(first, doc("02-freeze-scheduled.json"));
        TransitionDetector afterRestart = detector(Scope.ALL);
        assertEquals(List.of(), afterRestart.detect(doc("02-freeze-scheduled.json")).records());
    }

    @Test
    void aDocumentIsSkippedOnlyWhenItsTextIsTheOneLastCommitted() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        String scheduled = Fixtures.read("02-freeze-scheduled.json");
        String started = Fixtures.read("03-freeze-started.json");
        assertTrue(d.isNew(scheduled), "nothing acted on yet");
        Transitions t = d.detect(parser.parse(scheduled));
        assertTrue(d.isNew(scheduled), "detected but not committed (records not all queued): look again");
        d.commit(t, scheduled);
        assertFalse(d.isNew(scheduled), "the same text again holds no transition");
        assertEquals(List.of(), d.detect(parser.parse(scheduled)).records(), "which detect agrees with");
        assertTrue(d.isNew(started));
        assertTrue(d.isNew(scheduled + " "), "any other text is looked at");
        assertFalse(d.isNew(null));
        assertTrue(detector(Scope.ALL).isNew(scheduled), "after a restart the first document is always read");
    }

    @Test
    void newDetectorAfterCrashBeforeCommitReplaysTheTransition() throws Exception {
        TransitionDetector first = detector(Scope.ALL);
        assertEquals(1, first.detect(doc("02-freeze-scheduled.json")).records().size());
        // crash here: records possibly queued, commit never called
        TransitionDetector afterCrash = detector(Scope.ALL);
        List<TransitionRecord> replay = afterCrash.detect(doc("02-freeze-scheduled.json")).records();
        assertEquals(List.of("Scheduled"), statuses(replay));
        assertEquals(FREEZE_ID, replay.get(0).eventId());
    }

    @Test
    void newDetectorRemembersStartedEventAndCompletesItAfterRestart() throws Exception {
        TransitionDetector first = detector(Scope.ALL);
        step(first, doc("02-freeze-scheduled.json"));
        step(first, doc("03-freeze-started.json"));
        TransitionDetector afterRestart = detector(Scope.ALL);
        assertEquals(List.of(), afterRestart.detect(doc("03-freeze-started.json")).records());
        assertEquals(List.of("Completed"), statuses(afterRestart.detect(doc("04-empty-after.json")).records()));
    }

    // ---- records that could not be queued (a full disk) ----

    @Test
    void transitionsSeenWhileRecordsCannotBeQueuedAreQueuedAfterwardsAllAndInOrder() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        String scheduled = Fixtures.read("02-freeze-scheduled.json");
        Transitions first = d.detect(parser.parse(scheduled));
        d.notQueued(first); // the fan-out failed: the disk is full
        assertTrue(d.isNew(scheduled), "the same document is looked at again on the next poll");
        assertEquals(List.of("Scheduled"), statuses(d.detect(parser.parse(scheduled)).records()),
                "and its record is queued again");
        clock.set("2026-04-11T22:27:00Z");
        Transitions second = d.detect(doc("03-freeze-started.json"));
        assertEquals(List.of("Scheduled", "Started"), statuses(second.records()), "a transition seen meanwhile");
        d.notQueued(second);
        clock.set("2026-04-11T22:27:10Z");
        String after = Fixtures.read("04-empty-after.json");
        Transitions third = d.detect(parser.parse(after));
        assertEquals(List.of("Scheduled", "Started", "Completed"), statuses(third.records()));
        assertEquals("2026-04-11T22:00:00Z", third.records().get(0).observedAt(), "when it was seen, first");
        assertEquals(0.0, metrics.count("agent.transitions", "type", "Freeze", "status", "Scheduled"),
                "counted once queued");

        d.commit(third, after); // queued at last
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            assertEquals(1.0, metrics.count("agent.transitions", "type", "Freeze", "status", status), status);
        }
        assertFalse(d.isNew(after));
        assertEquals(List.of(), d.detect(parser.parse(after)).records(), "nothing is queued a second time");
        assertEquals(List.of(), detector(Scope.ALL).detect(parser.parse(after)).records(), "the state file was written");
    }

    @Test
    void whatWasSeenButNotQueuedIsNotSavedSoARestartComparesWithWhatWasQueued() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("02-freeze-scheduled.json"));
        d.notQueued(d.detect(doc("03-freeze-started.json")));
        // killed while the disk was full: the Started record was never queued, so it is reported after the restart
        assertEquals(List.of("Started"), statuses(detector(Scope.ALL).detect(doc("03-freeze-started.json"))
                .records()));
    }

    @Test
    void recordsKeptWhileTheyCannotBeQueuedAreBounded() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        Transitions seen = d.detect(doc("02-freeze-scheduled.json"));
        TransitionRecord record = seen.records().get(0);
        List<TransitionRecord> many = new ArrayList<>();
        for (int i = 0; i <= TransitionDetector.MAX_NOT_QUEUED; i++) {
            many.add(record);
        }
        many.add(d.detect(doc("03-freeze-started.json")).records().get(0));
        d.notQueued(new Transitions(many, seen.incarnation(), seen.nextState(), true, seen.occurrences(),
                seen.missing()));
        List<TransitionRecord> kept = d.detect(doc("02-freeze-scheduled.json")).records();
        assertEquals(TransitionDetector.MAX_NOT_QUEUED, kept.size());
        assertEquals("Started", kept.get(kept.size() - 1).eventStatus(), "the oldest are dropped, not the newest");
    }

    @Test
    void aStateThatCannotBeSavedIsSavedOnALaterPollWithoutQueueingItsRecordsAgain() throws Exception {
        Path blocker = Files.createDirectories(stateDir.resolve("last-document.json").resolve("blocker"));
        TransitionDetector d = detector(Scope.ALL);
        String scheduled = Fixtures.read("02-freeze-scheduled.json");
        Transitions t = d.detect(parser.parse(scheduled));
        d.commit(t, scheduled); // the state file cannot be replaced: a directory is in its place
        assertTrue(d.isNew(scheduled), "not saved: the document is looked at again");
        Transitions again = d.detect(parser.parse(scheduled));
        assertEquals(List.of(), again.records(), "its record was queued: not again");
        assertTrue(again.stateChanged(), "but the state is still to be saved");

        Files.delete(blocker);
        Files.delete(blocker.getParent());
        d.commit(again, scheduled);
        assertFalse(d.isNew(scheduled));
        assertEquals(List.of(), detector(Scope.ALL).detect(parser.parse(scheduled)).records(), "saved");
    }

    // ---- incomplete documents ----

    @Test
    void incompleteDocumentDoesNotEndPreviouslySeenEvent() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("03-freeze-started.json"));
        Transitions t = d.detect(doc("malformed/event-missing-id.json"));
        assertEquals(List.of(), t.records());
        assertEquals(List.of(FREEZE_ID), t.nextState().stream().map(ScheduledEvent::eventId).toList(),
                "the event is kept until a readable document shows it gone");
        d.commit(t);
        assertEquals(List.of("Completed"), statuses(step(d, doc("04-empty-after.json"))));
    }

    @Test
    void incompleteDocumentStillReportsNewEventsItCouldRead() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("03-freeze-started.json"));
        String partial = "{\"DocumentIncarnation\":8,\"Events\":[{\"EventType\":\"Reboot\"},{\"EventId\":\"n1\","
                + "\"EventStatus\":\"Scheduled\",\"EventType\":\"Reboot\",\"Resources\":[\"myvm\"],\"NotBefore\":\"\"}]}";
        List<TransitionRecord> records = step(d, json(partial));
        assertEquals(List.of("n1"), records.stream().map(TransitionRecord::eventId).toList());
    }

    // ---- scope ----

    @Test
    void scopeThisVmDropsEventsNotNamingThisVm() throws Exception {
        TransitionDetector d = detector(Scope.THIS_VM);
        List<TransitionRecord> records = step(d, doc("redeploy-two-events.json"));
        assertEquals(List.of("Redeploy"), records.stream().map(TransitionRecord::eventType).toList());
        assertEquals(Boolean.TRUE, records.get(0).affectsThisVm());
    }

    @Test
    void scopeThisVmReportsNothingWhenOtherVmsEventVanishes() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(Scope.THIS_VM);
        assertEquals(1, step(d, doc("redeploy-two-events.json")).size());
        // othervm's Freeze goes away: tracked, but not this VM's business
        String onlyRedeploy = "{\"DocumentIncarnation\":10,\"Events\":[{\"EventId\":"
                + "\"1b9e6a4f-0c55-4f8e-8c38-8a3c6a3e2d11\",\"EventType\":\"Redeploy\",\"ResourceType\":"
                + "\"VirtualMachine\",\"Resources\":[\"myvm\"],\"EventStatus\":\"Scheduled\",\"NotBefore\":"
                + "\"Tue, 17 Nov 2026 09:30:00 GMT\"}]}";
        Transitions t = d.detect(json(onlyRedeploy));
        assertEquals(List.of(), t.records());
        assertTrue(t.stateChanged(), "the vanished event is forgotten all the same");
        d.commit(t);
        assertEquals(List.of("Canceled"), statuses(step(d, empty(11))));
    }

    @Test
    void scopeAllKeepsEveryEventAndSaysWhichConcernThisVm() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        List<TransitionRecord> records = step(d, doc("redeploy-two-events.json"));
        assertEquals(List.of("Redeploy", "Freeze"), records.stream().map(TransitionRecord::eventType).toList());
        assertEquals(List.of(true, false), records.stream().map(TransitionRecord::affectsThisVm).toList());
    }

    @Test
    void unknownVmNameKeepsEveryEventWithAffectsThisVmUnknown() throws Exception {
        vm.set(VmIdentity.UNKNOWN);
        TransitionDetector d = detector(Scope.THIS_VM);
        List<TransitionRecord> records = step(d, doc("redeploy-two-events.json"));
        assertEquals(2, records.size());
        records.forEach(r -> assertNull(r.affectsThisVm(), r.eventId()));
        records.forEach(r -> assertNull(r.vm().name()));
    }

    @Test
    void learningVmNameLateDoesNotLookLikeEventsDisappearing() throws Exception {
        vm.set(VmIdentity.UNKNOWN);
        TransitionDetector d = detector(Scope.THIS_VM);
        assertEquals(2, step(d, doc("redeploy-two-events.json")).size());
        vm.set(MYVM);
        assertEquals(List.of(), step(d, doc("redeploy-two-events.json")));
    }

    // ---- record fields ----

    @Test
    void recordCarriesNoticeFromClockAndDocumentFields() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(Scope.THIS_VM);
        TransitionRecord r = step(d, doc("reboot-user.json")).get(0);
        assertEquals(REBOOT_ID, r.eventId());
        assertEquals("Reboot", r.eventType());
        assertEquals("VirtualMachine", r.resourceType());
        assertEquals(List.of("myvm"), r.resources());
        assertEquals("Scheduled", r.eventStatus());
        assertEquals("Tue, 17 Nov 2026 09:10:00 GMT", r.notBefore());
        assertEquals("Virtual machine is going to be restarted as requested by authorized user.", r.description());
        assertEquals("User", r.eventSource());
        assertEquals(-1, r.durationInSeconds());
        assertEquals(REBOOT_NOT_BEFORE, r.notBeforeUtc());
        assertEquals(12, r.documentIncarnation());
        assertEquals("2026-11-17T09:00:00Z", r.observedAt());
        assertEquals(600L, r.noticeSeconds());
        assertEquals(Boolean.TRUE, r.affectsThisVm());
        assertEquals(MYVM, r.vm());
    }

    @Test
    void noticeIsZeroOnceNotBeforeHasPassed() throws Exception {
        clock.set("2026-11-17T09:20:00Z");
        TransitionRecord r = step(detector(Scope.ALL), doc("reboot-user.json")).get(0);
        assertEquals(0L, r.noticeSeconds());
    }

    @Test
    void noticeIsUnknownWithoutStartTime() throws Exception {
        TransitionRecord r = step(detector(Scope.ALL), doc("03-freeze-started.json")).get(0);
        assertNull(r.noticeSeconds());
        assertNull(r.notBeforeUtc());
    }

    @Test
    void completedRecordKeepsTheEventsFieldsAndTakesTheNewIncarnation() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("reboot-user.json"));
        clock.advance(Duration.ofMinutes(30));
        TransitionRecord r = step(d, empty(20)).get(0);
        assertEquals("Completed", r.eventStatus());
        assertEquals(REBOOT_ID, r.eventId());
        assertEquals("Tue, 17 Nov 2026 09:10:00 GMT", r.notBefore());
        assertEquals(20, r.documentIncarnation());
        assertEquals("2026-11-17T09:30:00Z", r.observedAt());
        assertEquals(0L, r.noticeSeconds());
    }

    // ---- metrics ----

    @Test
    void metricsMapUnknownTypeAndStatusToOther() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("malformed/unknown-type-and-status.json"));
        assertEquals(1.0, metrics.count("agent.transitions", "type", "other", "status", "other"));
        step(d, empty(5));
        assertEquals(1.0, metrics.count("agent.transitions", "type", "other", "status", "Canceled"));
        assertNull(metrics.registry().find("agent.transitions").tag("type", "Meltdown").counter());
        assertNull(metrics.registry().find("agent.transitions").tag("status", "Pending").counter());
    }

    @Test
    void metricsLabelsStayWithinAFixedSet() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        for (String f : List.of("02-freeze-scheduled.json", "03-freeze-started.json", "reboot-user.json",
                "malformed/unknown-type-and-status.json", "malformed/injection-attempt.json",
                "malformed/event-missing-id.json", "preempt-spot.json", "terminate-vmss.json")) {
            step(d, doc(f));
        }
        step(d, empty(99));
        Set<String> types = Set.of("Freeze", "Reboot", "Redeploy", "Preempt", "Terminate", "other", "unknown");
        Set<String> statuses = Set.of("Scheduled", "Started", "Completed", "Canceled", "other", "unknown");
        double total = 0;
        for (Meter m : metrics.registry().find("agent.transitions").meters()) {
            assertTrue(types.contains(m.getId().getTag("type")), m.getId().toString());
            assertTrue(statuses.contains(m.getId().getTag("status")), m.getId().toString());
            total += ((Counter) m).count();
        }
        assertTrue(total > 0);
    }

    @Test
    void endOfTreatsStartedAsCompletedWhateverTheTime() {
        ScheduledEvent started = new ScheduledEvent("x", "Freeze", null, List.of(), "started", "", null, null, null,
                null);
        assertEquals(EventStatus.COMPLETED, TransitionDetector.endOf(started, clock.instant()));
    }

    // ---- an event that comes back (issue 11, item 6) ----

    private static List<String> described(List<TransitionRecord> records) {
        return records.stream().map(r -> r.eventStatus() + "#" + r.occurrence()).toList();
    }

    @Test
    void anEventThatComesBackAfterCanceledIsReportedAgainAsItsSecondOccurrence() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(Scope.ALL);
        List<TransitionRecord> all = new ArrayList<>();
        all.addAll(step(d, doc("reboot-user.json")));
        all.addAll(step(d, empty(13)));
        all.addAll(step(d, doc("reboot-user.json")));
        all.addAll(step(d, json(Fixtures.read("reboot-user.json").replace("\"Scheduled\"", "\"Started\""))));
        clock.set("2026-11-17T09:20:00Z");
        all.addAll(step(d, empty(15)));

        assertEquals(List.of("Scheduled#1", "Canceled#1", "Scheduled#2", "Started#2", "Completed#2"), described(all));
        assertEquals(2.0, metrics.count("agent.transitions", "type", "Reboot", "status", "Scheduled"));
    }

    @Test
    void anEventThatComesBackAfterCompletedIsItsNextOccurrenceEachTime() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        List<TransitionRecord> all = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            all.addAll(step(d, doc("03-freeze-started.json")));
            all.addAll(step(d, doc("04-empty-after.json")));
        }
        assertEquals(List.of("Started#1", "Completed#1", "Started#2", "Completed#2", "Started#3", "Completed#3"),
                described(all));
    }

    @Test
    void theOccurrenceOfAReturnedEventSurvivesRestarts() throws Exception {
        step(detector(Scope.ALL), doc("02-freeze-scheduled.json"));
        step(detector(Scope.ALL), doc("04-empty-after.json"));
        assertEquals(List.of("Scheduled#2"), described(step(detector(Scope.ALL), doc("02-freeze-scheduled.json"))));
        assertEquals(List.of("Started#2"), described(step(detector(Scope.ALL), doc("03-freeze-started.json"))));
        assertEquals(List.of("Completed#2"), described(step(detector(Scope.ALL), doc("04-empty-after.json"))));
    }

    @Test
    void aCrashBeforeTheReturnIsCommittedRepeatsTheSameRecordWithTheSameOccurrence() throws Exception {
        TransitionDetector d = detector(Scope.ALL);
        step(d, doc("02-freeze-scheduled.json"));
        step(d, doc("04-empty-after.json"));
        assertEquals(List.of("Scheduled#2"), described(d.detect(doc("02-freeze-scheduled.json")).records()));
        // crash: the record may be in the queues, the state was not saved; the sinks' keys drop the repeat
        assertEquals(List.of("Scheduled#2"),
                described(detector(Scope.ALL).detect(doc("02-freeze-scheduled.json")).records()));
    }

    @Test
    void anEventSeenBeforeAnUpgradeIsItsFirstOccurrence() throws Exception {
        // last-document.json as earlier releases wrote it: events only
        new EventStateStore(stateDir).save(2, doc("02-freeze-scheduled.json").events());
        TransitionDetector d = detector(Scope.ALL);
        assertEquals(List.of("Started#1"), described(step(d, doc("03-freeze-started.json"))));
        assertEquals(List.of("Completed#1"), described(step(d, doc("04-empty-after.json"))));
        assertEquals(List.of("Scheduled#2"), described(step(d, doc("02-freeze-scheduled.json"))));
    }

    @Test
    void aReturnedEventDoesNotCarryAnApprovalOfItsEarlierOccurrence() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        Instant approvedAt = Instant.parse("2026-11-17T09:00:01Z");
        TransitionDetector d = detector(1, id -> approvedAt);
        assertTrue(step(d, doc("reboot-user.json")).get(0).approved());
        clock.set("2026-11-17T09:01:00Z");
        step(d, empty(13));
        clock.set("2026-11-17T09:02:00Z");
        TransitionRecord back = step(d, doc("reboot-user.json")).get(0);
        assertEquals(2, back.occurrence());
        assertFalse(back.approved(), "approved before this occurrence began");
        assertNull(back.approvedAt());
    }

    // ---- a transient empty document (issue 11, item 6) ----

    @Test
    void aScheduledEventMissingFromFewerDocumentsThanTheSettingIsNotCanceled() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(3, id -> null);
        step(d, doc("reboot-user.json"));
        assertEquals(List.of(), step(d, empty(13)));
        assertEquals(List.of(), step(d, empty(13)));
        assertEquals(List.of(), step(d, doc("reboot-user.json")), "it was there all along");
        assertEquals(List.of(), step(d, empty(14)));
        assertEquals(List.of(), step(d, empty(14)));
        assertEquals(List.of("Canceled#1"), described(step(d, empty(14))), "missing from 3 documents in a row");
        assertEquals(List.of(), step(d, empty(14)));
        assertEquals(1.0, metrics.count("agent.transitions", "type", "Reboot", "status", "Scheduled"));
    }

    @Test
    void theSameEmptyDocumentRepeatedIsLookedAtWhileAnEventIsMissing() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(3, id -> null);
        String emptyText = "{\"DocumentIncarnation\":13,\"Events\":[]}";
        d.commit(d.detect(doc("reboot-user.json")), Fixtures.read("reboot-user.json"));
        List<TransitionRecord> all = new ArrayList<>();
        for (int poll = 0; poll < 5; poll++) {
            if (d.isNew(emptyText)) {
                Transitions t = d.detect(json(emptyText));
                d.commit(t, emptyText);
                all.addAll(t.records());
            }
        }
        assertEquals(List.of("Canceled#1"), described(all));
        assertFalse(d.isNew(emptyText), "once the event is called Canceled the document holds nothing new");
    }

    @Test
    void aStartedEventThatVanishesIsCompletedAtTheFirstDocumentWithoutIt() throws Exception {
        TransitionDetector d = detector(3, id -> null);
        step(d, doc("03-freeze-started.json"));
        assertEquals(List.of("Completed#1"), described(step(d, doc("04-empty-after.json"))));
    }

    @Test
    void aMissingScheduledEventWhoseNotBeforePassesIsCompletedAtOnce() throws Exception {
        clock.set("2026-11-17T09:09:59Z");
        TransitionDetector d = detector(3, id -> null);
        step(d, doc("reboot-user.json"));
        assertEquals(List.of(), step(d, empty(13)));
        clock.set(REBOOT_NOT_BEFORE);
        assertEquals(List.of("Completed#1"), described(step(d, empty(13))));
    }

    @Test
    void aRestartDuringTheWaitStartsTheCountAgainAndLosesNothing() throws Exception {
        clock.set("2026-11-17T09:00:00Z");
        TransitionDetector d = detector(2, id -> null);
        step(d, doc("reboot-user.json"));
        assertEquals(List.of(), step(d, empty(13)));
        TransitionDetector afterRestart = detector(2, id -> null);
        assertEquals(List.of(), step(afterRestart, empty(13)));
        assertEquals(List.of("Canceled#1"), described(step(afterRestart, empty(13))));
    }

    @Test
    void endedEventsAreRememberedUpToABoundTheOldestForgottenFirst() throws Exception {
        int max = 3;
        TransitionDetector d = new TransitionDetector(new EventStateStore(stateDir), Scope.ALL, vm::get, metrics, clock,
                id -> null, 1, max);
        int events = max + 2;
        for (int n = 0; n < events; n++) {
            Transitions t = d.detect(json("{\"DocumentIncarnation\":" + (2 * n + 1) + ",\"Events\":[{\"EventId\":\"e" + n
                    + "\",\"EventType\":\"Freeze\",\"EventStatus\":\"Started\",\"NotBefore\":\"\"}]}"));
            d.commit(t);
            d.commit(d.detect(empty(2L * n + 2)));
        }
        Map<String, Occurrence> kept = new EventStateStore(stateDir).loadSaved().occurrences();
        assertEquals(List.of("e2", "e3", "e4"), List.copyOf(kept.keySet()), "the oldest are forgotten");
        assertEquals(List.of("Started#2"), described(step(d, json("{\"DocumentIncarnation\":99,\"Events\":[{\"EventId\":"
                + "\"e4\",\"EventType\":\"Freeze\",\"EventStatus\":\"Started\",\"NotBefore\":\"\"}]}"))),
                "one remembered comes back as its next occurrence");
    }
}
