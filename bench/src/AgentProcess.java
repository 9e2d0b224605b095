import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.RecordedRequest;

/** The agent as its own process, started as the Dockerfile's ENTRYPOINT starts it (flags from bench/run). */
final class AgentProcess {
    final Process process;
    final long pid;
    final long startNanos;
    final Path records;
    final StringBuilder log = new StringBuilder();

    private AgentProcess(Process p, long startNanos, Path records) {
        this.process = p;
        this.pid = p.pid();
        this.startNanos = startNanos;
        this.records = records;
    }

    static AgentProcess start(String java, List<String> flags, String imdsUrl, Path work, String eventgridUrl,
                              List<String> extraEnv) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags);
        cmd.add("-jar");
        cmd.add(Bench.ROOT.resolve("target/scheduled-events-agent.jar").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Bench.ROOT.toFile());
        Path records = work.resolve("records.jsonl");
        Map<String, String> env = pb.environment();
        env.put("AGENT_IMDS_URL", imdsUrl);
        env.put("AGENT_STATE_DIR", work.resolve("state").toString());
        env.put("AGENT_SINK_LOG_FILE", records.toString());
        env.put("AGENT_HEALTH_PORT", String.valueOf(Bench.freePort()));
        if (eventgridUrl != null) {
            env.put("AGENT_SINKS", "log,eventgrid");
            env.put("AGENT_EVENTGRID_ENDPOINT", eventgridUrl + "/api/events");
            env.put("AGENT_EVENTGRID_KEY", "bench-key");
            env.put("JAVA_TOOL_OPTIONS", Receiver.TRUST_OPTIONS.get());
        }
        for (String kv : extraEnv) {
            env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        pb.redirectOutput(work.resolve("stdout").toFile());
        pb.redirectError(work.resolve("stderr").toFile());
        long start = System.nanoTime();
        AgentProcess a = new AgentProcess(pb.start(), start, records);
        Bench.log("agent pid %d: %s (work %s)", a.pid, String.join(" ", cmd), work);
        return a;
    }

    long awaitFirstPoll(ImdsSimulator imds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (RecordedRequest r : imds.requests()) {
                if (!Bench.isCurl(r) && r.pathAndQuery().startsWith("/metadata/scheduledevents") && r.receivedNanos() > startNanos) {
                    return r.receivedNanos();
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("agent exited with " + process.exitValue());
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no poll within " + timeout);
    }

    long firstRequestNanos(ImdsSimulator imds) {
        return imds.requests().stream().filter(r -> !Bench.isCurl(r) && r.receivedNanos() > startNanos)
                .mapToLong(RecordedRequest::receivedNanos).min().orElse(startNanos);
    }

    void stop() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Path err = records.resolveSibling("stderr");
        if (Files.exists(err)) {
            log.append(Files.readString(err));
        }
    }
}
