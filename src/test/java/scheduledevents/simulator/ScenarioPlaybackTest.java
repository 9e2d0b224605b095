package scheduledevents.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario lifecycles over real HTTP, with time moved by a test clock instead of sleeping. */
class ScenarioPlaybackTest extends SimulatorOnLoopback {

    private static final String FREEZE_ID = "C7061BAC-AFDC-4513-B24B-AA5F13A16123";


    private JsonNode at(double scenarioSeconds) {
        clock.set(T0.plusMillis(Math.round(scenarioSeconds * 1000)));
        return client.document();
    }

    private static int incarnation(JsonNode doc) {
        return doc.path("DocumentIncarnation").asInt();
    }

    private static JsonNode only(JsonNode doc) {
        assertEquals(1, doc.path("Events").size(), doc.toString());
        return doc.path("Events").get(0);
    }

    @Test
    void freezeGoesScheduledThenStartedThenGoneWithIncarnationIncrements() {
        simulator.play(Scenario.builtIn("freeze"), 1);

        JsonNode before = at(1);
        JsonNode scheduled = at(2);
        JsonNode stillScheduled = at(901.9);
        JsonNode started = at(902);
        JsonNode stillStarted = at(911.9);
        JsonNode gone = at(912);

        assertEquals(0, before.path("Events").size());
        assertEquals(1, incarnation(before));
        assertEquals("Scheduled", only(scheduled).path("EventStatus").asText());
        assertEquals(FREEZE_ID, only(scheduled).path("EventId").asText());
        assertEquals("[\"myvm\"]", only(scheduled).path("Resources").toString());
        assertEquals("Tue, 17 Nov 2026 09:10:02 GMT", only(scheduled).path("NotBefore").asText());
        assertEquals(2, incarnation(scheduled));
        assertEquals(scheduled, stillScheduled);
        assertEquals("Started", only(started).path("EventStatus").asText());
        assertEquals("", only(started).path("NotBefore").asText());
        assertEquals(3, incarnation(started));
        assertEquals(started, stillStarted);
        assertEquals(0, gone.path("Events").size());
        assertEquals(4, incarnation(gone));
    }

    @Test
    void approvalStartsAScheduledScenarioEventNowAndItEndsRunSecondsLater() {
        simulator.play(Scenario.builtIn("freeze"), 1);
        at(2);
        clock.set(T0.plusSeconds(100));

        assertEquals(200, client.approve(FREEZE_ID.toLowerCase()).statusCode());
        JsonNode started = at(100);
        JsonNode stillStarted = at(109.9);
        JsonNode gone = at(110);
        JsonNode staysGone = at(902);

        assertEquals("Started", only(started).path("EventStatus").asText());
        assertEquals(3, incarnation(started));
        assertEquals(started, stillStarted);
        assertEquals(0, gone.path("Events").size());
        assertEquals(0, staysGone.path("Events").size());
        assertEquals(List.of(new Approval(FREEZE_ID.toLowerCase(), T0.plusSeconds(100), true)),
                simulator.approvals());
    }

    @Test
    void approvalOfAStartedEventReleasesNothing() {
        simulator.play(Scenario.builtIn("host-failure"), 1);
        JsonNode started = at(5);

        client.approve(only(started).path("EventId").asText());

        assertFalse(simulator.approvals().get(0).released());
        assertEquals(started, at(5));
    }

    @Test
    void hostFailureAppearsDirectlyAsStarted() {
        simulator.play(Scenario.builtIn("host-failure"), 1);

        JsonNode before = at(1.9);
        JsonNode appeared = at(2);
        JsonNode gone = at(122);

        assertEquals(0, before.path("Events").size());
        assertEquals("Started", only(appeared).path("EventStatus").asText());
        assertEquals("", only(appeared).path("NotBefore").asText());
        assertEquals(2, incarnation(appeared));
        assertEquals(0, gone.path("Events").size());
        assertEquals(3, incarnation(gone));
    }

    @Test
    void canceledEventDisappearsBeforeItsNotBefore() {
        simulator.play(Scenario.builtIn("canceled"), 1);

        JsonNode scheduled = at(301.9);
        JsonNode canceled = at(302);
        JsonNode pastNotBefore = at(902);

        assertEquals("Scheduled", only(scheduled).path("EventStatus").asText());
        assertEquals(0, canceled.path("Events").size());
        assertEquals(3, incarnation(canceled));
        assertEquals(0, pastNotBefore.path("Events").size());
        assertEquals(3, incarnation(pastNotBefore));
    }

