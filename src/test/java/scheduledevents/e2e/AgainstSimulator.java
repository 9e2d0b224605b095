package scheduledevents.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.simulator.ImdsSimulator;

/** An end-to-end test's ground: a fresh IMDS simulator on loopback and a folder for the agent's state and output. */
abstract class AgainstSimulator {
    @TempDir
    Path dir;
    ImdsSimulator imds;

    @BeforeEach
    void startImds() throws Exception {
        imds = new ImdsSimulator().start();
    }

    @AfterEach
    void stopImds() {
        imds.close();
    }
}
