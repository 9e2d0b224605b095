package scheduledevents.responder.fleet;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** FleetStore on the embedded default: H2 in PostgreSQL mode, a file database in a fresh data folder per test. */
class FleetStoreH2Test extends FleetStoreContract {
    @TempDir
    Path dataDir;

    @Override
    protected FleetDatabase freshDatabase() {
        return FleetDatabase.open("", null, null, dataDir);
    }
}
