package scheduledevents.record;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What every sink receives for one transition: the IMDS fields as received, then what the agent adds. One shape
 * for all sinks, so a consumer written against the log file also reads Event Grid's {@code data}. The agent writes
 * it ({@link #of}) and every stage reads it back with {@link #read} (or {@link #from}), not by field name. EventType
 * and EventStatus stay the text as received, so a record is written byte for byte as IMDS spelled it, whatever
 * Azure adds; {@link #type()} and {@link #status()} are what the agent knows of them.
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

    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    /**
     * A record as queued, read leniently: every field is untrusted text (a queue file may come from an earlier
     * release or by hand), so a missing or mistyped field reads as absent (null, false, an empty list) rather than
     * failing, and {@link #occurrence()} is 1 unless the record says 2 or more.
     *
     * @throws IOException when the text is not JSON at all
     */
    public static TransitionRecord read(String json) throws IOException {
        return from(MAPPER.readTree(json));
    }

    /** As {@link #read}, from JSON already parsed (by a stage that also needs the record's own tree). */
    public static TransitionRecord from(JsonNode node) {
        JsonNode record = node == null ? MAPPER.missingNode() : node;
        List<String> resources = new ArrayList<>();
        record.path("Resources").forEach(r -> resources.add(r.asText()));
        JsonNode vm = record.path("Vm");
        return new TransitionRecord(text(record, "EventId"), text(record, "EventType"), text(record, "ResourceType"),
                resources, text(record, "EventStatus"), text(record, "NotBefore"), text(record, "Description"),
                text(record, "EventSource"), seconds(record.path("DurationInSeconds")), text(record, "NotBeforeUtc"),
                record.path("DocumentIncarnation").asLong(), text(record, "ObservedAt"),
                whole(record.path("NoticeSeconds")), flag(record.path("AffectsThisVm")),
                vm.isObject() ? new VmIdentity(text(vm, "Name"), text(vm, "ResourceId"), text(vm, "VmId"),
                        text(vm, "Location"), text(vm, "VmScaleSetName"), text(vm, "SubscriptionId"),
                        text(vm, "ResourceGroupName"), text(vm, "Zone")) : VmIdentity.UNKNOWN,
                record.path("Approved").asBoolean(), text(record, "ApprovedAt"), RecordKey.occurrenceOf(record));
    }

    /** What the agent knows of {@link #eventType()}: {@link EventType#OTHER} for a type Azure added since. */
    @JsonIgnore
    public EventType type() {
        return EventType.of(eventType);
    }

    /** What the agent knows of {@link #eventStatus()}, spelled exactly as the agent and IMDS write it. */
    @JsonIgnore
    public EventStatus status() {
        return EventStatus.of(eventStatus);
    }

    /** The text of a field: null when missing or null, a number or boolean as its text, an object or array as JSON. */
    private static String text(JsonNode record, String field) {
        JsonNode value = record.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    /** A whole number that fits a long, else null. */
    private static Long whole(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
    }

    /** A whole number that fits an int, else null. */
    private static Integer seconds(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToInt() ? value.intValue() : null;
    }

    private static Boolean flag(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : value.asBoolean();
    }
}
