package scheduledevents.responder.intake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import scheduledevents.imds.NotBeforeParser;
import scheduledevents.record.RecordKey;

/**
 * Reads one Event Grid webhook delivery into {@link FleetReport}s: the Event Grid schema (an array of events) and
 * CloudEvents 1.0 (one event, or a batch as an array), from the three sources (agents' records, Azure's platform
 * topic, the seed script), and Event Grid's subscription validation event.
 *
 * <p>Every text is untrusted: it is kept as received (capped at {@link #MAX_TEXT_CHARS} characters with
 * {@link #TRUNCATED} at the end) and never interpreted. An event of a batch that cannot be used becomes one line of
 * {@link Delivery#ignored()} (no event text in it but a sanitised short id) and the others are kept; only a body that
 * is not JSON, or not an event or an array of events, is refused as a whole ({@link BadDeliveryException}).
 *
 * <p>Thread-safe: one instance serves every delivery.
 */
public class DeliveryParser {
    /** Longest text kept of any field; longer ones end in {@link #TRUNCATED}. */
    public static final int MAX_TEXT_CHARS = 4096;
    /** Most VMs kept of one report's {@code Resources} (IMDS names a few; an availability set at most 200). */
    public static final int MAX_VMS = 1000;
    /** Most events read of one delivery (Event Grid batches at most 5,000). */
    public static final int MAX_EVENTS = 5000;
    /** What a capped text ends with. */
    public static final String TRUNCATED = "...[truncated]";
    /** How far past its receipt a report's time may lie (clock skew) before it is taken as received instead. */
    static final Duration MAX_FUTURE = Duration.ofHours(1);

    static final String AGENT_OR_SEED_TYPE = "ScheduledEvent";
    static final String PLATFORM_TYPE = "Microsoft.ResourceNotifications.MaintenanceResources.ScheduledEventEmitted";
    static final String VALIDATION_TYPE = "Microsoft.EventGrid.SubscriptionValidationEvent";
    private static final int MAX_SHOWN_ID_CHARS = 64;
    private static final String VM_PROVIDER = "providers/Microsoft.Compute/virtualMachines/";

