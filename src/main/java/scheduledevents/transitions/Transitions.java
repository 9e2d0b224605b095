package scheduledevents.transitions;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import scheduledevents.record.Occurrence;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;

/**
 * The outcome of comparing a document with the last one: the records to deliver, and the state to remember once
 * every record is safely queued: the events, their occurrences (ended ones too, so a return is told apart), and for
 * how many documents in a row each Scheduled event has been missing (not yet called Canceled).
 */
public record Transitions(List<TransitionRecord> records, long incarnation, Collection<ScheduledEvent> nextState,
                          boolean stateChanged, Map<String, Occurrence> occurrences, Map<String, Integer> missing) {
}
