package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scheduledevents.simulator.Approval;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/**
 * Respond on the VM, against the simulator (whose approval POST moves an event to Started): hooks run once with the
 * record, across restarts; failing, hanging and non-executable hooks block approval and are reported; each policy
 * approves exactly what it should; an event for another VM is never hooked nor approved.
 */
class RespondIT extends AgainstSimulator {
    private static final String ID = "D0000000-0000-0000-0000-000000000001";
    private static final String RECORDING_HOOK = """
            #!/bin/sh
            # records each run: status, stdin and environment
            cat > "$HOOK_OUT/$(basename "$0")-$EVENT_STATUS.json"
            env | grep -E '^(EVENT_|VM_|AGENT_)' | sort > "$HOOK_OUT/$(basename "$0")-$EVENT_STATUS.env"
            echo "$(basename "$0") $EVENT_TYPE $EVENT_STATUS $EVENT_ID" >> "$HOOK_OUT/runs.log"
            echo "drained connections for $EVENT_ID"
            """;

    Path hooks;
    Path out;

    @BeforeEach
    void makeHookFolders() throws Exception {
        hooks = Files.createDirectories(dir.resolve("hooks"));
        out = Files.createDirectories(dir.resolve("hook-out"));
    }

    @Test
    void hooksRunOnceWithTheRecordThenTheEventIsApprovedAndRecordsSayApproved() throws Exception {
        hook("Freeze.sh", RECORDING_HOOK);
        hook("Freeze.completed.sh", RECORDING_HOOK);
        Map<String, String> env = env("after-hooks");
        env.put("AGENT_EVENTGRID_KEY", "must-not-reach-hooks");
        E2E.setEvents(imds, SimEvent.scheduled(ID, "Freeze", Instant.now().plusSeconds(900), "myvm"));
        Path records = dir.resolve("records.jsonl");
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("approval", Duration.ofSeconds(60), () -> approved().contains(ID));
            // The simulator moved the event to Started; the agent reports it, marked as approved
            agent.await("Started record", Duration.ofSeconds(30),
                    () -> E2E.transitions(records).contains(ID.toLowerCase() + "/Started"));
            JsonNode started = E2E.records(records).get(1);
            assertTrue(started.path("Approved").asBoolean(), started.toString());
            assertTrue(Instant.parse(started.path("ApprovedAt").asText()).isBefore(Instant.now()));
            assertTrue(agent.stderr().contains("hook Freeze.sh: drained connections for " + ID));
            agent.stop();
        }
        assertEquals(List.of("Freeze.sh Freeze Scheduled " + ID), runs(), "once, before the event");
        JsonNode stdin = new ObjectMapper().readTree(out.resolve("Freeze.sh-Scheduled.json").toFile());
        assertEquals(ID, stdin.path("EventId").asText());
        String hookEnv = Files.readString(out.resolve("Freeze.sh-Scheduled.env"));
        assertTrue(hookEnv.contains("EVENT_TYPE=Freeze\n") && hookEnv.contains("VM_NAME=myvm\n")
                && hookEnv.contains("EVENT_SOURCE=Platform\n") && hookEnv.contains("EVENT_RESOURCES=myvm\n"), hookEnv);
        int notice = Integer.parseInt(hookEnv.replaceAll("(?s).*EVENT_NOTICE_SECONDS=(\\d+).*", "$1"));
        assertTrue(notice > 800 && notice <= 900, hookEnv);
        assertTrue(!hookEnv.contains("AGENT_"), "the agent's settings (secrets) are not passed to hooks: " + hookEnv);

