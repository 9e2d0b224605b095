package scheduledevents.imds;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import scheduledevents.Fixtures;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;

class ScheduledEventsParserTest {
    private final ScheduledEventsParser parser = new ScheduledEventsParser();

    enum Outcome { COMPLETE, INCOMPLETE, REJECTED }

    /**
     * What each fixture must give. A fixture added to the shared directory without an entry here fails
     * {@link #everyFixtureHasTheOutcomeStatedForIt}, so nobody forgets to decide what it should do.
     */
    private static final Map<String, Outcome> EXPECTED = Map.ofEntries(
            Map.entry("01-empty.json", Outcome.COMPLETE),
            Map.entry("02-freeze-scheduled.json", Outcome.COMPLETE),
            Map.entry("03-freeze-started.json", Outcome.COMPLETE),
            Map.entry("04-empty-after.json", Outcome.COMPLETE),
            Map.entry("README.md", Outcome.REJECTED),
            Map.entry("ack-request.json", Outcome.REJECTED),       // a POST body, not a document
            Map.entry("api-2019-01-01-no-optional-fields.json", Outcome.COMPLETE),
            Map.entry("instance-compute.json", Outcome.REJECTED),  // another endpoint's answer
            Map.entry("notbefore-iso8601.json", Outcome.COMPLETE),
            Map.entry("preempt-spot.json", Outcome.COMPLETE),
            Map.entry("reboot-platform.json", Outcome.COMPLETE),
            Map.entry("reboot-user.json", Outcome.COMPLETE),
            Map.entry("redeploy-two-events.json", Outcome.COMPLETE),
            Map.entry("terminate-vmss.json", Outcome.COMPLETE),
            Map.entry("malformed/bad-notbefore-and-resources.json", Outcome.COMPLETE),
            Map.entry("malformed/event-missing-id.json", Outcome.INCOMPLETE),
            Map.entry("malformed/events-not-array.json", Outcome.REJECTED),
            Map.entry("malformed/injection-attempt.json", Outcome.COMPLETE),
            Map.entry("malformed/not-json.txt", Outcome.REJECTED),
            Map.entry("malformed/truncated.json", Outcome.REJECTED),
            Map.entry("malformed/unknown-type-and-status.json", Outcome.COMPLETE));

    static List<String> fixtures() {
        return Fixtures.allFiles();
    }

    // ---- every fixture, automatically ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureHasTheOutcomeStatedForIt(String fixture) {
        Outcome expected = EXPECTED.get(fixture);
        if (expected == null) {
            fail("new fixture " + fixture + ": add its expected outcome to ScheduledEventsParserTest.EXPECTED");
        }
        Outcome actual;
        try {
            actual = parser.parse(Fixtures.read(fixture)).complete() ? Outcome.COMPLETE : Outcome.INCOMPLETE;
        } catch (MalformedDocumentException e) {
            actual = Outcome.REJECTED;
        }
        assertEquals(expected, actual, fixture);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixtureEitherParsesOrIsRejectedWithOneLineReason(String fixture) {
        String body = Fixtures.read(fixture);
        try {
            ScheduledEventsDocument doc = parser.parse(body);
            assertTrue(doc.documentIncarnation() >= 0, "incarnation");
            doc.problems().forEach(p -> assertOneLine(p, fixture + " problem"));
            doc.events().forEach(e -> {
                assertNotNull(e.eventId(), "EventId");
                assertFalse(e.eventId().isBlank(), "EventId");
                assertNotNull(e.eventStatus(), "EventStatus");
                assertNotNull(e.notBefore(), "NotBefore text is never null, \"\" when absent");
                assertNotNull(e.resources(), "Resources is never null");
            });
        } catch (MalformedDocumentException e) {
            assertOneLine(e.getMessage(), fixture + " rejection");
        }
        // any other exception fails the test: a document must never crash the parser
    }

    @Test
    void expectationTableNamesOnlyFixturesThatExist() {
        List<String> present = Fixtures.allFiles();
        List<String> stale = EXPECTED.keySet().stream().filter(f -> !present.contains(f)).sorted().toList();
        assertEquals(List.of(), stale, "entries for fixtures that no longer exist");
    }

