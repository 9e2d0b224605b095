import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;

/** Changes the simulator's document at known instants and remembers, per (EventId, status), the instant. */
final class Driver {
    final ImdsSimulator imds;
    final Map<String, SimEvent> live = new LinkedHashMap<>();
    Map<String, Long> changes = new LinkedHashMap<>();
    int counter;

    Driver(ImdsSimulator imds) {
        this.imds = imds;
    }

    private void apply(String id, String status, SimEvent next) {
        if (next == null) {
            live.remove(id);
        } else {
            live.put(id, next);
        }
        long at = System.nanoTime();
        imds.setEvents(List.copyOf(live.values()));
        changes.put(Bench.key(id, status), at);
    }

    private String newId() {
        return String.format("BE0C0000-0000-4000-8000-%012d", ++counter);
    }

    /**
     * One event at a time: Scheduled, Started, gone (the agent's Completed); one transition per change, changes
     * 1 to 2 s apart (uniformly at random, so they fall at every phase of the agent's poll).
     */
    void shortLived(int transitions, Random random) throws InterruptedException {
        long next = System.nanoTime() + Bench.sec(1);
        SimEvent current = null;
        for (int i = 0; i < transitions; i++) {
            Bench.sleepUntil(next);
            if (current == null) {
                String id = newId();
                current = SimEvent.scheduled(id, "Freeze", Instant.now().plusSeconds(900), "myvm");
                apply(id, "Scheduled", current);
            } else if (current.eventStatus().equals("Scheduled")) {
                current = current.started();
                apply(current.eventId(), "Started", current);
            } else {
                apply(current.eventId(), "Completed", null);
                current = null;
            }
            next += (long) (1e9 + random.nextDouble() * 1e9);
        }
        if (current != null) {            // leave the document empty; this last change is not measured
            live.clear();
            imds.setEvents(List.of());
        }
    }

    /**
     * The seed side by side: n/2 events appear Scheduled 6 s apart, each is Started 36 s after it appeared, and
     * all disappear 36 s after the last start: every state lasts longer than the seed's 30 s sleep.
     */
    void longLived(int transitions) throws InterruptedException {
        int events = Math.max(1, transitions / 2);
        long t0 = System.nanoTime() + Bench.sec(1);
        List<SimEvent> created = new ArrayList<>();
        for (int k = 0; k < events; k++) {
            Bench.sleepUntil(t0 + Bench.sec(6L * k));
            String id = newId();
            SimEvent e = SimEvent.scheduled(id, "Reboot", Instant.now().plusSeconds(900), "myvm");
            created.add(e);
            apply(id, "Scheduled", e);
        }
        for (int k = 0; k < events; k++) {
            Bench.sleepUntil(t0 + Bench.sec(36 + 6L * k));
            SimEvent e = created.get(k).started();
            apply(e.eventId(), "Started", e);
        }
        Bench.sleepUntil(t0 + Bench.sec(36 + 6L * (events - 1) + 36));
        live.clear();
        imds.setEvents(List.of());
        Bench.sleep(3000);
    }

    Map<String, Long> takeChanges() {
        Map<String, Long> c = changes;
        changes = new LinkedHashMap<>();
        return c;
    }
}
