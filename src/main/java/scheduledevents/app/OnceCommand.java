package scheduledevents.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import scheduledevents.imds.ImdsClient;
import scheduledevents.imds.ImdsException;
import scheduledevents.imds.MalformedDocumentException;
import scheduledevents.imds.RequestBudget;
import scheduledevents.imds.ScheduledEventsParser;
import scheduledevents.record.ScheduledEventsDocument;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.settings.SettingsReader;

/**
 * {@code --once}: one poll, the normalised document on stdout as JSON, exit 0; or one line on stderr and exit 1.
 * For checking a VM by hand ("does IMDS answer here, what does it say") and for scripts.
 */
public final class OnceCommand {
    private OnceCommand() {
    }

    public static int run(Path config, PrintStream out, PrintStream err) {
        AgentSettings settings = settings(config);
        ImdsClient client = new ImdsClient(settings.imdsUrl(), settings.imdsApiVersion(),
                settings.imdsConnectTimeout(), settings.imdsTimeout(),
                new RequestBudget(settings.imdsMaxRequestsPerSecond()));
        VmIdentity vm = VmIdentity.UNKNOWN;
        try {
            vm = client.instanceCompute();
        } catch (ImdsException e) {
            err.println("scheduled-events-agent: note: instance metadata unavailable (" + e.getMessage() + ")");
        }
        if (!settings.vmName().isEmpty()) {
            vm = vm.withName(settings.vmName());
        }
        ScheduledEventsDocument doc;
        try {
            doc = new ScheduledEventsParser().parse(client.scheduledEvents(settings.imdsFirstRequestTimeout()));
        } catch (ImdsException | MalformedDocumentException e) {
            err.println("scheduled-events-agent: " + e.getMessage());
            return 1;
        }
        doc.problems().forEach(p -> err.println("scheduled-events-agent: note: " + p));
        Instant now = Instant.now();
        VmIdentity identity = vm;
        List<TransitionRecord> events = doc.events().stream()
                .map(e -> TransitionRecord.of(e, doc.documentIncarnation(), now, identity.name(), identity, null))
                .toList();
        Map<String, Object> normalised = new LinkedHashMap<>();
        normalised.put("DocumentIncarnation", doc.documentIncarnation());
        normalised.put("ObservedAt", now.toString());
        normalised.put("Vm", identity);
        normalised.put("Events", events);
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(normalised));
        } catch (Exception e) {
            err.println("scheduled-events-agent: cannot print the document: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** The same settings the agent would use: Camel's properties component, so environment overrides match. */
    private static AgentSettings settings(Path config) {
        if (!config.toFile().isFile()) {
            throw new IllegalArgumentException("settings file " + config.toAbsolutePath() + " not found");
        }
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(SettingsReader.locations(config));
        return AgentSettings.read(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
    }
}