    // ---- good documents ----

    @Test
    void rejectsBytesAfterTheDocumentAsASplicedBody() {
        assertThrows(MalformedDocumentException.class,
                () -> parser.parse("{\"DocumentIncarnation\":1,\"Events\":[]}{\"DocumentIncarnation\":2}"));
    }

    @Test
    void readsEmptyDocumentAsNoEvents() throws Exception {
        for (String f : List.of("01-empty.json", "04-empty-after.json")) {
            ScheduledEventsDocument doc = parser.parse(Fixtures.read(f));
            assertEquals(List.of(), doc.events(), f);
            assertTrue(doc.complete(), f);
            assertEquals(List.of(), doc.problems(), f);
        }
        assertEquals(1, parser.parse(Fixtures.read("01-empty.json")).documentIncarnation());
        assertEquals(4, parser.parse(Fixtures.read("04-empty-after.json")).documentIncarnation());
    }

    @Test
    void readsEveryFieldOfScheduledFreeze() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("02-freeze-scheduled.json"));
        assertEquals(2, doc.documentIncarnation());
        assertTrue(doc.complete());
        assertEquals(List.of(), doc.problems());
        assertEquals(1, doc.events().size());
        ScheduledEvent e = doc.events().get(0);
        assertAll(
                () -> assertEquals("C7061BAC-AFDC-4513-B24B-AA5F13A16123", e.eventId(), "EventId kept as sent"),
                () -> assertEquals("c7061bac-afdc-4513-b24b-aa5f13a16123", e.key()),
                () -> assertEquals("Scheduled", e.eventStatus()),
                () -> assertEquals("Freeze", e.eventType()),
                () -> assertEquals("VirtualMachine", e.resourceType()),
                () -> assertEquals(List.of("WestNO_0", "WestNO_1"), e.resources()),
                () -> assertEquals("Mon, 11 Apr 2026 22:26:58 GMT", e.notBefore()),
                () -> assertEquals("Virtual machine is being paused because of a memory-preserving Live Migration"
                        + " operation.", e.description()),
                () -> assertEquals("Platform", e.eventSource()),
                () -> assertEquals(5, e.durationInSeconds()));
    }

    @Test
    void acceptsWrongWeekdayInRfc1123NotBefore() throws Exception {
        // "Mon, 11 Apr 2026" is really a Saturday; a strict RFC 1123 parser would drop the notice
        ScheduledEvent e = parser.parse(Fixtures.read("02-freeze-scheduled.json")).events().get(0);
        assertEquals(Instant.parse("2026-04-11T22:26:58Z"), e.notBeforeUtc());
    }

    @Test
    void readsStartedFreezeWithEmptyNotBeforeAsNoStartTime() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("03-freeze-started.json"));
        assertEquals(3, doc.documentIncarnation());
        assertEquals(List.of(), doc.problems(), "empty NotBefore is normal for a started event, not a problem");
        ScheduledEvent e = doc.events().get(0);
        assertEquals("C7061BAC-AFDC-4513-B24B-AA5F13A16123", e.eventId());
        assertEquals("Started", e.eventStatus());
        assertEquals("", e.notBefore());
        assertNull(e.notBeforeUtc());
    }

    @Test
    void readsOldApiVersionWithoutOptionalFieldsAsNulls() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("api-2019-01-01-no-optional-fields.json"));
        assertEquals(2, doc.documentIncarnation());
        assertEquals(List.of(), doc.problems(), "missing optional fields are not problems");
        ScheduledEvent e = doc.events().get(0);
        assertEquals("602d9444-d2cd-49c7-8624-8643e7171297", e.eventId());
        assertNull(e.description());
        assertNull(e.eventSource());
        assertNull(e.durationInSeconds());
        assertEquals(List.of("myvm"), e.resources());
        assertEquals(Instant.parse("2016-09-19T18:29:47Z"), e.notBeforeUtc());
    }

    @Test
    void readsIso8601NotBeforeFromMicrosoftsMockServer() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("notbefore-iso8601.json"));
        assertEquals(3, doc.documentIncarnation());
        assertEquals(List.of(), doc.problems());
        ScheduledEvent e = doc.events().get(0);
        assertEquals("3f0c9a4e-8d2b-4b6e-a7f1-2c5d9e8b1a07", e.eventId());
        assertEquals(Instant.parse("2026-11-25T17:05:00Z"), e.notBeforeUtc());
        assertEquals(9, e.durationInSeconds());
        assertEquals(List.of("vmss_vm1"), e.resources());
    }

    @Test
    void readsSpotPreemptionWithUnknownDuration() throws Exception {
        ScheduledEvent e = single("preempt-spot.json", 3);
        assertEquals("A123BC45-1234-5678-AB90-ABCDEF123456", e.eventId());
        assertEquals("Preempt", e.eventType());
        assertEquals("Scheduled", e.eventStatus());
        assertEquals(Instant.parse("2026-11-17T09:10:30Z"), e.notBeforeUtc());
        assertEquals(-1, e.durationInSeconds());
        assertEquals("", e.description(), "empty Description stays empty, not null");
    }

    @Test
    void readsPlatformReboot() throws Exception {
        ScheduledEvent e = single("reboot-platform.json", 7);
        assertEquals("602d9444-d2cd-49c7-8624-8643e7171297", e.eventId());
        assertEquals("Reboot", e.eventType());
        assertEquals(List.of("FrontEnd_IN_0", "BackEnd_IN_0"), e.resources());
        assertEquals(Instant.parse("2016-09-19T18:29:47Z"), e.notBeforeUtc());
        assertEquals("Platform", e.eventSource());
    }

    @Test
    void readsUserReboot() throws Exception {
        ScheduledEvent e = single("reboot-user.json", 12);
        assertEquals("f020ba2e-3bc0-4c40-a10b-86575a9eabd5", e.eventId());
        assertEquals("User", e.eventSource());
        assertEquals(Instant.parse("2026-11-17T09:10:00Z"), e.notBeforeUtc());
    }

    @Test
    void readsScaleSetTerminate() throws Exception {
        ScheduledEvent e = single("terminate-vmss.json", 5);
        assertEquals("5D53BD2A-9A40-4D7E-9E7C-9B2A0BB84A1E", e.eventId());
        assertEquals("Terminate", e.eventType());
        assertEquals(List.of("myscaleset_3"), e.resources());
        assertEquals(Instant.parse("2026-11-17T09:20:00Z"), e.notBeforeUtc());
    }

    @Test
    void readsBothEventsOfDocumentInOrder() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("redeploy-two-events.json"));
        assertEquals(9, doc.documentIncarnation());
        assertEquals(List.of(), doc.problems());
        assertEquals(List.of("1b9e6a4f-0c55-4f8e-8c38-8a3c6a3e2d11", "9c1a2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"),
                doc.events().stream().map(ScheduledEvent::eventId).toList());
        ScheduledEvent redeploy = doc.events().get(0);
        ScheduledEvent freeze = doc.events().get(1);
        assertEquals("Redeploy", redeploy.eventType());
        assertEquals("Scheduled", redeploy.eventStatus());
        assertEquals(List.of("myvm"), redeploy.resources());
        assertEquals(Instant.parse("2026-11-17T09:30:00Z"), redeploy.notBeforeUtc());
        assertEquals("Freeze", freeze.eventType());
        assertEquals("Started", freeze.eventStatus());
        assertEquals(List.of("othervm"), freeze.resources());
        assertNull(freeze.notBeforeUtc());
    }

    // ---- malformed documents ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"malformed/not-json.txt", "malformed/truncated.json", "malformed/events-not-array.json"})
    void rejectsBrokenEnvelopeWithOneLineReason(String fixture) {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse(Fixtures.read(fixture)));
        assertOneLine(e.getMessage(), fixture);
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void namesHtmlErrorPageAsSuchWhenRejectingIt() {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse(Fixtures.read("malformed/not-json.txt")));
        assertTrue(e.getMessage().contains("HTML"), e.getMessage());
    }

    @Test
    void rejectsTruncatedBodyAsInvalidJson() {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse(Fixtures.read("malformed/truncated.json")));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    }

    @Test
    void rejectsNonNumericIncarnationOfEventsNotArrayFixture() {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse(Fixtures.read("malformed/events-not-array.json")));
        assertTrue(e.getMessage().contains("DocumentIncarnation"), e.getMessage());
    }

    @Test
    void marksDocumentWithEventMissingIdIncompleteAndReportsIt() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("malformed/event-missing-id.json"));
        assertEquals(4, doc.documentIncarnation());
        assertFalse(doc.complete(), "cannot prove earlier events are gone");
        assertEquals(List.of(), doc.events());
        assertEquals(1, doc.problems().size(), doc.problems().toString());
        assertTrue(doc.problems().get(0).contains("no EventId"), doc.problems().toString());
    }

    @Test
    void keepsEventWithUnknownTypeAndStatusAndReportsBoth() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("malformed/unknown-type-and-status.json"));
        assertTrue(doc.complete());
        ScheduledEvent e = doc.events().get(0);
        assertEquals("e2", e.eventId());
        assertEquals("Meltdown", e.eventType());
        assertEquals("Pending", e.eventStatus());
        assertEquals(2, doc.problems().size(), doc.problems().toString());
        assertTrue(doc.problems().stream().anyMatch(p -> p.contains("EventType") && p.contains("Meltdown")),
                doc.problems().toString());
        assertTrue(doc.problems().stream().anyMatch(p -> p.contains("EventStatus") && p.contains("Pending")),
                doc.problems().toString());
    }

    @Test
    void keepsEventWithUnreadableNotBeforeAndStringResources() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("malformed/bad-notbefore-and-resources.json"));
        assertTrue(doc.complete());
        ScheduledEvent e = doc.events().get(0);
        assertEquals("e1", e.eventId());
        assertNull(e.notBeforeUtc());
        assertEquals("next tuesday", e.notBefore(), "raw text is kept");
        assertEquals(List.of("myvm"), e.resources());
        assertEquals(2, doc.problems().size(), doc.problems().toString());
        assertTrue(doc.problems().stream().anyMatch(p -> p.contains("NotBefore")), doc.problems().toString());
        assertTrue(doc.problems().stream().anyMatch(p -> p.contains("Resources")), doc.problems().toString());
    }

    @Test
    void keepsCrLfAndHtmlOfInjectionAttemptVerbatimInModel() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("malformed/injection-attempt.json"));
        ScheduledEvent e = doc.events().get(0);
        assertEquals("e3\r\nBcc: attacker@example.com", e.eventId());
        assertEquals("<script>alert(1)</script>\r\nSubject: injected", e.description());
        assertEquals(List.of("myvm"), e.resources());
    }

    // ---- edge cases not in the fixtures ----

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "   ", "\n"})
    void rejectsEmptyBody(String body) {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class, () -> parser.parse(body));
        assertEquals("empty body", e.getMessage());
    }

    @Test
    void rejectsNullBody() {
        assertThrows(MalformedDocumentException.class, () -> parser.parse(null));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[]", "[{\"DocumentIncarnation\":1,\"Events\":[]}]", "\"text\"", "42", "null"})
    void rejectsJsonWhoseRootIsNotAnObject(String body) {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class, () -> parser.parse(body));
        assertOneLine(e.getMessage(), body);
    }

    @Test
    void acceptsDocumentIncarnationAsNumericString() throws Exception {
        assertEquals(17, parser.parse("{\"DocumentIncarnation\":\"17\",\"Events\":[]}").documentIncarnation());
        assertEquals(17, parser.parse("{\"DocumentIncarnation\":\" 17 \",\"Events\":[]}").documentIncarnation());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"x\"", "1.5", "true", "null", "{}", "99999999999999999999999"})
    void rejectsDocumentIncarnationThatIsNotAWholeNumber(String value) {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse("{\"DocumentIncarnation\":" + value + ",\"Events\":[]}"));
        assertTrue(e.getMessage().contains("DocumentIncarnation"), e.getMessage());
    }

    @Test
    void rejectsMissingDocumentIncarnation() {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse("{\"Events\":[]}"));
        assertEquals("DocumentIncarnation is missing", e.getMessage());
    }

    @Test
    void rejectsMissingEventsRatherThanReadingItAsNoEvents() {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse("{\"DocumentIncarnation\":3}"));
        assertEquals("Events is missing", e.getMessage());
    }

    @Test
    void rejectsEventsObjectWithValidIncarnation() {
        MalformedDocumentException e = assertThrows(MalformedDocumentException.class,
                () -> parser.parse("{\"DocumentIncarnation\":3,\"Events\":{}}"));
        assertEquals("Events is not an array", e.getMessage());
    }

    @Test
    void keepsEventIdCaseAsSentButKeysItLowerCase() throws Exception {
        String body = "{\"DocumentIncarnation\":1,\"Events\":[{\"EventId\":\"AbC-12\",\"EventStatus\":\"Scheduled\","
                + "\"EventType\":\"Reboot\",\"NotBefore\":\"\"}]}";
        ScheduledEvent e = parser.parse(body).events().get(0);
        assertEquals("AbC-12", e.eventId());
        assertEquals("abc-12", e.key());
    }

    @Test
    void dropsNonObjectEntryAndMarksDocumentIncomplete() throws Exception {
        String body = "{\"DocumentIncarnation\":1,\"Events\":[42,{\"EventId\":\"ok\",\"EventStatus\":\"Started\","
                + "\"EventType\":\"Freeze\"}]}";
        ScheduledEventsDocument doc = parser.parse(body);
        assertFalse(doc.complete());
        assertEquals(List.of("ok"), doc.events().stream().map(ScheduledEvent::eventId).toList());
        assertEquals(1, doc.problems().size());
    }

    @Test
    void dropsEventWithoutStatusAndMarksDocumentIncomplete() throws Exception {
        ScheduledEventsDocument doc = parser.parse(
                "{\"DocumentIncarnation\":1,\"Events\":[{\"EventId\":\"e9\",\"EventType\":\"Reboot\"}]}");
        assertFalse(doc.complete());
        assertEquals(List.of(), doc.events());
        assertTrue(doc.problems().get(0).contains("no EventStatus"), doc.problems().toString());
    }

    @Test
    void readsUnreadableDurationAsUnknownAndReportsIt() throws Exception {
        ScheduledEventsDocument doc = parser.parse("{\"DocumentIncarnation\":1,\"Events\":[{\"EventId\":\"e\","
                + "\"EventStatus\":\"Scheduled\",\"EventType\":\"Reboot\",\"DurationInSeconds\":\"soon\"}]}");
        assertNull(doc.events().get(0).durationInSeconds());
        assertEquals(1, doc.problems().size(), doc.problems().toString());
    }

    @Test
    void escapesCrLfOfHostileEventIdInProblemText() throws Exception {
        String body = "{\"DocumentIncarnation\":1,\"Events\":[{\"EventId\":\"x\\r\\nFAKE LOG LINE\","
                + "\"EventStatus\":\"Scheduled\",\"EventType\":\"Evil\\nType\"}]}";
        ScheduledEventsDocument doc = parser.parse(body);
        assertEquals("x\r\nFAKE LOG LINE", doc.events().get(0).eventId(), "model keeps the text");
        assertEquals(1, doc.problems().size());
        String problem = doc.problems().get(0);
        assertOneLine(problem, "problem");
        assertTrue(problem.contains("x\\r\\nFAKE LOG LINE"), problem);
    }

    @Test
    void problemsNameTheEventConcerned() throws Exception {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read("malformed/unknown-type-and-status.json"));
        assertEquals(doc.problems().size(),
                doc.problems().stream().filter(p -> p.contains("e2")).collect(Collectors.toList()).size());
    }

    private ScheduledEvent single(String fixture, long incarnation) throws MalformedDocumentException {
        ScheduledEventsDocument doc = parser.parse(Fixtures.read(fixture));
        assertEquals(incarnation, doc.documentIncarnation(), fixture);
        assertTrue(doc.complete(), fixture);
        assertEquals(List.of(), doc.problems(), fixture);
        assertEquals(1, doc.events().size(), fixture);
        assertEquals("VirtualMachine", doc.events().get(0).resourceType(), fixture);
        return doc.events().get(0);
    }

    static void assertOneLine(String text, String what) {
        assertNotNull(text, what);
        assertFalse(text.contains("\n") || text.contains("\r"), what + " is not one line: " + text);
    }
}
