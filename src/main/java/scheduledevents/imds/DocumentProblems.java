package scheduledevents.imds;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scheduledevents.logging.OnceLog;
import scheduledevents.observability.AgentMetrics;
import scheduledevents.record.ScheduledEventsDocument;

/** Reports what was wrong with a document, once per distinct problem, and counts unreadable documents. */
public class DocumentProblems {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentProblems.class);

    private final OnceLog once = new OnceLog(LOG);
    private final AgentMetrics metrics;

    public DocumentProblems(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    /** Entries that were dropped or repaired; the rest of the document goes on. */
    public void report(ScheduledEventsDocument document) {
        document.problems().forEach(p -> once.warn("IMDS document: " + p));
    }

    /** The whole document was unreadable: it is skipped, the state stays, the next document is processed. */
    public void malformed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        metrics.pollError("malformed");
        once.warn("IMDS sent a document that cannot be read, skipped: " + (e == null ? "unknown" : e.getMessage()));
    }
}
