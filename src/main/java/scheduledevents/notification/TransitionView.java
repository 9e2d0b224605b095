package scheduledevents.notification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import scheduledevents.record.EventStatus;
import scheduledevents.record.EventType;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;

/**
 * What a notification says about one transition record, as plain values for a template: the event type explained,
 * when (UTC and time left), expected impact, source, the VM and a portal link, and the raw record. Every value is
 * the untrusted text as received (or derived from it); escaping is the template engine's job ({@link Templates}),
 * except for the subject line, which is made single-line here.
 */
public final class TransitionView {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm 'UTC'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHORT_WHEN = DateTimeFormatter.ofPattern("EEE HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** An Azure resource id the portal can open; anything else gets no link. */
    private static final Pattern RESOURCE_ID = Pattern.compile(
            "/subscriptions/[0-9A-Za-z-]{1,64}/resourceGroups/[0-9A-Za-z._()-]{1,90}/providers/[0-9A-Za-z./_-]{1,400}");
    private static final int MAX_SUBJECT_CHARS = 200;
    private static final int MAX_RESOURCES_IN_SUBJECT = 3;

    private static final Map<EventType, String> TYPES = new EnumMap<>(Map.of(
            EventType.FREEZE, "The VM will be paused for a few seconds (memory, disks and network connections are "
                    + "kept) while its host is updated or it is live-migrated.",
            EventType.REBOOT, "The VM will be restarted: memory is lost, disks are kept.",
            EventType.REDEPLOY, "The VM will be moved to another host and restarted: memory and the temporary disk "
                    + "are lost, managed disks are kept.",
            EventType.PREEMPT, "This Spot VM is being evicted: it will be deallocated or deleted.",
            EventType.TERMINATE, "This scale-set instance is being deleted.",
            EventType.OTHER, "An event type this agent does not know: see the Azure Scheduled Events documentation."));
    private static final Map<EventStatus, String> STATUSES = new EnumMap<>(Map.of(
            EventStatus.SCHEDULED, "Announced: it will not start before the time below (unless approved earlier).",
            EventStatus.STARTED, "In progress now.",
            EventStatus.COMPLETED, "Over: the event is no longer listed by Azure.",
            EventStatus.CANCELED, "Canceled: the event was withdrawn before it started.",
            EventStatus.OTHER, "A status this agent does not know."));

    private TransitionView() {
    }

    /** The view of one record (the JSON line a sink queue holds), with the time left counted from {@code clock}. */
    public static Map<String, Object> of(String recordJson, Clock clock, String portalUrl) throws IOException {
        JsonNode tree = MAPPER.readTree(recordJson);
        if (tree == null || !tree.isObject()) {
            throw new IOException("record is not a JSON object");
        }
        TransitionRecord record = TransitionRecord.from(tree);
        Map<String, Object> view = new LinkedHashMap<>();
        String type = text(record.eventType());
        String status = text(record.eventStatus());
        view.put("eventId", text(record.eventId()));
        view.put("eventType", type);
        view.put("eventTypeExplained", TYPES.get(record.type()));
        view.put("eventStatus", status);
        int occurrence = record.occurrence();
        view.put("eventStatusExplained", STATUSES.get(record.status())
                + (occurrence > 1 ? " The event is back: it had been reported over (occurrence " + occurrence + ")."
                : ""));
        boolean scheduled = record.status() == EventStatus.SCHEDULED;
        view.put("scheduled", scheduled);
        view.put("occurrence", occurrence);
        view.put("returned", occurrence > 1);

        Instant notBefore = instant(text(record.notBeforeUtc()));
        Instant now = clock.instant();
        view.put("notBeforeRaw", text(record.notBefore()));
        view.put("hasNotBefore", notBefore != null);
        view.put("notBeforeUtc", notBefore == null ? "" : WHEN.format(notBefore));
        view.put("timeLeft", notBefore == null ? "" : timeLeft(Duration.between(now, notBefore)));

        view.put("impact", impact(record.durationInSeconds()));
        String source = text(record.eventSource());
        view.put("eventSource", source.isEmpty() ? "not reported" : source);
        view.put("description", text(record.description()));
        List<String> resources = record.resources();
        view.put("resources", String.join(", ", resources));

        VmIdentity vm = record.vm();
        String vmName = text(vm.name());
        String resourceId = text(vm.resourceId());
        view.put("vmName", vmName.isEmpty() ? "unknown" : vmName);
        view.put("vmResourceId", resourceId);
        view.put("vmId", text(vm.vmId()));
        view.put("vmLocation", text(vm.location()));
        view.put("vmScaleSet", text(vm.vmScaleSetName()));
        boolean linkable = RESOURCE_ID.matcher(resourceId).matches();
        view.put("portalLink", linkable ? portalUrl + "/#resource" + resourceId : "");
        view.put("hasPortalLink", linkable);
        Boolean affects = record.affectsThisVm();
        view.put("affectsThisVm", affects == null ? "unknown" : affects.toString());
        view.put("observedAt", text(record.observedAt()));
        // the record as queued, fields the agent does not know included
        view.put("rawJson", MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
        // < > & only occur inside strings in JSON, so escaping them keeps the same JSON and makes it inert in HTML
        view.put("recordJson", MAPPER.writeValueAsString(tree).replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026"));

        String target = subjectTarget(affects == null || affects, vmName, resources);
        // a returned event's notice must not read like a repeat of the first one: "[Scheduled again] ..."
        StringBuilder subject = new StringBuilder("[").append(status).append(occurrence > 1 ? " again" : "")
                .append("] ").append(type).append(" of ").append(target);
        if (scheduled && notBefore != null) {
            subject.append(' ').append(timeLeftPhrase(Duration.between(now, notBefore))).append(" (")
                    .append(SHORT_WHEN.format(notBefore)).append(')');
        }
        view.put("subject", singleLine(subject.toString(), MAX_SUBJECT_CHARS));
        view.put("summary", view.get("subject"));
        return view;
    }

    /** This VM when the event names it (or nobody knows), else the VMs the event names. */
    private static String subjectTarget(boolean thisVm, String vmName, List<String> resources) {
        if (thisVm && !vmName.isEmpty()) {
            return vmName;
        }
        if (resources.isEmpty()) {
            return vmName.isEmpty() ? "this VM" : vmName;
        }
        String shown = String.join(", ", resources.subList(0, Math.min(MAX_RESOURCES_IN_SUBJECT, resources.size())));
        int more = resources.size() - MAX_RESOURCES_IN_SUBJECT;
        return more > 0 ? shown + " and " + more + " more" : shown;
    }

    static String timeLeftPhrase(Duration left) {
        return left.isNegative() || left.isZero() ? "now" : "in " + timeLeft(left);
    }

    static String timeLeft(Duration left) {
        long seconds = Math.max(0, left.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = (seconds + 30) / 60;
        if (minutes < 120) {
            return minutes + " min";
        }
        return minutes / 60 + " h " + minutes % 60 + " min";
    }

    private static String impact(Integer seconds) {
        if (seconds == null || seconds < 0) {
            return "unknown";
        }
        return seconds == 0 ? "none expected" : "about " + seconds + " s";
    }

    /**
     * One line of at most {@code max} characters: every control character (CR, LF, TAB, NUL, ...) and Unicode line
     * or paragraph separator becomes a space, so untrusted text cannot start a new mail header.
     */
    public static String singleLine(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return out.toString().strip();
    }

    private static Instant instant(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(String field) {
        return field == null ? "" : field;
    }
}
