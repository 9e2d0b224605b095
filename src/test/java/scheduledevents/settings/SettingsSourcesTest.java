package scheduledevents.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.Fixtures;
import scheduledevents.app.AgentConfiguration;
import scheduledevents.app.AgentSettings;

/**
 * Where settings come from: the packaged application.properties, under the user's file, under the environment; and
 * what the agent does with them at start (the composition root, {@link AgentConfiguration}).
 */
class SettingsSourcesTest {
    @TempDir
    Path dir;

    /** A context as the agent makes it: the packaged defaults, the user's file, then {@code overrides}. */
    private DefaultCamelContext context(Path userFile, Map<String, String> overrides) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(SettingsReader.locations(userFile));
        Properties p = new Properties();
        p.putAll(overrides);
        context.getPropertiesComponent().setOverrideProperties(p);
        return context;
    }

    private static String value(DefaultCamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).orElse(null);
    }

    @Test
    void anOlderFileThatLacksAKeyGetsTheDefaultAndTheUsersFileWinsOverTheDefaults() throws Exception {
        Path old = dir.resolve("application.properties");
        Files.writeString(old, "agent.poll.interval = 250\nagent.sinks = log\n");
        try (DefaultCamelContext context = context(old, Map.of())) {
            assertEquals("250", value(context, "agent.poll.interval"), "the user's file wins");
            assertEquals(TestSettings.shipped().get("agent.sink.max-age"), value(context, "agent.sink.max-age"),
                    "a key the user's file lacks has the packaged default");
            assertEquals("", value(context, "agent.vm.name"));
        }
        try (DefaultCamelContext context = context(old, Map.of("agent.poll.interval", "300"))) {
            assertEquals("300", value(context, "agent.poll.interval"), "an override (the environment) wins");
        }
    }

    /** The agent's start-up with the settings of a VM: the real application.properties and {@code given} over it. */
    private DefaultCamelContext configured(Map<String, String> given) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("agent.state.dir", dir.resolve("state").toString(),
                "agent.health.port", "0"));
        all.putAll(given);
        DefaultCamelContext context = context(Fixtures.PROJECT_ROOT.resolve("application.properties"), all);
        new AgentConfiguration().configure(context);
        return context;
    }

    @Test
    void aSinkThatIsOffHasItsSettingsNeitherReadNorChecked() throws Exception {
        try (DefaultCamelContext context = configured(Map.of("agent.sinks", "log",
                "agent.webhook.format", "bogus", "agent.mail.statuses", "Whenever", "agent.mail.port", "many",
                "agent.eventgrid.auth", "bogus", "agent.eventgrid.batch.max-events", "many"))) {
            assertNull(context.getRegistry().lookupByName("mailSender"));
            assertNull(context.getRegistry().lookupByName("webhookSender"));
            assertNull(context.getRegistry().lookupByName("eventGridSink"));
        }
    }

    @Test
    void theRetryDelaysCamelUsesAreTheOnesChecked() throws Exception {
        // values as an environment variable may give them, with spaces around: checked and used alike
        try (DefaultCamelContext context = configured(Map.of("agent.sink.retry.initial-delay", " 70 ",
                "agent.sink.retry.max-delay", "900"))) {
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                    "file:" + Fixtures.PROJECT_ROOT.resolve("routes/40-sink-delivery.yaml")));
            RouteConfigurationDefinition delivery = ((ModelCamelContext) context).getRouteConfigurationDefinitions()
                    .stream().filter(c -> "sink-delivery".equals(c.getId())).findFirst().orElseThrow();
            OnExceptionDefinition failed = delivery.getOnExceptions().get(0);
            RedeliveryPolicyDefinition policy = failed.getRedeliveryPolicyType();
            assertNotNull(policy, "routes/40 sets the retry delays on sink-delivery");
            AgentSettings settings = context.getRegistry().findSingleByType(AgentSettings.class);
            assertEquals(Duration.ofMillis(70), settings.sinkRetryInitialDelay());
            assertEquals(Duration.ofMillis(900), settings.sinkRetryMaxDelay());
            assertEquals(settings.sinkRetryInitialDelay(), CamelContextHelper.parseDuration(context,
                    context.resolvePropertyPlaceholders(policy.getRedeliveryDelay())));
            assertEquals(settings.sinkRetryMaxDelay(), CamelContextHelper.parseDuration(context,
                    context.resolvePropertyPlaceholders(policy.getMaximumRedeliveryDelay())));
            assertTrue(policy.getRedeliveryDelay().contains("agent.sink.retry.initial-delay"));
        }
    }
}
