package scheduledevents.responder.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import scheduledevents.notification.TransitionView;
import scheduledevents.responder.fleet.FleetEvent;
import scheduledevents.responder.fleet.OutboxItem;

/**
 * What a fleet notification says about one fleet event reaching one status, as plain values for the templates
 * ({@code templates/fleet-*.mustache}): the status the outbox item owes, the event as the store has it now (every
 * affected VM with its resource group, subscription and last reported status), who reported it and which sources
 * saw it. Values are the untrusted text as stored; escaping is the template's ({@code notification.Templates}),
 * except the subject, made single-line here.
 */
public final class FleetView {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SUBJECT_WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern RESOURCE_ID = Pattern.compile(
            "/subscriptions/[0-9A-Za-z-]{1,64}/resourceGroups/[0-9A-Za-z._()-]{1,90}/providers/[0-9A-Za-z./_-]{1,400}");
    private static final int MAX_SUBJECT_CHARS = 200;
    /** A webhook card is small: it lists this many VMs and counts the rest (the JSON format carries all). */
    static final int MAX_VMS_IN_CARD = 50;

    private static final Map<String, String> TYPES = Map.of(
            "Freeze", "The VMs will be paused for a few seconds (memory, disks and network connections are kept) "
                    + "while their hosts are updated or they are live-migrated.",
            "Reboot", "The VMs will be restarted: memory is lost, disks are kept.",
            "Redeploy", "The VMs will be moved to other hosts and restarted: memory and the temporary disk are "
                    + "lost, managed disks are kept.",
            "Preempt", "These Spot VMs are being evicted: they will be deallocated or deleted.",
            "Terminate", "These scale-set instances are being deleted.");
    private static final Map<String, String> STATUSES = Map.of(
            "Scheduled", "Announced: it will not start before the time below (unless approved earlier).",
            "Started", "In progress now.",
            "Completed", "Over: no source lists the event any more.",
            "Canceled", "Canceled: the event was withdrawn before it started.");

    private FleetView() {
    }

