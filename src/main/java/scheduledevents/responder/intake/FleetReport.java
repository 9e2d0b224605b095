package scheduledevents.responder.intake;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One report of one maintenance event from one source, whatever the delivery's schema: what {@code DeliveryParser}
 * makes of each event of a delivery and what {@code FleetStore} joins into fleet events. Every text is untrusted: it
 * is stored and shown as text, never interpreted.
 *
 * @param source       who reported it
 * @param deliveryId   the Event Grid / CloudEvents {@code id} (stable across Event Grid's retries), or null
 * @param eventId      IMDS EventId as sent (compare with {@link #eventKey()})
 * @param eventType    Freeze, Reboot, Redeploy, Preempt, Terminate... as sent
 * @param eventStatus  Scheduled, Started, Completed or Canceled (normalised to this spelling)
 * @param notBefore    when the event may start, null when IMDS left it empty
 * @param durationInSeconds as sent, null when absent
 * @param description  as sent, may be null
 * @param eventSource  Platform or User as sent, may be null
 * @param resourceType as sent (VirtualMachine), may be null
 * @param vms          the VMs the event affects (from Resources), never null
 * @param reporter     the VM whose agent (or seed script) sent this report; null for the platform topic
 * @param occurrence   the agent's Occurrence (2, 3... for an event that came back), 1 otherwise
 * @param observedAt   when the source saw it (the record's ObservedAt, else the delivery's event time, else receipt)
 * @param publishedOn  the platform topic's: the resource the notification was published on, its resource id as
 *                     received up to that resource's name (a VM, a scale set), from {@code resourceInfo.id} or else
 *                     the subject; Azure publishes one notification per resource an event concerns, so this is what
 *                     tells one VM's notification from another's of the same status and time. Null otherwise, or
 *                     when neither is a resource id
 */
public record FleetReport(
        ReportSource source,
        String deliveryId,
        String eventId,
        String eventType,
        String eventStatus,
        Instant notBefore,
        Integer durationInSeconds,
        String description,
        String eventSource,
        String resourceType,
        List<VmRef> vms,
        VmRef reporter,
        int occurrence,
        Instant observedAt,
        String publishedOn) {

    public FleetReport {
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("a report needs an EventId");
        }
        vms = vms == null ? List.of() : List.copyOf(vms);
    }

    /** A report that was not published on a resource: an agent's, the seed script's, or a platform one without. */
    public FleetReport(ReportSource source, String deliveryId, String eventId, String eventType, String eventStatus,
            Instant notBefore, Integer durationInSeconds, String description, String eventSource, String resourceType,
            List<VmRef> vms, VmRef reporter, int occurrence, Instant observedAt) {
        this(source, deliveryId, eventId, eventType, eventStatus, notBefore, durationInSeconds, description,
                eventSource, resourceType, vms, reporter, occurrence, observedAt, null);
    }

    /** The fleet event this report belongs to: EventId compared case-insensitively. */
    public String eventKey() {
        return eventId.trim().toLowerCase(Locale.ROOT);
    }
}
