package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import scheduledevents.testing.TestAgent;

/**
 * Issue 13: the responder lives in the same jar, but the agent's footprint must not change. The packaged agent runs
 * with {@code -Xlog:class+load} to a file, against the simulator, through a transition delivered and a scrape of
 * its health and metrics; not one class of the responder, Vert.x, H2, Flyway, HikariCP or PostgreSQL's driver may
 * have been loaded. And {@code --responder} stops with one line, exit 2, without its required secrets.
 */
class ResponderIsolationIT extends AgainstSimulator {
    static final List<String> RESPONDER_ONLY = List.of("scheduledevents.responder.", "io.vertx.", "org.h2.",
            "org.flywaydb.", "com.zaxxer.", "org.postgresql.");

    private Path classLog(String name) {
        return dir.resolve(name + "-classes.log");
    }

    private static List<String> responderClasses(Path log) throws IOException {
        // lines like "[0.123s][info][class,load] io.vertx.core.Vertx source: jar:file:..."
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .map(l -> l.replaceFirst("^(\\[[^]]*])+\\s*", ""))
                .filter(l -> RESPONDER_ONLY.stream().anyMatch(l::startsWith)).toList();
    }

    @Test
    void theAgentLoadsNothingOfTheResponder() throws Exception {
        E2E.setEvents(imds, E2E.freezeScheduled(imds.vmName()));
        Path log = classLog("agent");
        try (TestAgent agent = TestAgent.jar(dir).env(E2E.env(imds, dir))
                .jvmFlags("-Xlog:class+load=info:file=" + log).start()) {
            agent.awaitHealthy();
            agent.await("the Freeze's record delivered", () -> Files.readString(dir.resolve("records.jsonl"))
                    .contains(E2E.FREEZE_ID));
            assertTrue(agent.metrics().contains("agent_transitions_total"));
            // not even opened: the responder's libraries are off the agent's class path (lib-responder/)
            List<String> open = new java.util.ArrayList<>();
            try (var fds = Files.list(Path.of("/proc/" + agent.pid() + "/fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        open.add(Files.readSymbolicLink(fd).toString());
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            }
            assertTrue(open.stream().anyMatch(f -> f.endsWith(".jar")), "the agent's jars are open: " + open);
            List<String> responderJars;
            try (var jars = Files.list(Path.of("target", "lib-responder"))) {
                responderJars = jars.map(j -> j.getFileName().toString()).toList();
            }
            assertTrue(responderJars.stream().anyMatch(j -> j.startsWith("vertx-core")), responderJars.toString());
            assertEquals(List.of(), open.stream()
                    .filter(f -> responderJars.contains(Path.of(f).getFileName().toString())).toList());
            agent.stop();
        }
        assertTrue(Files.readString(log).contains("scheduledevents.app.AgentRunner"),
                "the class log is written (and the check below means something)");
        assertEquals(List.of(), responderClasses(log));
    }

    @Test
    void helpLoadsNothingOfTheResponderAndNamesIt() throws Exception {
        Path log = classLog("help");
        TestAgent help = TestAgent.jar(dir).jvmFlags("-Xlog:class+load=info:file=" + log).args("--help")
                .runToEnd(E2E.RUN);
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("--responder"), help.stdout());
        assertTrue(Files.readString(log).contains("scheduledevents.Agent "));
        assertEquals(List.of(), responderClasses(log));
    }

    @Test
    void theResponderWithoutItsDeliverySecretStopsWithOneLine() {
        TestAgent responder = TestAgent.jar(dir).env(Map.of("RESPONDER_API_TOKEN", "T0KEN-VALUE-77"))
                .args("--responder").runToEnd(E2E.RUN);
        assertEquals(2, responder.exitCode(), responder.output());
        assertEquals(List.of("scheduled-events-agent: Invalid setting responder.delivery-secret: must be set"
                        + " (RESPONDER_DELIVERY_SECRET or RESPONDER_DELIVERY_SECRET_FILE): every delivery must carry it"),
                responder.stderr().lines().toList());
        assertFalse(responder.output().contains("T0KEN-VALUE-77"));
    }

    @Test
    void aBadResponderSettingNeverShowsTheSecrets() {
        TestAgent responder = TestAgent.jar(dir).env(Map.of("RESPONDER_API_TOKEN", "T0KEN-VALUE-77",
                        "RESPONDER_DELIVERY_SECRET", "D3LIVERY-VALUE-77", "RESPONDER_PORT", "0x50"))
                .args("--responder").runToEnd(E2E.RUN);
        assertEquals(2, responder.exitCode(), responder.output());
        assertEquals(List.of("scheduled-events-agent: Invalid setting responder.port: must be a whole number, got '0x50'"),
                responder.stderr().lines().toList());
        assertFalse(responder.output().contains("VALUE-77"));
    }
}
