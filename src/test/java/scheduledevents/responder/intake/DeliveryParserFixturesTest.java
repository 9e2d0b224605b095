package scheduledevents.responder.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;

/** Every delivery of fixtures/eventgrid (README there) read into exactly the reports it carries. */
class DeliveryParserFixturesTest {
    static final Instant RECEIVED = Instant.parse("2026-12-01T12:00:00Z");
    static final String SUB = "00000000-1111-2222-3333-444444444444";
    static final String MYVM_ID = "/subscriptions/" + SUB + "/resourceGroups/rg-prod/providers/Microsoft.Compute/"
            + "virtualMachines/myvm";
    private static final String FREEZE_TEXT =
            "Virtual machine is being paused because of a memory-preserving Live Migration operation.";
    private static final String REBOOT_TEXT =
            "Virtual machine is going to be restarted as requested by authorized user.";

    private final DeliveryParser parser = new DeliveryParser();

    static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Fixtures.EVENTGRID.resolve(name));
    }

    private Delivery parse(String name, String contentType) throws Exception {
        Delivery delivery = parser.parse(fixture(name), contentType, RECEIVED);
        assertEquals(List.of(), delivery.ignored(), name + ": nothing ignored");
        assertNull(delivery.validationCode());
        return delivery;
    }

    @Test
    void subscriptionValidationGivesItsValidationCode() throws Exception {
        Delivery delivery = parser.parse(fixture("subscription-validation.json"), "application/json", RECEIVED);
        assertEquals("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", delivery.validationCode());
        assertTrue(delivery.isValidation());
        assertEquals(List.of(), delivery.reports());
        assertEquals(List.of(), delivery.ignored());
    }

    @Test
    void eventGridScheduledEventWithRawImdsDataIsTheSeedScriptsShapeReportedByTheSubjectsVm() throws Exception {
        Delivery delivery = parse("notification-eventgrid-schema.json", "application/json");
        VmRef myvm = new VmRef("myvm", MYVM_ID, "rg-prod", SUB);
        assertEquals(List.of(new FleetReport(ReportSource.SEED_SCRIPT, "4b7e7d1c-5a3f-4c0e-9f1a-6f3d2b8e9c10",
                "f020ba2e-3bc0-4c40-a10b-86575a9eabd5", "Reboot", "Scheduled", Instant.parse("2026-11-25T16:16:02Z"),
                -1, REBOOT_TEXT, "User", "VirtualMachine", List.of(byName("myvm")), myvm, 1,
                Instant.parse("2026-11-25T16:01:02Z"))), delivery.reports());
    }

    @Test
    void cloudEventsBatchIsReadWithItsContentTypeAndByShapeWithout() throws Exception {
        VmRef myvm = new VmRef("myvm", MYVM_ID, "rg-prod", SUB);
        List<FleetReport> expected = List.of(new FleetReport(ReportSource.SEED_SCRIPT,
                "8e1d6c2a-0b7f-4e3a-9c5d-1a2b3c4d5e6f", "C7061BAC-AFDC-4513-B24B-AA5F13A16123", "Freeze", "Started",
                null, 9, "Host server is undergoing maintenance.", "Platform", "VirtualMachine", List.of(byName("myvm")),
                myvm,
                1, Instant.parse("2026-11-25T16:01:02Z")));
        assertEquals(expected, parse("notification-cloudevents-batch.json",
                "application/cloudevents-batch+json; charset=utf-8").reports());
        assertEquals(expected, parse("notification-cloudevents-batch.json", null).reports());
        assertEquals(expected, parse("notification-cloudevents-batch.json", "application/json").reports());
    }

    @Test
    void theEventsShapeDecidesWhenTheContentTypeSaysOtherwise() throws Exception {
        Delivery delivery = parser.parse(fixture("seed-script-delivery.json"), "application/cloudevents-batch+json",
                RECEIVED);
        assertEquals(parse("seed-script-delivery.json", null).reports(), delivery.reports());
        assertEquals(List.of(), delivery.ignored());
    }

    @Test
    void cloudEventsSingleEventIsOneReport() throws Exception {
        JsonNode batch = new ObjectMapper().readTree(fixture("notification-cloudevents-batch.json"));
        byte[] single = batch.get(0).toString().getBytes();
        Delivery delivery = parser.parse(single, "application/cloudevents+json; charset=utf-8", RECEIVED);
        assertEquals(parse("notification-cloudevents-batch.json", null).reports(), delivery.reports());
        assertEquals(List.of(), delivery.ignored());
    }

    @Test
    void seedScriptDeliveryIsReportedByTheLastSegmentOfItsSubject() throws Exception {
        Delivery delivery = parse("seed-script-delivery.json", "application/json");
        VmRef demovm = new VmRef("demovm", null, null, null);
        // eventTime "+0000" (no colon) as the script's date command writes it
        assertEquals(List.of(new FleetReport(ReportSource.SEED_SCRIPT, "23817", "602d9444-d2cd-49c7-8624-8643e7171297",
                "Reboot", "Scheduled", Instant.parse("2026-12-01T09:45:00Z"), null, null, null, "VirtualMachine",
                List.of(demovm), demovm, 1, Instant.parse("2026-12-01T09:30:02Z"))), delivery.reports());
    }

    @Test
    void platformVmEventKeepsTheVmsResourceIdAsReceived() throws Exception {
        Delivery delivery = parse("platform/vm-reboot-completed.json", null);
        VmRef myvm = new VmRef("myvm", "/subscriptions/" + SUB
                + "/resourcegroups/rg-prod/providers/microsoft.compute/virtualmachines/myvm", "rg-prod", SUB);
        assertEquals(List.of(new FleetReport(ReportSource.PLATFORM, "c41e9d07-55aa-4b2e-9f63-0d8e7a1b2c3d",
                "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d", "Reboot", "Completed", null, -1, REBOOT_TEXT, "User",
                "VirtualMachine", List.of(myvm), null, 1, Instant.parse("2026-12-01T10:20:13.2675752Z"),
                myvm.resourceId())),
                delivery.reports());
    }

    @Test
    void platformScaleSetEventRebuildsEachVmsResourceIdAndKeepsTheScaleSetsId() throws Exception {
        Delivery delivery = parse("platform/vmss-freeze-scheduled.json", "application/json");
        String rg = "/subscriptions/" + SUB + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/";
        String scaleSet = "/subscriptions/" + SUB
                + "/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss";
        assertEquals(List.of(new FleetReport(ReportSource.PLATFORM, "7b0c1a52-93de-4f4e-a8f0-2f1f6c0e9a11",
                "5E0F3C2A-1B7D-4C55-9D1E-8A6B2F40C3D7", "Freeze", "Scheduled", Instant.parse("2026-12-01T10:15:00Z"),
                5, FREEZE_TEXT, "Platform", "VirtualMachine",
                List.of(new VmRef("web-vmss_3", rg + "web-vmss_3", "rg-web", SUB, scaleSet),
                        new VmRef("web-vmss_7", rg + "web-vmss_7", "rg-web", SUB, scaleSet)),
                null, 1, Instant.parse("2026-12-01T10:00:01.1234567Z"), scaleSet)),
                delivery.reports());
    }

    @Test
    void platformCloudEventIsRead() throws Exception {
        Delivery delivery = parse("platform/cloudevents-vm-preempt.json", "application/cloudevents-batch+json");
        VmRef spot = new VmRef("spot-worker-01", "/subscriptions/" + SUB
                + "/resourcegroups/rg-batch/providers/microsoft.compute/virtualmachines/spot-worker-01", "rg-batch", SUB);
        assertEquals(List.of(new FleetReport(ReportSource.PLATFORM, "0f6c2d9e-8b1a-4c3d-9e2f-7a6b5c4d3e2f",
                "3C2B1A09-8F7E-4D6C-5B4A-392817161514", "Preempt", "Scheduled", Instant.parse("2026-12-01T11:00:30Z"),
                -1, "", "Platform", "VirtualMachine", List.of(spot), null, 1,
                Instant.parse("2026-12-01T11:00:00.5Z"), spot.resourceId())), delivery.reports());
    }

    @Test
    void platformNotificationsOfOneEventAreToldApartByTheResourceTheyWerePublishedOn() throws Exception {
        String one = new String(fixture("platform/vm-reboot-completed.json"), StandardCharsets.UTF_8);
        String other = one.replace("myvm", "othervm").replace("c41e9d07", "d52fae18");
        String noId = one.replace("\"id\":\"/subscriptions/", "\"id\":\"elsewhere/subscriptions/");
        String neither = noId.replace("\"subject\":\"/subscriptions/", "\"subject\":\"nowhere/");
        String rg = "/subscriptions/" + SUB + "/resourcegroups/rg-prod/providers/microsoft.compute/virtualmachines/";

        assertEquals(rg + "myvm", parser.parse(one.getBytes(StandardCharsets.UTF_8), null, RECEIVED)
                .reports().get(0).publishedOn(), "resourceInfo.id up to the VM, without the maintenance resource");
        assertEquals(rg + "othervm", parser.parse(other.getBytes(StandardCharsets.UTF_8), null, RECEIVED)
                .reports().get(0).publishedOn());
        assertEquals(rg + "myvm", parser.parse(noId.getBytes(StandardCharsets.UTF_8), null, RECEIVED)
                .reports().get(0).publishedOn(), "else the subject");
        assertNull(parser.parse(neither.getBytes(StandardCharsets.UTF_8), null, RECEIVED)
                .reports().get(0).publishedOn());
    }

    @Test
    void agentRecordsInEventGridSchemaAreAgentReportsOfTheirVm() throws Exception {
        assertAgentReports(parse("agent-records.json", "application/json"), fixture("agent-records.json"));
    }

    @Test
    void agentRecordsInCloudEventsAreAgentReportsOfTheirVm() throws Exception {
        assertAgentReports(parse("agent-records-cloudevents.json", "application/cloudevents-batch+json"),
                fixture("agent-records-cloudevents.json"));
    }

    @Test
    void agentsReportingOneEventShareOneListOfItsVms() throws Exception {
        DeliveryParser parser = new DeliveryParser();
        byte[] body = Files.readAllBytes(Fixtures.EVENTGRID.resolve("agent-records.json"));
        List<FleetReport> reports = parser.parse(body, "application/json", Instant.now()).reports();
        List<FleetReport> again = parser.parse(body, "application/json", Instant.now()).reports();

        // 1,000 agents send the same 1,000 names: one list for all, so the store hashes and merges it once
        assertSame(reports.get(0).vms(), reports.get(1).vms(), "two agents, one list");
        assertSame(reports.get(0).vms(), again.get(3).vms(), "and the next delivery's too");
        assertNotEquals(reports.get(0).reporter(), reports.get(1).reporter(), "each its own reporter");
    }

    private static VmRef byName(String name) {
        return new VmRef(name, null, null, null);
    }

    private static void assertAgentReports(Delivery delivery, byte[] body) throws IOException {
        JsonNode events = new ObjectMapper().readTree(body);
        String[] statuses = {"Scheduled", "Started"};
        List<FleetReport> expected = new java.util.ArrayList<>();
        for (int t = 0; t < 2; t++) {
            for (int vm = 0; vm < 2; vm++) {
                String name = AgentRecords.NAMES.get(vm);
                VmRef reporter = new VmRef(name, AgentRecords.resourceId(name), "rg-prod", SUB);
                // Resources by name: the reporter's own details travel as the reporter, so every agent of the
                // event sends an equal list
                List<VmRef> vms = List.of(byName("WestNO_0"), byName("WestNO_1"));
                expected.add(new FleetReport(ReportSource.AGENT, events.get(t * 2 + vm).get("id").asText(),
                        AgentRecords.EVENT_ID, "Freeze", statuses[t], t == 0 ? AgentRecords.NOT_BEFORE : null, 5,
                        FREEZE_TEXT, "Platform", "VirtualMachine", vms, reporter, 1, AgentRecords.OBSERVED[vm][t]));
            }
        }
        assertEquals(expected, delivery.reports());
    }

    @Test
    void eventIdsOfAllSourcesCompareCaseInsensitively() throws Exception {
        FleetReport platform = parse("platform/vmss-freeze-scheduled.json", null).reports().get(0);
        byte[] lower = new String(fixture("platform/vmss-freeze-scheduled.json"))
                .replace("5E0F3C2A-1B7D-4C55-9D1E-8A6B2F40C3D7", " 5e0f3c2a-1b7d-4c55-9d1e-8a6b2f40c3d7").getBytes();
        FleetReport again = parser.parse(lower, null, RECEIVED).reports().get(0);
        assertFalse(platform.eventId().equals(again.eventId()), "kept as sent");
        assertEquals(platform.eventKey(), again.eventKey());
        assertEquals("5e0f3c2a-1b7d-4c55-9d1e-8a6b2f40c3d7", platform.eventKey());
    }
}
