package scheduledevents.responder.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import scheduledevents.Fixtures;
import scheduledevents.sink.eventgrid.EventSchema;

/** The agent-records fixtures are what the agent publishes today, so the intake is tested against the real shape. */
class AgentRecordsFixtureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eventGridFixtureIsWhatTheAgentPublishes() throws IOException {
        assertEquals(AgentRecords.events(EventSchema.EVENT_GRID),
                JSON.readTree(Fixtures.EVENTGRID.resolve("agent-records.json").toFile()));
    }

    @Test
    void cloudEventsFixtureIsWhatTheAgentPublishes() throws IOException {
        assertEquals(AgentRecords.events(EventSchema.CLOUD_EVENTS),
                JSON.readTree(Fixtures.EVENTGRID.resolve("agent-records-cloudevents.json").toFile()));
    }
}
