package scheduledevents.responder.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One maintenance event across the fleet, as the API answers it ({@code GET /api/events}) and notifications name
 * it, in the record's naming style. Every text is untrusted, as received.
 *
 * @param eventStatus  the fleet status: Scheduled, Started, Completed or Canceled (never backwards, but a Canceled
 *                     event reported again is live again, with the next {@code occurrence})
 * @param notBeforeUtc ISO-8601 instant, or null when no source gave one
 * @param vms          every VM the event affects, with the last status its agent reported
 * @param reportedBy   names of the VMs whose agents (or seed scripts) reported it
 * @param sources      agent, platform, seed-script: which saw it
 * @param approval     the approval of the current occurrence from the centre (POST /api/events/{id}/approve): the
 *                     one that succeeded, else the latest attempt; null when nobody tried
 * @param history      oldest first; only in the single event's answer ({@code GET /api/events/{id}}), else null
 */
@JsonPropertyOrder({"EventId", "EventType", "EventStatus", "NotBeforeUtc", "DurationInSeconds", "Description",
        "EventSource", "ResourceType", "Occurrence", "Vms", "ReportedBy", "Sources", "FirstSeen", "LastSeen",
        "Approval", "History"})
public record FleetEvent(
        @JsonProperty("EventId") String eventId,
        @JsonProperty("EventType") String eventType,
        @JsonProperty("EventStatus") String eventStatus,
        @JsonProperty("NotBeforeUtc") String notBeforeUtc,
        @JsonProperty("DurationInSeconds") Integer durationInSeconds,
        @JsonProperty("Description") String description,
        @JsonProperty("EventSource") String eventSource,
        @JsonProperty("ResourceType") String resourceType,
        @JsonProperty("Occurrence") int occurrence,
        @JsonProperty("Vms") List<Vm> vms,
        @JsonProperty("ReportedBy") List<String> reportedBy,
        @JsonProperty("Sources") List<String> sources,
        @JsonProperty("FirstSeen") String firstSeen,
        @JsonProperty("LastSeen") String lastSeen,
        @JsonProperty("Approval") Approval approval,
        @JsonProperty("History") @JsonInclude(JsonInclude.Include.NON_NULL) List<HistoryEntry> history) {

    /**
     * One affected VM; status and reportedAt are null until its own agent reports the event.
     *
     * @param scaleSetId the scale set's resource id when the platform topic reported the VM through its scale set
     *                   (approvals go to the scale set, once for all its VMs), else null
     */
    @JsonPropertyOrder({"Name", "ResourceId", "ScaleSetId", "ResourceGroup", "SubscriptionId", "Status",
            "ReportedAt"})
    public record Vm(
            @JsonProperty("Name") String name,
            @JsonProperty("ResourceId") String resourceId,
            @JsonProperty("ResourceGroup") String resourceGroup,
            @JsonProperty("SubscriptionId") String subscriptionId,
            @JsonProperty("Status") String status,
            @JsonProperty("ReportedAt") String reportedAt,
            @JsonProperty("ScaleSetId") String scaleSetId) {

        /** A VM not reported through a scale set. */
        public Vm(String name, String resourceId, String resourceGroup, String subscriptionId, String status,
                String reportedAt) {
            this(name, resourceId, resourceGroup, subscriptionId, status, reportedAt, null);
        }
    }

    /**
     * An attempt to approve the event from the centre.
     *
     * @param by      who asked (the signed-in user's name, or "API token")
     * @param at      ISO-8601 instant of the attempt
     * @param outcome {@link #APPROVED}, {@link #FAILED} (Azure or the token failed) or {@link #REFUSED} (the event
     *                was not Scheduled)
     * @param message what happened, in words for an operator
     */
    @JsonPropertyOrder({"By", "At", "Outcome", "Message"})
    public record Approval(
            @JsonProperty("By") String by,
            @JsonProperty("At") String at,
            @JsonProperty("Outcome") String outcome,
            @JsonProperty("Message") String message) {
        public static final String APPROVED = "approved";
        public static final String FAILED = "failed";
        public static final String REFUSED = "refused";

        public boolean approved() {
            return APPROVED.equals(outcome);
        }
    }

    /**
     * One thing that happened to the fleet event: {@code What} is {@code status} (the fleet status changed to
     * Status), {@code source} (a source saw it first), {@code notified} (a notification went out on Detail's
     * channel) or {@code approval} (an attempt to approve it: Status the outcome, By who, Detail the message).
     */
    @JsonPropertyOrder({"At", "What", "Status", "Source", "Vm", "By", "Detail"})
    public record HistoryEntry(
            @JsonProperty("At") String at,
            @JsonProperty("What") String what,
            @JsonProperty("Status") String status,
            @JsonProperty("Source") String source,
            @JsonProperty("Vm") String vm,
            @JsonProperty("By") String by,
            @JsonProperty("Detail") String detail) {
    }
}
