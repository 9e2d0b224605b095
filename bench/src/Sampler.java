/** Samples RSS once a second for the maximum. */
final class Sampler implements Runnable {
    final long pid;
    volatile long maxRss;
    volatile boolean running = true;

    Sampler(long pid) {
        this.pid = pid;
    }

    Sampler start() {
        Thread t = new Thread(this, "sampler");
        t.setDaemon(true);
        t.start();
        return this;
    }

    public void run() {
        while (running) {
            maxRss = Math.max(maxRss, Sample.procKb(pid, "status", "VmRSS:"));
            Bench.sleep(1000);
        }
    }

    void stop() {
        running = false;
    }
}