    /** ISO 8601 date-time with an offset as +00:00, +0000 or Z, or none (= UTC): the seed script writes +0000. */
    private static final DateTimeFormatter EVENT_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT);

    /**
     * The last few Resources lists read (names as sent -> the VMs): one event's 1,000 agents all send the same list of
     * 1,000 names, so each report after the first shares the list made for it instead of making its own.
     */
    private final Map<List<String>, List<VmRef>> recentLists = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, List<VmRef>> eldest) {
            return size() > 32;
        }
    };
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * @param body        the request body as received
     * @param contentType the Content-Type header, or null: {@code application/cloudevents+json} and
     *                    {@code application/cloudevents-batch+json} mean CloudEvents; otherwise each event's shape
     *                    tells ({@code specversion} = CloudEvents)
     * @param receivedAt  when the responder received the delivery: the reports' time when the event has none
     * @throws BadDeliveryException when the body is empty, not JSON, or not an event or an array of events
     */
    public Delivery parse(byte[] body, String contentType, Instant receivedAt) throws BadDeliveryException {
        if (body == null || body.length == 0) {
            throw new BadDeliveryException("the body is empty: expected an event or an array of events");
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            throw new BadDeliveryException("the body is not JSON" + where(e));
        } catch (IOException e) {
            throw new BadDeliveryException("the body could not be read as JSON");
        }
        if (root == null || root.isMissingNode()) {
            throw new BadDeliveryException("the body is empty: expected an event or an array of events");
        }
        boolean cloudEvents = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("cloudevents");
        Batch batch = new Batch(receivedAt == null ? Instant.now() : receivedAt, cloudEvents);
        if (root.isObject()) {
            if (!root.has("eventType") && !root.has("type")) {
                throw new BadDeliveryException("the body is a JSON object without eventType or type:"
                        + " expected an event or an array of events");
            }
            batch.read(root, 1, 1);
        } else if (root.isArray()) {
            int total = root.size();
            for (int i = 0; i < total && i < MAX_EVENTS; i++) {
                batch.read(root.get(i), i + 1, total);
            }
            if (total > MAX_EVENTS) {
                batch.ignored.add("events " + (MAX_EVENTS + 1) + " to " + total + " of " + total
                        + ": more than " + MAX_EVENTS + " events in one delivery; ignored");
            }
        } else {
            throw new BadDeliveryException("the body is JSON but " + kind(root)
                    + ", not an event or an array of events");
        }
        return new Delivery(batch.validationCode, batch.reports, batch.ignored);
    }

    /** The events of one delivery, read one by one. */
    private final class Batch {
        final Instant receivedAt;
        final boolean cloudEventsContent;
        final List<FleetReport> reports = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();
        String validationCode;

        Batch(Instant receivedAt, boolean cloudEventsContent) {
            this.receivedAt = receivedAt;
            this.cloudEventsContent = cloudEventsContent;
        }

        void read(JsonNode event, int position, int total) {
            String where = "event " + position + " of " + total;
            if (event == null || !event.isObject()) {
                ignored.add(where + ": is " + kind(event) + ", not an event object; ignored");
                return;
            }
            where += " (id " + shownId(event.get("id")) + ")";
            try {
                FleetReport report = report(event, where);
                if (report != null) {
                    reports.add(report);
                }
            } catch (Unusable e) {
                ignored.add(where + ": " + e.getMessage() + "; ignored");
            } catch (RuntimeException e) {
                // a shape nobody foresaw must cost this event only, never the batch; the message may quote text
                ignored.add(where + ": could not be read (" + e.getClass().getSimpleName() + "); ignored");
            }
        }

        /** @return the report, or null for the validation event (its code kept) */
        private FleetReport report(JsonNode event, String where) throws Unusable {
            // the shape decides; the content type only for an event that shows neither schema's marker
            boolean cloudEvent = event.has("specversion") || (cloudEventsContent && !event.has("eventType"));
            Envelope envelope = cloudEvent
                    ? new Envelope(text(event, "type"), text(event, "id"), text(event, "subject"),
                            text(event, "source"), text(event, "time"), event.get("data"))
                    : new Envelope(text(event, "eventType"), text(event, "id"), text(event, "subject"),
                            null, text(event, "eventTime"), event.get("data"));
            if (envelope.type == null) {
                throw new Unusable(cloudEvent ? "no type" : "no eventType");
            }
            if (envelope.data == null || envelope.data.isNull()) {
                throw new Unusable(cloudEvent && event.has("data_base64") ? "data_base64 is not read, only JSON data"
                        : "no data");
            }
            if (!envelope.data.isObject()) {
                throw new Unusable("data is " + kind(envelope.data) + ", not an object");
            }
            if (envelope.type.equalsIgnoreCase(VALIDATION_TYPE)) {
                String code = text(envelope.data, "validationCode");
                if (code == null || code.isBlank()) {
                    throw new Unusable("a validation event without validationCode");
                }
                if (validationCode == null) {
                    validationCode = cap(code);
                }
                return null;
            }
            if (envelope.type.equalsIgnoreCase(PLATFORM_TYPE)) {
                return platform(envelope);
            }
            if (envelope.type.equalsIgnoreCase(AGENT_OR_SEED_TYPE)) {
                JsonNode data = envelope.data;
                boolean agent = data.has("ObservedAt") || data.has("DocumentIncarnation") || data.has("Vm");
                return agent ? agent(envelope) : seedScript(envelope);
            }
            throw new Unusable("event type not handled (expected ScheduledEvent or "
                    + "...MaintenanceResources.ScheduledEventEmitted)");
        }

        private FleetReport agent(Envelope envelope) throws Unusable {
            JsonNode data = envelope.data;
            JsonNode vm = data.path("Vm");
            VmRef fromSender = senderVm(envelope);
            String name = firstNonNull(cap(nonBlank(text(vm, "Name"))), fromSender == null ? null : fromSender.name());
            VmRef reporter = null;
            if (name != null) {
                String resourceId = firstNonNull(cap(nonBlank(text(vm, "ResourceId"))),
                        fromSender != null && name.equalsIgnoreCase(fromSender.name()) ? fromSender.resourceId() : null);
                ArmId arm = ArmId.parse(resourceId);
                reporter = new VmRef(name, resourceId,
                        firstNonNull(cap(nonBlank(text(vm, "ResourceGroupName"))), arm == null ? null : arm.resourceGroup),
                        firstNonNull(cap(nonBlank(text(vm, "SubscriptionId"))), arm == null ? null : arm.subscription));
            }
            Instant observed = firstTime(text(data, "ObservedAt"), envelope.time);
            return imdsReport(ReportSource.AGENT, envelope, data, vms(data, null), reporter,
                    RecordKey.occurrenceOf(data), observed);
        }

        private FleetReport seedScript(Envelope envelope) throws Unusable {
            VmRef reporter = senderVm(envelope);
            return imdsReport(ReportSource.SEED_SCRIPT, envelope, envelope.data,
                    vms(envelope.data, null), reporter, 1, firstTime(envelope.time));
        }

        private FleetReport platform(Envelope envelope) throws Unusable {
            JsonNode info = envelope.data.get("resourceInfo");
            if (info == null || !info.isObject()) {
                throw new Unusable("data.resourceInfo is missing or not an object");
            }
            JsonNode properties = info.get("properties");
            if (properties == null || !properties.isObject()) {
                throw new Unusable("data.resourceInfo.properties is missing or not an object");
            }
            ArmId fromId = ArmId.parse(text(info, "id"));
            ArmId fromSubject = ArmId.parse(envelope.subject);
            ArmId arm = firstNonNull(fromId, fromSubject);
            // Azure publishes one notification per resource: which one tells two VMs' notifications apart
            String publishedOn = firstNonNull(fromId == null ? null : fromId.resourcePath,
                    fromSubject == null ? null : fromSubject.resourcePath);
            return imdsReport(ReportSource.PLATFORM, envelope, properties, vms(properties, arm), null, 1,
                    firstTime(envelope.time), cap(publishedOn));
        }

        private FleetReport imdsReport(ReportSource source, Envelope envelope, JsonNode imds, List<VmRef> vms,
                                       VmRef reporter, int occurrence, Instant observedAt) throws Unusable {
            return imdsReport(source, envelope, imds, vms, reporter, occurrence, observedAt, null);
        }

        private FleetReport imdsReport(ReportSource source, Envelope envelope, JsonNode imds, List<VmRef> vms,
                                       VmRef reporter, int occurrence, Instant observedAt, String publishedOn)
                throws Unusable {
            JsonNode idNode = imds.get("EventId");
            if (idNode == null || idNode.isNull()) {
                throw new Unusable("no EventId");
            }
            if (!idNode.isTextual() || idNode.asText().isBlank()) {
                throw new Unusable("EventId is not a non-empty text");
            }
            String status = status(text(imds, "EventStatus"));
            if (status == null) {
                throw new Unusable(imds.has("EventStatus") ? "EventStatus is not Scheduled, Started, Completed or"
                        + " Canceled" : "no EventStatus");
            }
            return new FleetReport(source, cap(envelope.id), cap(idNode.asText()), cap(scalar(imds, "EventType")),
                    status, notBefore(text(imds, "NotBefore")), duration(imds.get("DurationInSeconds")),
                    cap(scalar(imds, "Description")), cap(scalar(imds, "EventSource")),
                    cap(scalar(imds, "ResourceType")), vms, reporter, occurrence, observedAt, publishedOn);
        }

        /** The first of the times that reads, not far in the future; else the receipt. */
        private Instant firstTime(String... candidates) {
            for (String candidate : candidates) {
                Instant time = eventTime(candidate);
                if (time != null && !time.isAfter(receivedAt.plus(MAX_FUTURE))) {
                    return time;
                }
            }
            return receivedAt;
        }
    }

    /**
     * The VM that sent an event, from its envelope: the last path segment of the subject (the seed script's
     * {@code metadatademo/demovm}, the agent's resource id or name), else of the CloudEvents source; its resource id
     * when the subject or source is that VM's resource id.
     */
    private static VmRef senderVm(Envelope envelope) {
        String name = firstNonNull(lastSegment(envelope.subject), lastSegment(envelope.source));
        if (name == null) {
            return null;
        }
        for (String candidate : new String[] {envelope.subject, envelope.source}) {
            ArmId arm = ArmId.parse(candidate);
            if (arm != null && arm.vmName != null && arm.vmName.equalsIgnoreCase(name)) {
                return new VmRef(cap(name), cap(candidate), cap(arm.resourceGroup), cap(arm.subscription));
            }
        }
        return new VmRef(cap(name), null, null, null);
    }

    /**
     * The VMs of {@code Resources}, each once (names compared case-insensitively), at most {@link #MAX_VMS}: with a
     * resource id rebuilt from {@code arm}'s subscription and resource group (the platform topic), or the reporter's
     * own ids for the reporter's entry.
     */
    /**
     * The VMs an event names, by name only unless the platform's resource id lets one rebuild theirs (and, when it
     * names a scale set, gives each VM the scale set's id, on which Azure acknowledges the event). An agent's own
     * details travel as the report's reporter, not in this list: then 1,000 agents reporting one event give equal
     * lists, which the cache below makes one shared list and the store merges once.
     */
    private List<VmRef> vms(JsonNode imds, ArmId arm) {
        JsonNode resources = imds.get("Resources");
        List<String> names = new ArrayList<>();
        if (resources != null && resources.isArray()) {
            for (JsonNode n : resources) {
                if (n.isValueNode() && !n.isNull()) {
                    names.add(n.asText());
                }
            }
        } else if (resources != null && resources.isValueNode() && !resources.isNull()) {
            names.add(resources.asText());
        }
        if (arm == null) {
            synchronized (recentLists) {
                List<VmRef> known = recentLists.get(names);
                if (known != null) {
                    return known;
                }
            }
        }
        Map<String, VmRef> vms = new LinkedHashMap<>();
        for (String raw : names) {
            if (vms.size() >= MAX_VMS) {
                break;
            }
            if (raw.isBlank()) {
                continue;
            }
            String name = cap(raw);
            VmRef vm;
            if (arm != null) {
                // published on a scale set: Azure acknowledges it there, so each VM keeps the scale set's id
                vm = new VmRef(name, arm.vmResourceId(name), cap(arm.resourceGroup), cap(arm.subscription),
                        cap(arm.scaleSetPath));
            } else {
                vm = new VmRef(name, null, null, null);
            }
            vms.putIfAbsent(vm.key(), vm);
        }
        List<VmRef> list = List.copyOf(vms.values());
        if (arm == null) {
            synchronized (recentLists) {
                recentLists.put(names, list);
            }
        }
        return list;
    }

    /** The four statuses in their spelling, matched case-insensitively; null for anything else. */
    static String status(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "scheduled" -> "Scheduled";
            case "started" -> "Started";
            case "completed" -> "Completed";
            case "canceled", "cancelled" -> "Canceled";
            default -> null;
        };
    }

    /** NotBefore as IMDS writes it (RFC 1123 or ISO); null when empty or unreadable (kept without a start time). */
    static Instant notBefore(String text) {
        if (text == null || text.length() > 100) {
            return null;
        }
        // every agent of an event sends the same NotBefore: parse it once (the RFC 1123 formatter is not cheap)
        ParsedTime last = lastNotBefore;
        if (last != null && last.text.equals(text)) {
            return last.instant;
        }
        try {
            Instant instant = NotBeforeParser.parse(text);
            lastNotBefore = new ParsedTime(text, instant);
            return instant;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private record ParsedTime(String text, Instant instant) {
    }

    private static volatile ParsedTime lastNotBefore;

    /** An envelope or record time in ISO 8601 (offset optional, read as UTC); null when absent or unreadable. */
    static Instant eventTime(String text) {
        if (text == null || text.isBlank() || text.length() > 100) {
            return null;
        }
        try {
            TemporalAccessor parsed = EVENT_TIME.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
            return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Integer duration(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isTextual()) {
            try {
                return Integer.valueOf(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** Keeps a text as received, cut at {@link #MAX_TEXT_CHARS} with {@link #TRUNCATED} (never inside a pair). */
    static String cap(String text) {
        if (text == null || text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = MAX_TEXT_CHARS - TRUNCATED.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + TRUNCATED;
    }

    /**
     * An id fit for a log line or an error: up to 64 characters of letters, digits and {@code . _ : -}; any other
     * character shows as {@code ?}. "none" when the event has no textual id.
     */
    static String shownId(JsonNode id) {
        if (id == null || !id.isValueNode() || id.isNull() || id.asText().isEmpty()) {
            return "none";
        }
        String text = id.asText();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < MAX_SHOWN_ID_CHARS; i++) {
            char c = text.charAt(i);
            boolean safe = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == ':' || c == '-');
            out.append(safe ? c : '?');
        }
        if (text.length() > MAX_SHOWN_ID_CHARS) {
            out.append("...");
        }
        return out.toString();
    }

    private static String where(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "of another kind";
        };
    }

    /** A textual member, null when absent, null or not text. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    /** A member that is text, a number or a boolean, as text; null otherwise (objects are not flattened). */
    private static String scalar(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static String nonBlank(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static String lastSegment(String path) {
        if (path == null) {
            return null;
        }
        String trimmed = path.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        // the agent's stand-in when it knows no VM: no reporter rather than a VM of that name
        return last.isBlank() || last.equals("unknown-vm") ? null : last;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /** The members of an event's envelope that both schemas have, under one name. */
    private record Envelope(String type, String id, String subject, String source, String time, JsonNode data) {
    }

    /** Why one event of a delivery is not used: a message with no event text. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The parts of an Azure resource id this needs: subscription and resource group (segment names matched
     * case-insensitively, values and the path's case kept as received), and the VM name when it names a VM.
     */
    static final class ArmId {
        final String subscription;
        final String resourceGroup;
        /** {@code /subscriptions/<sub>/resourceGroups/<rg>/} exactly as received */
        final String prefix;
        final String vmName;
        /** the received path up to and including the VM name, when it names a VM */
        final String vmPath;
        /** the received path up to and including the scale set's name, when it names a scale set or its instance */
        final String scaleSetPath;
        /**
         * the received path up to and including the name of the resource it names (a VM, a scale set, a scale-set
         * instance), without an extension resource under it ({@code /providers/microsoft.maintenance/...}); null
         * when it names no resource
         */
        final String resourcePath;

        private ArmId(String subscription, String resourceGroup, String prefix, String vmName, String vmPath,
                String scaleSetPath, String resourcePath) {
            this.subscription = subscription;
            this.resourceGroup = resourceGroup;
            this.prefix = prefix;
            this.vmName = vmName;
            this.vmPath = vmPath;
            this.scaleSetPath = scaleSetPath;
            this.resourcePath = resourcePath;
        }

        static ArmId parse(String id) {
            if (id == null || id.length() > MAX_TEXT_CHARS || !id.startsWith("/")) {
                return null;
            }
            String[] parts = id.split("/", -1);
            // "", "subscriptions", sub, "resourceGroups", rg, ...
            if (parts.length < 5 || !parts[1].equalsIgnoreCase("subscriptions")
                    || !parts[3].equalsIgnoreCase("resourceGroups") || parts[2].isBlank() || parts[4].isBlank()) {
                return null;
            }
            String prefix = "/" + parts[1] + "/" + parts[2] + "/" + parts[3] + "/" + parts[4] + "/";
            String vmName = null;
            String vmPath = null;
            String scaleSetPath = null;
            if (parts.length >= 9 && parts[5].equalsIgnoreCase("providers")
                    && parts[6].equalsIgnoreCase("Microsoft.Compute") && !parts[8].isBlank()) {
                String path = prefix + parts[5] + "/" + parts[6] + "/" + parts[7] + "/" + parts[8];
                if (parts[7].equalsIgnoreCase("virtualMachines")) {
                    vmName = parts[8];
                    vmPath = path;
                } else if (parts[7].equalsIgnoreCase("virtualMachineScaleSets")) {
                    scaleSetPath = path;
                }
            }
            return new ArmId(parts[2], parts[4], prefix, vmName, vmPath, scaleSetPath, resourcePath(prefix, parts));
        }

        /** providers/NS/type/name[/childType/childName...] up to the next "providers" (an extension resource). */
        private static String resourcePath(String prefix, String[] parts) {
            if (parts.length < 9 || !parts[5].equalsIgnoreCase("providers")) {
                return null;
            }
            int end = 6;
            while (end < parts.length && !parts[end].equalsIgnoreCase("providers") && !parts[end].isBlank()) {
                end++;
            }
            // namespace, then type/name pairs
            if (end < 9 || (end - 6) % 2 != 1) {
                return null;
            }
            return prefix + String.join("/", Arrays.asList(parts).subList(5, end));
        }

        /**
         * The resource id of the VM {@code name} in this id's resource group: this id's own VM path when it names
         * that VM, else rebuilt; null for a name that would change the path ({@code /}).
         */
        String vmResourceId(String name) {
            if (name.indexOf('/') >= 0 || name.length() > 200) {
                return null;
            }
            if (vmName != null && vmName.equalsIgnoreCase(name)) {
                return vmPath;
            }
            return cap(prefix + VM_PROVIDER + name);
        }
    }
}
