package scheduledevents.respond;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.delivery.DeliveryKeys;
import scheduledevents.events.UntrustedText;
import scheduledevents.observability.AgentMetrics;

/**
 * Runs the operator's hooks for an event: executables in {@code agent.hooks.dir} named after the event type
 * ({@code Freeze}, {@code Reboot.sh}, ...) or {@code all}, and {@code <type>.completed} / {@code all.completed} after
 * the event. Each gets the record as JSON on stdin and as EVENT_* / VM_* environment variables, a timeout that ends
 * before NotBefore, and has its output logged and its exit code recorded. A hook that is missing, not executable,
 * hangs or fails is reported and never stops the agent.
 */
public class HookRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);
    // <name>[.completed][.<extension>]: the extension says nothing, the name says when the hook runs
    private static final Pattern HOOK_FILE = Pattern.compile("^([A-Za-z0-9_-]+)(\\.completed)?(\\.[A-Za-z0-9]+)?$",
            Pattern.CASE_INSENSITIVE);
    private static final java.util.Set<String> HOOK_NAMES =
            java.util.Set.of("freeze", "reboot", "redeploy", "preempt", "terminate", "all");
    private static final int MAX_LOGGED_LINES = 100;
    private static final Duration MARGIN_BEFORE_START = Duration.ofSeconds(1);

    private final Path dir;
    private final Duration timeout;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();

    public HookRunner(Path dir, Duration timeout, AgentMetrics metrics, Clock clock) {
        this.dir = dir;
        this.timeout = timeout;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Whether the folder holds anything that looks like a hook: an executable, or a file named after an event type
     * or {@code all} (reported when it runs, if it is not executable). README files and the like do not count.
     */
    public boolean anyHooks() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(file -> {
                Matcher m = HOOK_FILE.matcher(file.getFileName().toString());
                return m.matches() && (Files.isExecutable(file)
                        || HOOK_NAMES.contains(m.group(1).toLowerCase(Locale.ROOT)));
            });
        }
    }

    /** @return true when every hook for this record exited 0, also when there was none */
    public boolean run(String recordJson) throws IOException {
        JsonNode record = mapper.readTree(recordJson);
        String stage = RespondStage.stageOf(record.path("EventStatus").asText());
        String type = record.path("EventType").asText();
        List<Path> hooks = hooksFor(type, stage);
        boolean allSucceeded = true;
        for (Path hook : hooks) {
            allSucceeded &= runOne(hook, record, recordJson);
        }
        return allSucceeded;
    }

    List<Path> hooksFor(String type, String stage) throws IOException {
        if (!RespondStage.BEFORE.equals(stage) && !RespondStage.AFTER.equals(stage) || !Files.isDirectory(dir)) {
            return List.of();
        }
        boolean after = RespondStage.AFTER.equals(stage);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                Matcher m = HOOK_FILE.matcher(file.getFileName().toString());
                if (!m.matches() || Files.isDirectory(file) || (m.group(2) != null) != after) {
                    continue;
                }
                String name = m.group(1);
                if (name.equalsIgnoreCase(type)) {
                    found.add(0, file); // the type's own hook before the catch-all
                } else if (name.equalsIgnoreCase("all")) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    private boolean runOne(Path hook, JsonNode record, String recordJson) {
        String name = hook.getFileName().toString();
        String eventId = UntrustedText.forLog(record.path("EventId").asText());
        if (!Files.isExecutable(hook)) {
            LOG.error("Hook {} for event {} is not executable: chmod +x {}", name, eventId, hook.toAbsolutePath());
            metrics.hook(name, "not-executable");
            return false;
        }
        Duration limit = limitFor(record);
        ProcessBuilder builder = new ProcessBuilder(hook.toAbsolutePath().toString())
                .directory(dir.toFile()).redirectErrorStream(true);
        environment(builder.environment(), record);
        Instant started = clock.instant();
        try {
            Process process = builder.start();
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(recordJson.getBytes(StandardCharsets.UTF_8));
            } catch (IOException hookClosedStdin) {
                // a hook that does not read stdin may close it: not an error
            }
            Thread output = logOutput(process, name);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                output.join(1000);
                LOG.error("Hook {} for event {} did not finish within {} ms (capped before NotBefore); stopped it",
                        name, eventId, limit.toMillis());
                metrics.hook(name, "timeout");
                return false;
            }
            output.join(1000);
            int exit = process.exitValue();
            long ms = Duration.between(started, clock.instant()).toMillis();
            if (exit == 0) {
                LOG.info("Hook {} for event {} exited 0 after {} ms", name, eventId, ms);
                metrics.hook(name, "ok");
                return true;
            }
            LOG.error("Hook {} for event {} exited {} after {} ms", name, eventId, exit, ms);
            metrics.hook(name, "failed");
            return false;
        } catch (IOException e) {
            LOG.error("Hook {} for event {} could not start: {}", name, eventId, e.getMessage());
            metrics.hook(name, "failed");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Hook {} for event {} interrupted: the agent is stopping", name, eventId);
            return false;
        }
    }

    /** The configured timeout, but never past NotBefore: a backup still running at the reboot is no backup. */
    Duration limitFor(JsonNode record) {
        String notBefore = record.path("NotBeforeUtc").asText("");
        if (notBefore.isEmpty() || record.path("NotBeforeUtc").isNull()) {
            return timeout;
        }
        Duration left = Duration.between(clock.instant(), Instant.parse(notBefore)).minus(MARGIN_BEFORE_START);
        Duration capped = left.compareTo(timeout) < 0 ? left : timeout;
        return capped.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : capped;
    }

    private static void environment(Map<String, String> env, JsonNode record) {
        // The agent's own settings may hold secrets (keys, passwords): a hook does not need them
        env.keySet().removeIf(k -> k.startsWith("AGENT_"));
        env.put("EVENT_ID", record.path("EventId").asText());
        env.put("EVENT_TYPE", record.path("EventType").asText());
        env.put("EVENT_STATUS", record.path("EventStatus").asText());
        env.put("EVENT_OCCURRENCE", String.valueOf(DeliveryKeys.occurrenceOf(record)));
        env.put("EVENT_NOT_BEFORE", record.path("NotBeforeUtc").isNull() ? "" : record.path("NotBeforeUtc").asText());
        env.put("EVENT_NOTICE_SECONDS", record.path("NoticeSeconds").isNull() ? "" : record.path("NoticeSeconds").asText());
        env.put("EVENT_DURATION_SECONDS", record.path("DurationInSeconds").isNull() ? ""
                : record.path("DurationInSeconds").asText());
        env.put("EVENT_SOURCE", record.path("EventSource").asText(""));
        env.put("EVENT_DESCRIPTION", record.path("Description").asText(""));
        List<String> resources = new ArrayList<>();
        record.path("Resources").forEach(r -> resources.add(r.asText()));
        env.put("EVENT_RESOURCES", String.join(",", resources));
        JsonNode vm = record.path("Vm");
        env.put("VM_NAME", vm.path("Name").asText(""));
        env.put("VM_RESOURCE_ID", vm.path("ResourceId").asText(""));
        env.put("VM_ID", vm.path("VmId").asText(""));
    }

    private static Thread logOutput(Process process, String name) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                int n = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (++n <= MAX_LOGGED_LINES) {
                        LOG.info("hook {}: {}", name, UntrustedText.forLog(line));
                    }
                }
                if (n > MAX_LOGGED_LINES) {
                    LOG.info("hook {}: ({} more lines not logged)", name, n - MAX_LOGGED_LINES);
                }
            } catch (IOException ended) {
                // the process was stopped
            }
        }, "hook-output-" + name.toLowerCase(Locale.ROOT));
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