    @Test
    void notBeforeIsRfc1123WallClockTimeScaledBySpeed() {
        simulator.play(Scenario.builtIn("freeze"), 60);
        // Freeze appears at scenario second 2 with 900 s notice: real NotBefore = T0 + 902 / 60 s = T0 + 15.033 s.
        Instant realNotBefore = T0.plusMillis(15_033);

        JsonNode scheduled = at(1);
        String shown = only(scheduled).path("NotBefore").asText();
        Instant parsed = ZonedDateTime.parse(shown, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        clock.set(realNotBefore.minusMillis(1));
        String stillScheduled = only(client.document()).path("EventStatus").asText();
        clock.set(realNotBefore.plusMillis(1));
        String started = only(client.document()).path("EventStatus").asText();

        assertEquals(T0.plusSeconds(15), parsed, "shown time is truncated to the second, never later than real");
        assertEquals("Scheduled", stillScheduled);
        assertEquals("Started", started);
    }

    @Test
    void iso8601NotBeforeCanBeChosenPerEvent() {
        simulator.play(Scenario.parse("""
                {"name": "iso", "events": [{"EventId": "e1", "EventType": "Freeze", "appearAt": 0,
                  "noticeSeconds": 600, "runSeconds": 10, "notBeforeFormat": "iso8601"}]}""", "test"), 1);

        JsonNode event = only(at(0));

        assertEquals("2026-11-17T09:05:00Z", event.path("NotBefore").asText());
        assertEquals(T0.plusSeconds(600), Instant.parse(event.path("NotBefore").asText()));
    }

    @Test
    void vmPlaceholderBecomesTheSimulatorsVmAndOtherNamesStay() {
        simulator.play(Scenario.builtIn("demo"));
        // At 60x, scenario second 600 is 10 real seconds in: the freeze (myvm + othervm) and othervm's reboot.
        JsonNode doc = at(10);

        assertEquals(2, doc.path("Events").size());
        assertEquals("[\"myvm\",\"othervm\"]", doc.path("Events").get(0).path("Resources").toString());
        assertEquals("[\"othervm\"]", doc.path("Events").get(1).path("Resources").toString());
    }

    @Test
    void loopingReplaysTheScenarioWithFreshEventIdsAndForgetsApprovals() {
        Scenario scenario = Scenario.parse("""
                {"name": "short", "events": [{"EventId": "AB-1", "EventType": "Reboot", "appearAt": 0,
                  "noticeSeconds": 10, "runSeconds": 5}]}""", "test");
        simulator.play(scenario, 1, true);

        String firstId = only(at(0)).path("EventId").asText();
        client.approve(firstId);
        JsonNode approved = at(1);
        JsonNode secondCycle = at(15);
        JsonNode thirdCycle = at(30);

        assertEquals("AB-1", firstId);
        assertEquals("Started", only(approved).path("EventStatus").asText());
        assertEquals("Scheduled", only(secondCycle).path("EventStatus").asText());
        String secondId = only(secondCycle).path("EventId").asText();
        assertNotEquals(firstId, secondId);
        assertEquals(secondId.toUpperCase(), secondId, "keeps the original's letter case");
        assertEquals("Tue, 17 Nov 2026 08:55:25 GMT", only(secondCycle).path("NotBefore").asText());
        assertNotEquals(secondId, only(thirdCycle).path("EventId").asText());
        assertTrue(incarnation(thirdCycle) > incarnation(secondCycle));
    }

    @Test
    void withoutLoopTheScenarioEndsEmpty() {
        simulator.play(Scenario.builtIn("spot-preempt"), 1);

        assertEquals(1, at(2).path("Events").size());
        assertEquals(0, at(10_000).path("Events").size());
    }

    @Test
    void setEventsReplacesAPlayingScenario() {
        simulator.play(Scenario.builtIn("freeze"), 1);
        at(2);

        simulator.setEvents(List.of());

        assertEquals(0, at(902).path("Events").size());
        assertEquals(3, incarnation(at(902)));
    }
}
