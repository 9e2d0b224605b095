package scheduledevents.logging;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Logs each distinct problem once instead of once per poll: at one poll a second, a broken IMDS or a bad document
 * would otherwise write 86,400 identical lines a day. Bounded, so hostile input with ever-new text cannot grow it.
 */
public class OnceLog {
    private static final int MAX_REMEMBERED = 256;

    private final Logger log;
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED;
        }
    });

    public OnceLog(Logger log) {
        this.log = log;
    }

    /** @return true when this problem was new and got logged */
    public synchronized boolean warn(String problem) {
        if (seen.add(problem)) {
            log.warn(problem);
            return true;
        }
        return false;
    }

    /** Forget what was logged, so the same problem is reported again after a recovery. */
    public synchronized boolean reset() {
        boolean hadProblems = !seen.isEmpty();
        seen.clear();
        return hadProblems;
    }
}
