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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import scheduledevents.record.RecordKey;

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

    private static final Map<String, String> TYPES = Map.of(
            "Freeze", "The VM will be paused for a few seconds (memory, disks and network connections are kept) "
                    + "while its host is updated or it is live-migrated.",
            "Reboot", "The VM will be restarted: memory is lost, disks are kept.",
            "Redeploy", "The VM will be moved to another host and restarted: memory and the temporary disk are "
                    + "lost, managed disks are kept.",
            "Preempt", "This Spot VM is being evicted: it will be deallocated or deleted.",
            "Terminate", "This scale-set instance is being deleted.");
    private static final Map<String, String> STATUSES = Map.of(
            "Scheduled", "Announced: it will not start before the time below (unless approved earlier).",
            "Started", "In progress now.",
            "Completed", "Over: the event is no longer listed by Azure.",
            "Canceled", "Canceled: the event was withdrawn before it started.");

    private TransitionView() {
    }

    /** The view of one record (the JSON line a sink queue holds), with the time left counted from {@code clock}. */
    public static Map<String, Object> of(String recordJson, Clock clock, String portalUrl) throws IOException {
        JsonNode record = MAPPER.readTree(recordJson);
        if (record == null || !record.isObject()) {
            throw new IOException("record is not a JSON object");
        }
        Map<String, Object> view = new LinkedHashMap<>();
        String type = text(record, "EventType");
        String status = text(record, "EventStatus");
        view.put("eventId", text(record, "EventId"));
        view.put("eventType", type);
        view.put("eventTypeExplained", TYPES.getOrDefault(type, "An event type this agent does not know: "
                + "see the Azure Scheduled Events documentation."));
        view.put("eventStatus", status);
        int occurrence = RecordKey.occurrenceOf(record);
        view.put("eventStatusExplained", STATUSES.getOrDefault(status, "A status this agent does not know.")
                + (occurrence > 1 ? " The event is back: it had been reported over (occurrence " + occurrence + ")."
                : ""));
        view.put("scheduled", "Scheduled".equals(status));
        view.put("occurrence", occurrence);
        view.put("returned", occurrence > 1);

        Instant notBefore = instant(text(record, "NotBeforeUtc"));
        Instant now = clock.instant();
        view.put("notBeforeRaw", text(record, "NotBefore"));
        view.put("hasNotBefore", notBefore != null);
        view.put("notBeforeUtc", notBefore == null ? "" : WHEN.format(notBefore));
        view.put("timeLeft", notBefore == null ? "" : timeLeft(Duration.between(now, notBefore)));

        JsonNode duration = record.get("DurationInSeconds");
        view.put("impact", impact(duration));
        String source = text(record, "EventSource");
        view.put("eventSource", source.isEmpty() ? "not reported" : source);
        view.put("description", text(record, "Description"));
        List<String> resources = new ArrayList<>();
        record.path("Resources").forEach(r -> resources.add(r.asText()));
        view.put("resources", String.join(", ", resources));

        JsonNode vm = record.path("Vm");
        String vmName = text(vm, "Name");
        String resourceId = text(vm, "ResourceId");
        view.put("vmName", vmName.isEmpty() ? "unknown" : vmName);
        view.put("vmResourceId", resourceId);
        view.put("vmId", text(vm, "VmId"));
        view.put("vmLocation", text(vm, "Location"));
        view.put("vmScaleSet", text(vm, "VmScaleSetName"));
        boolean linkable = RESOURCE_ID.matcher(resourceId).matches();
        view.put("portalLink", linkable ? portalUrl + "/#resource" + resourceId : "");
        view.put("hasPortalLink", linkable);
        JsonNode affects = record.get("AffectsThisVm");
        view.put("affectsThisVm", affects == null || affects.isNull() ? "unknown" : affects.asText());
        view.put("observedAt", text(record, "ObservedAt"));
        view.put("rawJson", MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(record));
        // < > & only occur inside strings in JSON, so escaping them keeps the same JSON and makes it inert in HTML
        view.put("recordJson", MAPPER.writeValueAsString(record).replace("<", "\\u003c").replace(">", "\\u003e")
                .replace("&", "\\u0026"));

        String target = subjectTarget(record, vmName, resources);
        // a returned event's notice must not read like a repeat of the first one: "[Scheduled again] ..."
        StringBuilder subject = new StringBuilder("[").append(status).append(occurrence > 1 ? " again" : "")
                .append("] ").append(type).append(" of ").append(target);
        if ("Scheduled".equals(status) && notBefore != null) {
            subject.append(' ').append(timeLeftPhrase(Duration.between(now, notBefore))).append(" (")
                    .append(SHORT_WHEN.format(notBefore)).append(')');
        }
        view.put("subject", singleLine(subject.toString(), MAX_SUBJECT_CHARS));
        view.put("summary", view.get("subject"));
        return view;
    }

    /** This VM when the event names it, else the VMs the event names. */
    private static String subjectTarget(JsonNode record, String vmName, List<String> resources) {
        JsonNode affects = record.get("AffectsThisVm");
        boolean thisVm = affects == null || affects.isNull() || affects.asBoolean();
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

    private static String impact(JsonNode duration) {
        if (duration == null || duration.isNull() || !duration.canConvertToInt()) {
            return "unknown";
        }
        int seconds = duration.asInt();
        if (seconds < 0) {
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

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString();
    }
}
