package scheduledevents.simulator;

import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import scheduledevents.SettableClock;

/** A simulator on loopback with a clock the test moves, and a client for it. */
abstract class SimulatorOnLoopback {
    static final Instant T0 = Instant.parse("2026-11-17T08:55:00Z");

    final SettableClock clock = new SettableClock(T0);
    ImdsSimulator simulator;
    ImdsTestClient client;

    /** The VM name the simulator plays. */
    String vmName() {
        return "myvm";
    }

    @BeforeEach
    void startSimulator() throws IOException {
        simulator = new ImdsSimulator("127.0.0.1", 0, vmName(), clock).start();
        client = new ImdsTestClient(simulator);
    }

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }
}
