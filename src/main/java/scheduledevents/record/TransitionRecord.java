package scheduledevents.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every sink receives for one transition: the IMDS fields as received, then what the agent adds. One shape
 * for all sinks, so a consumer written against the log file also reads Event Grid's {@code data}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"EventId", "EventType", "ResourceType", "Resources", "EventStatus", "NotBefore", "Description",
        "EventSource", "DurationInSeconds", "NotBeforeUtc", "DocumentIncarnation", "ObservedAt", "NoticeSeconds",
        "AffectsThisVm", "Vm", "Approved", "ApprovedAt", "Occurrence"})
public record TransitionRecord(
        @JsonProperty("EventId") String eventId,
        @JsonProperty("EventType") String eventType,
        @JsonProperty("ResourceType") String resourceType,
        @JsonProperty("Resources") List<String> resources,
        @JsonProperty("EventStatus") String eventStatus,
        @JsonProperty("NotBefore") String notBefore,
        @JsonProperty("Description") String description,
        @JsonProperty("EventSource") String eventSource,
        @JsonProperty("DurationInSeconds") Integer durationInSeconds,
        @JsonProperty("NotBeforeUtc") String notBeforeUtc,
        @JsonProperty("DocumentIncarnation") long documentIncarnation,
        @JsonProperty("ObservedAt") String observedAt,
        @JsonProperty("NoticeSeconds") Long noticeSeconds,
        @JsonProperty("AffectsThisVm") Boolean affectsThisVm,
        @JsonProperty("Vm") VmIdentity vm,
        @JsonProperty("Approved") boolean approved,
        @JsonProperty("ApprovedAt") String approvedAt,
        @JsonProperty("Occurrence") int occurrence) {

    /**
     * @param vmName     this VM's name, or null when unknown (then AffectsThisVm is null: nobody can tell)
     * @param approvedAt when this agent approved the event (agent.ack.policy), or null
     */
    public static TransitionRecord of(ScheduledEvent event, long incarnation, Instant observedAt, String vmName,
                                      VmIdentity vm, Instant approvedAt) {
        return of(event, incarnation, observedAt, vmName, vm, approvedAt, 1);
    }

    /** @param occurrence 1, or more for an event that came back after the agent reported it over ({@link Occurrence}) */
    public static TransitionRecord of(ScheduledEvent event, long incarnation, Instant observedAt, String vmName,
                                      VmIdentity vm, Instant approvedAt, int occurrence) {
        Instant notBefore = event.notBeforeUtc();
        Long notice = notBefore == null ? null : Math.max(0, Duration.between(observedAt, notBefore).toSeconds());
        return new TransitionRecord(event.eventId(), event.eventType(), event.resourceType(), event.resources(),
                event.eventStatus(), event.notBefore(), event.description(), event.eventSource(),
                event.durationInSeconds(), notBefore == null ? null : notBefore.toString(), incarnation,
                observedAt.toString(), notice, vmName == null ? null : event.names(vmName), vm, approvedAt != null,
                approvedAt == null ? null : approvedAt.toString(), occurrence);
    }
}
