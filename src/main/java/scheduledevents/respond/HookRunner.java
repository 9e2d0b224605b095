package scheduledevents.respond;

import java.io.IOException;
import java.io.InputStream;
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
import scheduledevents.logging.UntrustedText;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.EventType;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;

/**
 * Runs the operator's hooks for an event: executables in {@code agent.hooks.dir} named after the event type
 * ({@code Freeze}, {@code Reboot.sh}, ...) or {@code all}, and {@code <type>.completed} / {@code all.completed} after
 * the event. Each gets the record as JSON on stdin and as EVENT_* / VM_* environment variables (each cut to
 * {@value #MAX_VARIABLE_BYTES} bytes), a deadline that ends before NotBefore, and has its output logged (bounded, see
 * {@link HookOutput}) and its exit code recorded. A hook that is missing, not executable, hangs, does not read stdin,
 * floods its output or fails is reported and never stops the agent nor holds the stage past its deadline.
 */
public class HookRunner {
    private static final Logger LOG = LoggerFactory.getLogger(HookRunner.class);
    // <name>[.completed][.<extension>]: the extension says nothing, the name says when the hook runs
    private static final Pattern HOOK_FILE = Pattern.compile("^([A-Za-z0-9_-]+)(\\.completed)?(\\.[A-Za-z0-9]+)?$",
            Pattern.CASE_INSENSITIVE);
    private static final String ALL = "all";
    // Linux refuses to start a program given one variable over 128 KiB (E2BIG), or all together over a quarter of the
    // stack limit (2 MiB by default, 128 KiB at least): 12 variables of at most 4 KiB each stay far below both
    static final int MAX_VARIABLE_BYTES = 4096;
    static final String CUT_MARKER = "...[cut: full record on stdin]";
    private static final Duration MARGIN_BEFORE_START = Duration.ofSeconds(1);

    private final Path dir;
    private final Duration timeout;
    private final AgentMetrics metrics;
    private final Clock clock;

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
                        || isHookName(m.group(1)));
            });
        }
    }

    /** An event type's name, in any case, or {@code all}. */
    private static boolean isHookName(String name) {
        return EventType.ofAnyCase(name).known() || ALL.equalsIgnoreCase(name);
    }

    /** @return true when every hook for this record exited 0, also when there was none */
    public boolean run(String recordJson) throws IOException {
        TransitionRecord record = TransitionRecord.read(recordJson);
        // a record without EventType (IMDS left it out) reads "null", as earlier releases passed it on
        List<Path> hooks = hooksFor(String.valueOf(record.eventType()), RespondStage.stageOf(record));
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
                } else if (name.equalsIgnoreCase(ALL)) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    private boolean runOne(Path hook, TransitionRecord record, String recordJson) {
        String name = hook.getFileName().toString();
        String eventId = UntrustedText.forLog(String.valueOf(record.eventId()));
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
            // On their own threads: a record over the pipe's buffer blocks until the hook reads it, output until the
            // agent reads it; neither may hold this thread past the deadline
            writeStdin(process, recordJson, name);
            Thread output = logOutput(process, name);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                // its children too (a script's sleep, curl, ...): they hold its pipes and would live on
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
        } catch (IOException | RuntimeException e) {
            LOG.error("Hook {} for event {} could not start: {}", name, eventId, UntrustedText.forLog(e.getMessage()));
            metrics.hook(name, "failed");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Hook {} for event {} interrupted: the agent is stopping", name, eventId);
            return false;
        }
    }

    /** The configured timeout, but never past NotBefore: a backup still running at the reboot is no backup. */
    Duration limitFor(TransitionRecord record) {
        String notBefore = record.notBeforeUtc();
        if (notBefore == null || notBefore.isEmpty()) {
            return timeout;
        }
        Duration left = Duration.between(clock.instant(), Instant.parse(notBefore)).minus(MARGIN_BEFORE_START);
        Duration capped = left.compareTo(timeout) < 0 ? left : timeout;
        return capped.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : capped;
    }

    private static void environment(Map<String, String> env, TransitionRecord record) {
        // The agent's own settings may hold secrets (keys, passwords): a hook does not need them
        env.keySet().removeIf(k -> k.startsWith("AGENT_"));
        // the three names as earlier releases passed them: a null one reads "null", every other field ""
        put(env, "EVENT_ID", String.valueOf(record.eventId()));
        put(env, "EVENT_TYPE", String.valueOf(record.eventType()));
        put(env, "EVENT_STATUS", String.valueOf(record.eventStatus()));
        put(env, "EVENT_OCCURRENCE", String.valueOf(record.occurrence()));
        put(env, "EVENT_NOT_BEFORE", text(record.notBeforeUtc()));
        put(env, "EVENT_NOTICE_SECONDS", text(record.noticeSeconds()));
        put(env, "EVENT_DURATION_SECONDS", text(record.durationInSeconds()));
        put(env, "EVENT_SOURCE", text(record.eventSource()));
        put(env, "EVENT_DESCRIPTION", text(record.description()));
        put(env, "EVENT_RESOURCES", String.join(",", record.resources()));
        VmIdentity vm = record.vm();
        put(env, "VM_NAME", text(vm.name()));
        put(env, "VM_RESOURCE_ID", text(vm.resourceId()));
        put(env, "VM_ID", text(vm.vmId()));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /**
     * A value as an environment can hold it: without NUL (which ends a C string, and which Java refuses) and at
     * most {@value #MAX_VARIABLE_BYTES} bytes of UTF-8, cut between characters and marked; stdin has it whole.
     */
    static String variable(String value) {
        String text = value.indexOf('\0') < 0 ? value : value.replace("\0", "");
        if (text.length() * 3L <= MAX_VARIABLE_BYTES
                || text.getBytes(StandardCharsets.UTF_8).length <= MAX_VARIABLE_BYTES) {
            return text;
        }
        int room = MAX_VARIABLE_BYTES - CUT_MARKER.length();
        int end = 0;
        for (int bytes = 0; end < text.length(); ) {
            int codePoint = text.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > room) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return text.substring(0, end) + CUT_MARKER;
    }

    private static void put(Map<String, String> env, String name, String value) {
        env.put(name, variable(value));
    }

    private static void writeStdin(Process process, String recordJson, String name) {
        Thread writer = new Thread(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(recordJson.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedOrStopped) {
                // a hook need not read stdin: it closed it, exited or was stopped at its deadline
            }
        }, "hook-stdin-" + name.toLowerCase(Locale.ROOT));
        writer.setDaemon(true);
        writer.start();
    }

    private static Thread logOutput(Process process, String name) {
        Thread reader = new Thread(() -> {
            try (InputStream output = process.getInputStream()) {
                HookOutput.drain(output, line -> LOG.info("hook {}: {}", name, line));
            } catch (IOException ended) {
                // the process was stopped
            }
        }, "hook-output-" + name.toLowerCase(Locale.ROOT));
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
