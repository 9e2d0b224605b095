package scheduledevents.events;

import java.util.Collection;
import java.util.List;

/**
 * The outcome of comparing a document with the last one: the records to deliver, and the state to remember once
 * every record is safely queued.
 */
public record Transitions(List<TransitionRecord> records, long incarnation, Collection<ScheduledEvent> nextState,
                          boolean stateChanged) {
}
