package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioTest {

    private static final String MINIMAL = """
            {"name": "mine", "events": [{"EventId": "e1", "EventType": "Reboot",
              "appearAt": 5, "noticeSeconds": 60, "runSeconds": 30}]}""";

    @Test
    void aFileLoadsByPathAndResolvePrefersBuiltInNames(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, MINIMAL);

        Scenario fromFile = Scenario.resolve(file.toString());
        Scenario builtIn = Scenario.resolve("freeze");

        assertEquals("mine", fromFile.name());
        assertEquals("freeze", builtIn.name());
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        Scenario scenario = Scenario.parse(MINIMAL, "test");
        ScenarioEvent event = scenario.events().get(0);

        assertEquals(1.0, scenario.defaultSpeed());
        assertEquals("VirtualMachine", event.resourceType());
        assertEquals(List.of("{vm}"), event.resources());
        assertEquals(NotBeforeFormat.RFC1123, event.notBeforeFormat());
        assertEquals(null, event.description(), "left out, as older api-versions do");
        assertTrue(scenario.faults().isEmpty());
    }

    @Test
    void lengthCoversEventsCancellationsAndFaults() {
        Scenario scenario = Scenario.parse("""
                {"name": "x", "events": [
                  {"EventId": "a", "EventType": "Freeze", "appearAt": 10, "noticeSeconds": 100, "runSeconds": 5},
                  {"EventId": "b", "EventType": "Reboot", "appearAt": 0, "noticeSeconds": 900, "runSeconds": 60,
                   "cancelAt": 50}],
                 "faults": [{"at": 200, "status": 500}]}""", "test");

        assertEquals(200, scenario.lengthSeconds());
        assertEquals(115, scenario.events().get(0).endSeconds());
        assertEquals(50, scenario.events().get(1).endSeconds());
    }

    @Test
    void unknownNamesListTheBuiltIns() {
        IllegalArgumentException builtIn = assertThrows(IllegalArgumentException.class,
                () -> Scenario.builtIn("../etc/passwd"));
        IllegalArgumentException resolved = assertThrows(IllegalArgumentException.class,
                () -> Scenario.resolve("no-such-scenario"));

        assertTrue(builtIn.getMessage().contains("freeze, reboot-user"), builtIn.getMessage());
        assertTrue(resolved.getMessage().contains("demo"), resolved.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json | scenario test:",
            "{\"events\": []} | needs a 'name'",
            "{\"name\": \"x\", \"speed\": 0} | 'speed' must be a positive number",
            "{\"name\": \"x\", \"events\": [{\"EventType\": \"Freeze\"}]} | needs an EventId",
            "{\"name\": \"x\", \"events\": [{\"EventId\": \"e\", \"EventType\": \"Freeze\", \"apearAt\": 1}]} | 'appearAt' must be",
            "{\"name\": \"x\", \"events\": [{\"EventId\": \"e\", \"EventType\": \"Freeze\", \"appearAt\": 0, \"noticeSeconds\": 60, \"runSeconds\": 1, \"cancelat\": 5}]} | cancelat",
            "{\"name\": \"x\", \"events\": [{\"EventId\": \"e\", \"EventType\": \"Freeze\", \"appearAt\": 0, \"noticeSeconds\": -1, \"runSeconds\": 1}]} | 'noticeSeconds' must be",
            "{\"name\": \"x\", \"events\": [{\"EventId\": \"e\", \"EventType\": \"Freeze\", \"appearAt\": 0, \"noticeSeconds\": 60, \"runSeconds\": 1, \"cancelAt\": 60}]} | cancelAt must fall inside",
            "{\"name\": \"x\", \"events\": [{\"EventId\": \"e\", \"EventType\": \"Freeze\", \"appearAt\": 0, \"noticeSeconds\": 60, \"runSeconds\": 1, \"notBeforeFormat\": \"unix\"}]} | unix",
            "{\"name\": \"x\", \"faults\": [{\"at\": 1, \"status\": 500, \"body\": \"x\"}]} | exactly one of",
            "{\"name\": \"x\", \"faults\": [{\"at\": 1, \"status\": 700}]} | 200..599",
            "{\"name\": \"x\", \"faults\": [{\"status\": 500}]} | 'at' must be"})
    void invalidScenariosFailWithOneClearLine(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse(json, "test"));

        assertTrue(e.getMessage().startsWith("scenario test: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
