package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import scheduledevents.SettableClock;

class BuiltInScenariosTest {

    private static final Instant T0 = Instant.parse("2026-11-17T08:55:00Z");
    /** The fields of the real documents in the shared fixtures (api-version 2020-07-01). */
    private static final Set<String> EVENT_FIELDS = Set.of("EventId", "EventStatus", "EventType", "ResourceType",
            "Resources", "NotBefore", "Description", "EventSource", "DurationInSeconds");
    private static final Set<String> EVENT_TYPES = Set.of("Freeze", "Reboot", "Redeploy", "Preempt", "Terminate");

    static Stream<String> builtIns() {
        return Scenario.BUILT_IN.stream();
    }

    @Test
    void theResourceDirectoryHoldsExactlyTheListedScenarios() throws URISyntaxException, IOException {
        Path dir = Path.of(Scenario.class.getResource("/scenarios").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> names = files.map(p -> p.getFileName().toString().replaceFirst("\\.json$", ""))
                    .collect(Collectors.toSet());
            assertEquals(Set.copyOf(Scenario.BUILT_IN), names);
        }
    }

    @ParameterizedTest
    @MethodSource("builtIns")
    void everyDocumentOfTheScenarioParsesWithTheFixtureFields(String name) throws IOException {
        Scenario scenario = Scenario.builtIn(name);
        assertEquals(name, scenario.name());
        assertFalse(scenario.description().isBlank());
        assertFalse(scenario.events().isEmpty());
        double speed = scenario.defaultSpeed();
        SettableClock clock = new SettableClock(T0);

        try (ImdsSimulator simulator = new ImdsSimulator("127.0.0.1", 0, "myvm", clock).start()) {
            ImdsTestClient client = new ImdsTestClient(simulator);
            simulator.play(scenario, speed);
            JsonNode previous = null;
            Map<String, List<String>> statusesById = new HashMap<>();
            for (double second : samples(scenario)) {
                Instant now = T0.plusNanos(Math.round(second * 1e9 / speed));
                clock.set(now);
                JsonNode doc = client.document();
                assertDocumentShape(doc, now);
                if (previous != null) {
                    boolean changed = !doc.path("Events").equals(previous.path("Events"));
                    int step = doc.path("DocumentIncarnation").asInt() - previous.path("DocumentIncarnation").asInt();
                    assertEquals(changed ? 1 : 0, step, "incarnation at scenario second " + second);
                }
                for (JsonNode e : doc.path("Events")) {
                    List<String> seen = statusesById.computeIfAbsent(e.path("EventId").asText(), k -> new ArrayList<>());
                    String status = e.path("EventStatus").asText();
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                        seen.add(status);
                    }
                }
                previous = doc;
            }
            assertEquals(0, previous.path("Events").size(), "everything is gone at the end");
            statusesById.forEach((id, statuses) -> assertTrue(
                    statuses.equals(List.of("Scheduled", "Started")) || statuses.equals(List.of("Started"))
                            || statuses.equals(List.of("Scheduled")),
                    id + " went " + statuses));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "freeze,           Freeze,    Platform, 900, 5",
            "reboot-user,      Reboot,    User,     900, -1",
            "host-maintenance, Freeze,    Platform, 900, 9",
            "redeploy,         Redeploy,  Platform, 600, -1",
            "user-redeploy,    Redeploy,  User,     600, -1",
            "canceled,         Reboot,    Platform, 900, -1",
            "spot-preempt,     Preempt,   Platform, 30,  -1",
            "vmss-terminate,   Terminate, User,     600, -1",
            "host-failure,     Redeploy,  Platform, 0,   -1"})
    void builtInsFollowTheDocumentedNoticeAndImpact(String name, String type, String source, double notice,
                                                    int duration) {
        ScenarioEvent event = Scenario.builtIn(name).events().get(0);

        assertEquals(type, event.eventType());
        assertEquals(source, event.eventSource());
        assertEquals(notice, event.noticeSeconds());
        assertEquals(duration, event.durationInSeconds());
        assertEquals(List.of(ScenarioEvent.VM_PLACEHOLDER), event.resources());
        assertEquals(name.equals("canceled"), event.cancelAt() != null);
    }

    @Test
    void demoShowsAMixForThisAndAnotherVmWithinFortySeconds() {
        Scenario demo = Scenario.builtIn("demo");
        double realSeconds = demo.lengthSeconds() / demo.defaultSpeed();

        assertTrue(realSeconds <= 40, "demo lasts " + realSeconds + " s");
        assertTrue(demo.events().stream().allMatch(e -> e.noticeSeconds() > 0 && e.cancelAt() == null),
                "each demo event goes Scheduled -> Started -> gone");
        assertTrue(demo.events().stream().anyMatch(e -> e.resources().contains(ScenarioEvent.VM_PLACEHOLDER)));
        assertTrue(demo.events().stream().anyMatch(e -> !e.resources().contains(ScenarioEvent.VM_PLACEHOLDER)));
        assertTrue(demo.events().stream().anyMatch(e -> "User".equals(e.eventSource())));
        assertTrue(demo.events().stream().map(ScenarioEvent::eventType).distinct().count() >= 3);
    }

    /** Just before, at and just after every moment an event changes, then past the end. */
    private static Set<Double> samples(Scenario scenario) {
        TreeSet<Double> seconds = new TreeSet<>();
        for (ScenarioEvent e : scenario.events()) {
            List<Double> moments = new ArrayList<>(List.of(e.appearAt(), e.appearAt() + e.noticeSeconds(),
                    e.endSeconds()));
            if (e.cancelAt() != null) {
                moments.add(e.cancelAt());
            }
            for (double m : moments) {
                seconds.add(Math.max(0, m - 0.5));
                seconds.add(m);
                seconds.add(m + 0.5);
            }
        }
        seconds.add(scenario.lengthSeconds() + 1);
        return seconds;
    }

    private static void assertDocumentShape(JsonNode doc, Instant now) {
        assertTrue(doc.path("DocumentIncarnation").isInt(), doc.toString());
        assertTrue(doc.path("Events").isArray(), doc.toString());
        for (JsonNode e : doc.path("Events")) {
            Set<String> fields = new TreeSet<>();
            e.fieldNames().forEachRemaining(fields::add);
            assertEquals(new TreeSet<>(EVENT_FIELDS), fields);
            assertFalse(e.path("EventId").asText().isBlank());
            assertTrue(EVENT_TYPES.contains(e.path("EventType").asText()), e.toString());
            assertEquals("VirtualMachine", e.path("ResourceType").asText());
            assertTrue(Set.of("Platform", "User").contains(e.path("EventSource").asText()), e.toString());
            assertTrue(e.path("Description").isTextual());
            assertTrue(e.path("DurationInSeconds").isInt());
            assertTrue(e.path("Resources").isArray() && e.path("Resources").size() > 0);
            for (JsonNode resource : e.path("Resources")) {
                // this VM, another VM, or the fleet scenario's VMs (the responder's demo: vm-01..vm-04, spot-09)
                assertTrue(Set.of("myvm", "othervm").contains(resource.asText())
                        || resource.asText().matches("(vm|spot)-\\d\\d"), e.toString());
            }
            String notBefore = e.path("NotBefore").asText();
            switch (e.path("EventStatus").asText()) {
                case "Scheduled" -> {
                    Instant at = ZonedDateTime.parse(notBefore, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    assertFalse(at.isBefore(now.minusSeconds(1)), "NotBefore " + notBefore + " is in the past");
                }
                case "Started" -> assertEquals("", notBefore);
                default -> throw new AssertionError("unexpected status in " + e);
            }
        }
    }
}
