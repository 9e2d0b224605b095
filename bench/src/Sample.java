import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** /proc figures of one process. */
record Sample(long nanos, long rssKb, long pssKb, double cpuSeconds) {
    static Sample of(long pid) {
        long now = System.nanoTime();
        return new Sample(now, procKb(pid, "status", "VmRSS:"), procKb(pid, "smaps_rollup", "Pss:"), cpu(pid));
    }

    static long procKb(long pid, String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/" + file))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // process gone
        }
        return -1;
    }

    static double cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks
        } catch (IOException e) {
            return -1;
        }
    }
}
