package scheduledevents.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scheduledevents.app.AgentConfiguration;
import scheduledevents.delivery.DeliveredKeyStores;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.Await;

/**
 * The real routes/ and application.properties in Camel main (camel-test-main-junit5), against the IMDS simulator.
 * Settings reach the routes as JVM system properties, which Camel's properties component lets override the file,
 * as the environment does in production. What a sink does with a failure: SinkRoutesTest.
 */
class PipelineRoutesTest extends CamelMainTestSupport {
    private static final String[] SETTINGS = {"agent.imds.url", "agent.state.dir", "agent.sink.log.file",
        "agent.poll.interval", "agent.health.port", "agent.sink.queue.fallback-poll"};
    static ImdsSimulator imds;
    static Path dir;

    @BeforeAll
    static void startImds() throws IOException {
        imds = new ImdsSimulator().start();
        dir = Files.createTempDirectory("pipeline-routes-");
        System.setProperty("agent.imds.url", imds.baseUrl());
        System.setProperty("agent.state.dir", dir.resolve("state").toString());
        System.setProperty("agent.sink.log.file", dir.resolve("sink/records.jsonl").toString());
        System.setProperty("agent.poll.interval", "100");
        System.setProperty("agent.health.port", "0");
        // an hour: every record here reaches the log sink because the fan-out woke its consumer
        System.setProperty("agent.sink.queue.fallback-poll", "3600000");
    }

    @AfterAll
    static void stopImds() {
        imds.close();
        for (String key : SETTINGS) {
            System.clearProperty(key);
        }
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(AgentConfiguration.class);
    }

    @Test
    void aScheduledEventFlowsFromImdsThroughEveryStageToTheLogSink() throws IOException {
        String id = "AAAA0001-0000-0000-0000-000000000001";
        imds.setEvents(List.of(SimEvent.scheduled(id, "Reboot", Instant.now().plusSeconds(900), "myvm")));
        Path records = dir.resolve("sink/records.jsonl");
        await("the record", () -> read(records).contains(id));

        assertTrue(read(records).contains("\"EventStatus\":\"Scheduled\""));
        // the key is added when the exchange completes, just after the record is written
        await("the key in the sink's idempotent repository",
                () -> delivered().contains(id.toLowerCase(Locale.ROOT) + "/Scheduled"));
        assertEquals(List.of("poll", "transitions", "fan-out", "sink-log"),
                List.of("poll", "transitions", "fan-out", "sink-log").stream()
                        .filter(r -> context.getRouteController().getRouteStatus(r).isStarted()).toList());
    }

    @Test
    void sinksThatAreOffAndAnIdleRespondStageAreNeverCreated() {
        // agent.sinks=log, no hooks, agent.ack.policy=never: of the queue consumers, only sink-log is created
        assertNotNull(context.getRoute("sink-log"));
        assertNotNull(context.getRoute("deliver-log"));
        String routes = allRouteFiles();
        for (String off : List.of("sink-eventgrid", "sink-mail", "sink-webhook")) {
            assertTrue(routes.contains("routeId: " + off + "\n"), off + " is a templated route in routes/");
            assertNull(context.getRoute(off), off);
        }
        for (String off : List.of("deliver-eventgrid", "deliver-mail", "deliver-webhook", "respond")) {
            assertTrue(routes.contains("    id: " + off + "\n"), off + " is a route in routes/");
            assertNull(context.getRoute(off), off);
        }
        assertNull(context.getRegistry().lookupByName("mailSender"), "no mail session for a sink that is off");
        assertNull(context.getRegistry().lookupByName("webhookSender"), "no HTTPS client for a sink that is off");
        for (String off : List.of("eventgrid", "mail", "webhook", "respond")) {
            assertNull(context.getRegistry().lookupByName(DeliveredKeyStores.beanName(off)), "no key store for " + off);
        }
    }

    @Test
    void aRecordQueuedByTheFanOutIsDeliveredWithoutWaitingForTheFallbackPoll() {
        ScheduledPollConsumer logQueue = (ScheduledPollConsumer) context.getRoute("sink-log").getConsumer();
        await("the log sink's poll at start", logQueue::isFirstPollDone);
        TransitionRecord record = record("DDDD0004-0000-0000-0000-000000000004");

        template.sendBody("direct:fan-out", record);

        // the next poll unprompted is an hour away
        await("the record in the log sink", () -> read(dir.resolve("sink/records.jsonl")).contains(record.eventId()));
    }

    private static TransitionRecord record(String id) {
        ScheduledEvent event = new ScheduledEvent(id, "Reboot", "VirtualMachine", List.of("myvm"), "Scheduled", "",
                "test", "Platform", -1, null);
        return TransitionRecord.of(event, 1, Instant.now(), "myvm", VmIdentity.UNKNOWN.withName("myvm"), null);
    }

    @SuppressWarnings("unchecked")
    private IdempotentRepository delivered() {
        return context.getRegistry().lookupByNameAndType(DeliveredKeyStores.beanName("log"), IdempotentRepository.class);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) && Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean);
    }

    private static String allRouteFiles() {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.sorted().toList()) {
                all.append(Files.readString(f));
            }
            return all.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
