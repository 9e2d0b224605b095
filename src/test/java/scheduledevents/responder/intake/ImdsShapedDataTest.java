package scheduledevents.responder.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.responder.intake.DeliveryParserFixturesTest.RECEIVED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;
import scheduledevents.imds.MalformedDocumentException;
import scheduledevents.imds.ScheduledEventsParser;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.ScheduledEventsDocument;

/**
 * Every IMDS event of fixtures/imds (real shapes and quirks, malformed/ included) as the seed script and the
 * platform topic carry it: the intake reads each the way the agent's own IMDS parser does, or ignores it with a
 * line when it has no EventId or an unknown status (the agent keeps those; a fleet event cannot).
 */
class ImdsShapedDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLATFORM_ID = "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/"
            + "virtualMachineScaleSets/set1/providers/microsoft.maintenance/scheduledevents/x";

    private final DeliveryParser parser = new DeliveryParser();

    @Test
    void everyImdsFixtureEventIsReadAsTheAgentReadsIt() throws Exception {
        int read = 0;
        int ignored = 0;
        for (String name : Fixtures.allFiles()) {
            ScheduledEventsDocument document;
            JsonNode events;
            try {
                document = new ScheduledEventsParser().parse(Fixtures.read(name));
                events = JSON.readTree(Fixtures.read(name)).path("Events");
            } catch (MalformedDocumentException | java.io.IOException notADocument) {
                continue;
            }
            if (!events.isArray()) {
                continue;
            }
            for (ReportSource source : List.of(ReportSource.SEED_SCRIPT, ReportSource.PLATFORM)) {
                Delivery delivery = parser.parse(delivery(events, source), null, RECEIVED);
                List<ScheduledEvent> usable = new ArrayList<>();
                for (ScheduledEvent e : document.events()) {
                    if (DeliveryParser.status(e.eventStatus()) != null) {
                        usable.add(e);
                    }
                }
                assertEquals(usable.size(), delivery.reports().size(), name + " " + source);
                assertEquals(events.size() - usable.size(), delivery.ignored().size(), name + " " + source);
                for (int i = 0; i < usable.size(); i++) {
                    ScheduledEvent expected = usable.get(i);
                    FleetReport report = delivery.reports().get(i);
                    String what = name + " " + source + " event " + i;
                    assertEquals(source, report.source(), what);
                    assertEquals(expected.eventId(), report.eventId(), what);
                    assertEquals(expected.eventType(), report.eventType(), what);
                    assertEquals(expected.eventStatus(), report.eventStatus(), what);
                    assertEquals(expected.notBeforeUtc(), report.notBefore(), what);
                    assertEquals(expected.description(), report.description(), what);
                    assertEquals(expected.eventSource(), report.eventSource(), what);
                    assertEquals(expected.resourceType(), report.resourceType(), what);
                    assertEquals(expected.durationInSeconds(), report.durationInSeconds(), what);
                    assertEquals(expected.resources(), report.vms().stream().map(VmRef::name).toList(), what);
                    if (source == ReportSource.PLATFORM) {
                        for (VmRef vm : report.vms()) {
                            assertEquals("/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/"
                                    + "virtualMachines/" + vm.name(), vm.resourceId(), what);
                        }
                    }
                    read++;
                }
                ignored += delivery.ignored().size();
            }
        }
        assertTrue(read >= 20, "read " + read);
        assertTrue(ignored >= 4, "ignored " + ignored + " (no EventId, status Pending)");
    }

    /** One delivery carrying each IMDS event as the seed script or the platform topic sends it. */
    private static byte[] delivery(JsonNode imdsEvents, ReportSource source) {
        ArrayNode body = JSON.createArrayNode();
        int i = 0;
        for (JsonNode imds : imdsEvents) {
            ObjectNode event = body.addObject();
            event.put("id", "d" + i++);
            event.put("eventTime", "2026-12-01T10:00:00Z");
            if (source == ReportSource.SEED_SCRIPT) {
                event.put("eventType", "ScheduledEvent");
                event.put("subject", "metadatademo/myvm");
                event.set("data", imds);
            } else {
                event.put("eventType", DeliveryParser.PLATFORM_TYPE);
                event.put("subject", PLATFORM_ID);
                ObjectNode info = event.putObject("data").putObject("resourceInfo");
                info.put("id", PLATFORM_ID);
                info.set("properties", imds);
            }
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