        // A restart does not run the hook again; the end of the event runs the .completed hook, once
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            E2E.awaitMorePolls(imds, 5);
            E2E.setEvents(imds);
            agent.await("the completed hook", Duration.ofSeconds(30), () -> runs().size() == 2);
            E2E.awaitMorePolls(imds, 5);
        }
        assertEquals(List.of("Freeze.sh Freeze Scheduled " + ID, "Freeze.completed.sh Freeze Completed " + ID),
                runs());
        assertEquals(1, imds.approvals().size());
    }

    @Test
    void aFailingAHangingOrANonExecutableHookBlocksApprovalAndIsReported() throws Exception {
        hook("Reboot.sh", "#!/bin/sh\necho 'backup failed: disk full'\nexit 3\n");
        hook("Redeploy.sh", "#!/bin/sh\nsleep 60\n");
        hook("Preempt.sh", "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(hooks.resolve("Preempt.sh"), PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = env("after-hooks");
        env.put("AGENT_HOOKS_TIMEOUT", "2000");
        Instant later = Instant.now().plusSeconds(900);
        E2E.setEvents(imds, SimEvent.scheduled("fail-1", "Reboot", later, "myvm"),
                SimEvent.scheduled("hang-1", "Redeploy", later, "myvm"),
                SimEvent.scheduled("noexec-1", "Preempt", later, "myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("every hook reported", Duration.ofSeconds(60), () -> agent.stderr().contains("exited 3")
                    && agent.stderr().contains("did not finish within 2000 ms")
                    && agent.stderr().contains("is not executable: chmod +x"));
            E2E.awaitMorePolls(imds, 5);
            assertTrue(agent.isAlive());
            assertEquals(List.of(), imds.approvals(), "no approval after a failed hook");
            assertTrue(agent.stderr().contains("hook Reboot.sh: backup failed: disk full"));
            assertTrue(agent.metrics().contains("agent_hooks_runs_total{hook=\"Redeploy.sh\",outcome=\"timeout\"} 1.0"));
        }
    }

    @Test
    void aHookThatFloodsItsOutputIsLoggedBoundedAndTheAgentKeepsWorking() throws Exception {
        // 300 MB without a newline, in the agent's production heap (-Xmx64m, exit on out-of-memory: TestAgent.JVM_FLAGS)
        hook("Preempt", "#!/bin/sh\necho \"$EVENT_ID\" >> \"$HOOK_OUT/runs.log\"\n"
                + "head -c 300000000 /dev/zero | tr '\\0' a\n");
        Map<String, String> env = env("after-hooks");
        E2E.setEvents(imds, SimEvent.scheduled(ID, "Preempt", Instant.now().plusSeconds(900), "myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("the hook's end, or the agent's", Duration.ofSeconds(90),
                    () -> !agent.isAlive() || approved().contains(ID)
                            && agent.stderr().contains("hook Preempt: 300000000 bytes of output in 1 lines"));
            assertTrue(agent.isAlive(), "the agent died:\n" + agent.stdout() + agent.stderr());
            assertTrue(agent.stderr().contains("Hook Preempt for event " + ID + " exited 0"), agent.stderr());
            assertTrue(agent.stderr().contains("hook Preempt: " + "a".repeat(200) + "..."), "its beginning is logged");
            assertTrue(agent.stderr().length() < 100_000, "the rest is not: " + agent.stderr().length() + " chars");
            agent.stop();
            assertTrue(!agent.stdout().contains("OutOfMemoryError"), "stdout carries records only");
        }
        // Marked done: a restart does not run it again
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.awaitHealthy();
            E2E.awaitMorePolls(imds, 10);
            assertTrue(agent.isAlive());
        }
        assertEquals(List.of(ID), runs(), "the hook ran once");
    }

    @Test
    void aHookThatDoesNotReadStdinIsStoppedAtItsDeadlineWithItsChildrenAndLaterHooksRun() throws Exception {
        // The record (a 100,000-character Description) is over the pipe's buffer; the hook never reads stdin
        hook("Reboot.sh", "#!/bin/sh\nsleep 60 &\necho $! > \"$HOOK_OUT/sleep.pid\"\nwait\n");
        hook("Freeze.sh", RECORDING_HOOK);
        Map<String, String> env = env("after-hooks");
        env.put("AGENT_HOOKS_TIMEOUT", "2000");
        Instant later = Instant.now().plusSeconds(900);
        SimEvent deaf = new SimEvent("deaf-1", "Scheduled", "Reboot", "VirtualMachine", List.of("myvm"),
                scheduledevents.simulator.NotBeforeFormat.RFC1123.format(later), "d".repeat(100_000), "Platform", -1);
        E2E.setEvents(imds, deaf);
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            Path pidFile = out.resolve("sleep.pid");
            agent.await("the deaf hook started", Duration.ofSeconds(60), () -> Files.exists(pidFile));
            // Queued behind it: an event whose hook would approve it
            E2E.setEvents(imds, deaf, SimEvent.scheduled(ID, "Freeze", later, "myvm"));
            agent.await("the next event's hook and approval", Duration.ofSeconds(40), () -> approved().contains(ID));
            assertTrue(agent.stderr().contains("Hook Reboot.sh for event deaf-1 did not finish within 2000 ms"),
                    agent.stderr());
            long sleepPid = Long.parseLong(Files.readString(pidFile).trim());
            agent.await("its child stopped too", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(sleepPid).map(p -> !p.isAlive()).orElse(true));
            assertEquals(List.of(ID), approved(), "no approval after a hook that timed out");
            assertEquals(List.of("Freeze.sh Freeze Scheduled " + ID), runs());
        }
    }

    @Test
    void aDescriptionOverTheEnvironmentsLimitStillRunsHooksWithTheWholeRecordOnStdin() throws Exception {
        hook("Freeze.sh", RECORDING_HOOK);
        String description = "Host update \u00e9\u20ac ".repeat(10_000); // 170,000 bytes: over 128 KiB
        E2E.setEvents(imds, new SimEvent(ID, "Scheduled", "Freeze", "VirtualMachine", List.of("myvm"),
                scheduledevents.simulator.NotBeforeFormat.RFC1123.format(Instant.now().plusSeconds(900)),
                description, "Platform", -1));
        try (TestAgent agent = TestAgent.jar(dir).env(env("after-hooks")).start()) {
            agent.await("approval", Duration.ofSeconds(60), () -> approved().contains(ID));
            assertTrue(agent.stderr().contains("Hook Freeze.sh for event " + ID + " exited 0"), agent.stderr());
        }
        JsonNode stdin = new ObjectMapper().readTree(out.resolve("Freeze.sh-Scheduled.json").toFile());
        assertEquals(description, stdin.path("Description").asText(), "the whole record on stdin");
        String variable = Files.readAllLines(out.resolve("Freeze.sh-Scheduled.env")).stream()
                .filter(l -> l.startsWith("EVENT_DESCRIPTION=")).findFirst().orElseThrow()
                .substring("EVENT_DESCRIPTION=".length());
        assertTrue(variable.endsWith("...[cut: full record on stdin]"), variable);
        assertTrue(description.startsWith(variable.substring(0, variable.length() - 30)), variable);
        assertTrue(variable.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4096, variable);
    }

    @Test
    void userOnlyApprovesUserEventsAtOnceAndNeverPlatformEvents() throws Exception {
        Instant later = Instant.now().plusSeconds(900);
        SimEvent user = new SimEvent("user-1", "Scheduled", "Reboot", "VirtualMachine", List.of("myvm"),
                scheduledevents.simulator.NotBeforeFormat.RFC1123.format(later), "", "User", -1);
        E2E.setEvents(imds, user, SimEvent.scheduled("platform-1", "Reboot", later, "myvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env("user-only")).start()) {
            agent.await("the user event approved", Duration.ofSeconds(60), () -> approved().contains("user-1"));
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of("user-1"), approved());
        }
    }

    @Test
    void neverPolicyAndOtherVmsEventsAndANonLeaderApproveNothing() throws Exception {
        hook("all.sh", RECORDING_HOOK);
        Instant later = Instant.now().plusSeconds(900);
        E2E.setEvents(imds, SimEvent.scheduled("other-1", "Reboot", later, "othervm"),
                SimEvent.scheduled("shared-1", "Freeze", later, "avm", "myvm"));
        Map<String, String> env = env("after-hooks");
        env.put("AGENT_SCOPE", "all");
        env.put("AGENT_ACK_LEADER", "first");
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("the shared event's hook", Duration.ofSeconds(60), () -> runs().size() == 1);
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of("all.sh Freeze Scheduled shared-1"), runs(), "another VM's event is not hooked");
            assertEquals(List.of(), approved(), "myvm is not first in [avm, myvm]; othervm's event is not ours");
            assertTrue(agent.stderr().contains("agent.ack.leader=first"));
        }
        E2E.setEvents(imds, SimEvent.scheduled("mine-1", "Freeze", later, "myvm", "zvm"));
        try (TestAgent agent = TestAgent.jar(dir).env(env).start()) {
            agent.await("the leader approves", Duration.ofSeconds(60), () -> approved().contains("mine-1"));
        }
        Path neverDir = dir.resolve("never");
        Map<String, String> never = E2E.env(imds, neverDir);
        never.put("AGENT_HOOKS_DIR", hooks.toString());
        never.put("HOOK_OUT", out.toString());
        E2E.setEvents(imds, SimEvent.scheduled("never-1", "Freeze", later, "myvm"));
        try (TestAgent agent = TestAgent.jar(neverDir).env(never).start()) {
            agent.await("the hook under policy never", Duration.ofSeconds(60), () -> runs().size() == 3);
            E2E.awaitMorePolls(imds, 10);
            assertEquals(List.of("mine-1"), approved(), "policy never approves nothing");
            assertTrue(imds.requests().stream().filter(r -> r.method().equals("POST")).count() == 1);
        }
    }

    private Map<String, String> env(String policy) {
        Map<String, String> env = E2E.env(imds, dir);
        env.put("AGENT_HOOKS_DIR", hooks.toString());
        env.put("AGENT_ACK_POLICY", policy);
        env.put("HOOK_OUT", out.toString());
        return env;
    }

    private void hook(String name, String script) throws IOException {
        Path file = Files.writeString(hooks.resolve(name), script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> approved() {
        return imds.approvals().stream().map(Approval::eventId).toList();
    }

    private List<String> runs() {
        try {
            Path log = out.resolve("runs.log");
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
