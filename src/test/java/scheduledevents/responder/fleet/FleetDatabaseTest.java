package scheduledevents.responder.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static scheduledevents.responder.fleet.Reports.agent;
import static scheduledevents.responder.fleet.Reports.names;
import static scheduledevents.responder.fleet.Reports.vmName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetDatabaseTest {
    @TempDir
    Path dataDir;

    @Test
    void theEmbeddedDefaultIsAnH2FileInTheDataFolderThatSurvivesARestart() {
        Path folder = dataDir.resolve("responder");
        try (FleetDatabase db = FleetDatabase.open(" ", null, null, folder)) {
            assertTrue(db.safeUrl().startsWith("jdbc:h2:file:"), db.safeUrl());
            new FleetStore(db.dataSource(), Clock.systemUTC(), NotifyRules.none())
                    .apply(List.of(agent("kept", "Scheduled", names(1), vmName(1), Instant.now())));
        }
        assertTrue(Files.exists(folder.resolve("fleet.mv.db")));
        try (FleetDatabase again = FleetDatabase.open(null, null, null, folder)) {
            assertEquals("Scheduled", new FleetStore(again.dataSource(), Clock.systemUTC(), NotifyRules.none())
                    .event("KEPT").orElseThrow().eventStatus());
        }
    }

    @Test
    void aClosedDatabaseGivesAClearFleetStoreException() {
        FleetDatabase db = FleetDatabase.open("", null, null, dataDir);
        FleetStore store = new FleetStore(db.dataSource(), Clock.systemUTC(), NotifyRules.none());
        db.close();
        FleetStoreException e = assertThrows(FleetStoreException.class, () -> store.pendingNotifications());
        assertTrue(e.getMessage().startsWith("fleet database: counting pending notifications failed: "),
                e.getMessage());
    }

    @Test
    void safeUrlsCarryNoCredentials() {
        assertEquals("jdbc:postgresql://db.example:5432/fleet",
                FleetDatabase.safeUrl("jdbc:postgresql://db.example:5432/fleet?user=u&password=p4ss&ssl=true"));
        assertEquals("jdbc:postgresql://db.example/fleet",
                FleetDatabase.safeUrl("jdbc:postgresql://admin:p4ss@db.example/fleet"));
        assertEquals("jdbc:h2:file:/data/fleet", FleetDatabase.safeUrl("jdbc:h2:file:/data/fleet;PASSWORD=p4ss"));
        assertFalse(FleetDatabase.describe(new java.sql.SQLException("bad password=p4ss for p4ss", "28P01"), "p4ss")
                .contains("p4ss"));
    }

    @Test
    void anUnreachableServerFailsToOpenWithOneSafeLine() {
        FleetStoreException e = assertThrows(FleetStoreException.class, () -> FleetDatabase.open(
                "jdbc:postgresql://127.0.0.1:1/fleet?password=url-s3cret", "fleet", "pw-s3cret", dataDir));
        assertTrue(e.getMessage().startsWith("cannot open the fleet database jdbc:postgresql://127.0.0.1:1/fleet: "),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
