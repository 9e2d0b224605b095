import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import scheduledevents.simulator.ImdsSimulator;

/** {@code bench/run compare}: the agent with flag set A, then B, A, B ... */
final class Compare {
    private Compare() {
    }

    /** A and B in turn (A B A B ...), each run: start, first poll, hold, sample, stop. Medians and ratios. */
    static void compare(Map<String, String> o) throws Exception {
        int runs = Integer.parseInt(o.getOrDefault("runs", "3"));
        int hold = Integer.parseInt(o.getOrDefault("hold", "30"));
        String[] javas = {o.getOrDefault("java-a", "java"), o.getOrDefault("java-b", "java")};
        String[] flagSets = {o.getOrDefault("a", ""), o.getOrDefault("b", "")};
        String[] envs = {o.getOrDefault("env-a", ""), o.getOrDefault("env-b", "")};
        List<List<double[]>> figures = List.of(new ArrayList<>(), new ArrayList<>());
        try (ImdsSimulator imds = new ImdsSimulator().start()) {
            imds.setEvents(List.of());
            for (int r = 0; r < runs; r++) {
                for (int v = 0; v < 2; v++) {
                    Path work = Files.createTempDirectory("bench-cmp-");
                    imds.clearRequests();
                    AgentProcess agent = AgentProcess.start(javas[v], Bench.words(flagSets[v]), imds.baseUrl(), work, null,
                            Bench.words(envs[v]));
                    long first = agent.awaitFirstPoll(imds, Duration.ofSeconds(60));
                    Sample startup = Sample.of(agent.pid);
                    Bench.sleepUntil(agent.startNanos + Bench.sec(hold));
                    Sample s = Sample.of(agent.pid);
                    double cpuRate = (s.cpuSeconds() - startup.cpuSeconds()) / ((s.nanos() - startup.nanos()) / 1e9);
                    agent.stop();
                    figures.get(v).add(new double[] {Bench.ms(first - agent.startNanos), s.rssKb() / 1024.0,
                            s.pssKb() / 1024.0, startup.cpuSeconds(), cpuRate * 3600});
                    Bench.log("%s run %d: first poll %.0f ms, RSS %.1f MB, PSS %.1f MB, cpu to first poll %.2f s, %.1f cpu-s/h",
                            v == 0 ? "A" : "B", r + 1, Bench.ms(first - agent.startNanos), s.rssKb() / 1024.0,
                            s.pssKb() / 1024.0, startup.cpuSeconds(), cpuRate * 3600);
                }
            }
        }
        String[] names = {"first poll ms", "RSS MB @" + hold + "s", "PSS MB @" + hold + "s", "cpu s to first poll",
                "cpu s/h after start"};
        StringBuilder t = new StringBuilder();
        t.append(String.format("A: %s %s %s%nB: %s %s %s%n", envs[0], javas[0], flagSets[0], envs[1], javas[1], flagSets[1]));
        t.append(String.format("%-22s %12s %12s %16s%n", "median of " + runs, "A", "B", "A/B (median)"));
        for (int f = 0; f < names.length; f++) {
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                ratios.add(figures.get(0).get(r)[f] / figures.get(1).get(r)[f]);
            }
            final int ff = f;
            t.append(String.format("%-22s %12.1f %12.1f %16.2f%n", names[f],
                    Figures.median(figures.get(0).stream().map(x -> x[ff]).toList()),
                    Figures.median(figures.get(1).stream().map(x -> x[ff]).toList()), Figures.median(ratios)));
        }
        System.out.print(t);
    }
}