    /** The view of {@code event} for the notification {@code item} owes, time left counted from {@code clock}. */
    public static Map<String, Object> of(OutboxItem item, FleetEvent event, Clock clock, String portalUrl) {
        Map<String, Object> view = new LinkedHashMap<>();
        String type = nz(event.eventType());
        String status = nz(item.status());
        int occurrence = Math.max(1, item.occurrence());
        view.put("eventId", nz(event.eventId()));
        view.put("eventType", type);
        view.put("eventTypeExplained", TYPES.getOrDefault(type, "An event type the responder does not know: "
                + "see the Azure Scheduled Events documentation."));
        view.put("status", status);
        view.put("statusExplained", STATUSES.getOrDefault(status, "A status the responder does not know.")
                + (occurrence > 1 ? " The event is back: it had been canceled (occurrence " + occurrence + ")." : ""));
        String current = nz(event.eventStatus());
        view.put("currentStatus", current);
        view.put("statusMovedOn", !current.isEmpty() && !current.equals(status));
        view.put("occurrence", occurrence);
        view.put("returned", occurrence > 1);

        Instant notBefore = instant(event.notBeforeUtc());
        view.put("hasNotBefore", notBefore != null);
        view.put("notBeforeUtc", notBefore == null ? "" : WHEN.format(notBefore));
        view.put("timeLeft", notBefore == null ? "" : timeLeft(Duration.between(clock.instant(), notBefore)));
        Integer duration = event.durationInSeconds();
        view.put("impact", duration == null || duration < 0 ? "unknown"
                : duration == 0 ? "none expected" : "about " + duration + " s per VM");
        view.put("description", nz(event.description()));
        view.put("eventSource", event.eventSource() == null || event.eventSource().isBlank() ? "not reported"
                : event.eventSource());
        view.put("resourceType", nz(event.resourceType()));

        List<FleetEvent.Vm> vms = event.vms() == null ? List.of() : event.vms();
        List<Map<String, Object>> vmViews = new ArrayList<>();
        Set<String> groups = new LinkedHashSet<>();
        for (FleetEvent.Vm vm : vms) {
            Map<String, Object> v = new LinkedHashMap<>();
            String resourceId = nz(vm.resourceId());
            boolean linkable = RESOURCE_ID.matcher(resourceId).matches();
            v.put("name", nz(vm.name()));
            v.put("resourceGroup", nz(vm.resourceGroup()));
            v.put("subscriptionId", nz(vm.subscriptionId()));
            v.put("resourceId", resourceId);
            v.put("status", vm.status() == null ? "not reported by its agent" : vm.status());
            v.put("reportedAt", nz(vm.reportedAt()));
            v.put("portalLink", linkable ? portalUrl + "/#resource" + resourceId : "");
            v.put("hasPortalLink", linkable);
            vmViews.add(v);
            groups.add(nz(vm.resourceGroup()).toLowerCase(Locale.ROOT));
        }
        view.put("vms", vmViews);
        view.put("vmCount", vms.size());
        view.put("vmNames", String.join(", ", vms.stream().map(v -> nz(v.name())).toList()));
        view.put("cardVms", String.join(", ", vms.stream().limit(MAX_VMS_IN_CARD).map(v -> nz(v.name())).toList()));
        view.put("cardVmsMore", vms.size() > MAX_VMS_IN_CARD ? " and " + (vms.size() - MAX_VMS_IN_CARD) + " more"
                : "");
        List<String> reportedBy = event.reportedBy() == null ? List.of() : event.reportedBy();
        view.put("reportedBy", reportedBy.isEmpty() ? "no agent" : String.join(", ", reportedBy));
        view.put("reportedCount", reportedBy.size());
        List<String> sources = event.sources() == null ? List.of() : event.sources();
        view.put("sources", String.join(", ", sources));
        view.put("firstSeen", nz(event.firstSeen()));
        view.put("lastSeen", nz(event.lastSeen()));
        view.put("eventJson", eventJson(event));

        // "[Scheduled] Freeze of 20 VMs not before 2026-12-01 10:15 UTC (rg-web)"; a returned event's notice must
        // not read like a repeat of the first one: "[Scheduled again] ..."
        StringBuilder subject = new StringBuilder("[").append(status).append(occurrence > 1 ? " again" : "")
                .append("] ").append(type.isEmpty() ? "Event" : type).append(" of ")
                .append(vms.size() == 1 ? nz(vms.get(0).name()) : vms.size() + " VMs");
        if (notBefore != null && ("Scheduled".equals(status) || "Started".equals(status))) {
            subject.append(" not before ").append(SUBJECT_WHEN.format(notBefore));
        }
        if (groups.size() == 1 && !groups.iterator().next().isEmpty()) {
            subject.append(" (").append(vms.get(0).resourceGroup()).append(')');
        }
        view.put("subject", TransitionView.singleLine(subject.toString(), MAX_SUBJECT_CHARS));
        return view;
    }

    /**
     * The event as the API shows it (without history), for {@code {{{eventJson}}}}: Jackson writes valid JSON, and
     * {@code < > &} (which occur only inside strings) are escaped so it stays inert in a receiver that embeds it in
     * HTML.
     */
    static String eventJson(FleetEvent event) {
        FleetEvent current = new FleetEvent(event.eventId(), event.eventType(), event.eventStatus(),
                event.notBeforeUtc(), event.durationInSeconds(), event.description(), event.eventSource(),
                event.resourceType(), event.occurrence(), event.vms(), event.reportedBy(), event.sources(),
                event.firstSeen(), event.lastSeen(), event.approval(), null);
        try {
            return MAPPER.writeValueAsString(current).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fleet event cannot be written as JSON", e);
        }
    }

    static String timeLeft(Duration left) {
        long minutes = Math.max(0, left.toSeconds()) / 60;
        if (left.isNegative() || left.isZero()) {
            return "0 min";
        }
        if (minutes < 120) {
            return minutes + " min";
        }
        return minutes / 60 + " h " + minutes % 60 + " min";
    }

    private static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String nz(String text) {
        return text == null ? "" : text;
    }
}
