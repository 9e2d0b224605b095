package scheduledevents.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.file.GenericFileConsumer;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.main.Main;
import org.apache.camel.processor.idempotent.IdempotentConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scheduledevents.app.AgentConfiguration;
import scheduledevents.delivery.DeliveredKeyStores;
import scheduledevents.delivery.SinkQueues;
import scheduledevents.delivery.WakeUpScheduler;
import scheduledevents.record.ScheduledEvent;
import scheduledevents.record.TransitionRecord;
import scheduledevents.record.VmIdentity;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.testing.Await;

/**
 * Every sink is a templated route of routes/40's "sink-queue" plus its own deliver-&lt;name&gt; route. The real
 * routes/ and application.properties in Camel main, all four sinks on, each pointed at something that refuses
 * (a closed loopback port, a log file that cannot be written), and agent.sink.max-age 1 ms: every failure is
 * dead-lettered at once. Checks what the template owns: the dead letter, the key store it shares with the dead
 * letters, and the conventions of the route files.
 */
class SinkRoutesTest {
    static final List<String> SINKS = List.of("log", "eventgrid", "mail", "webhook");
    static ImdsSimulator imds;
    static Path dir;
    static Main main;
    static CamelContext context;

    @BeforeAll
    static void start() throws Exception {
        imds = new ImdsSimulator().start();
        dir = Files.createTempDirectory("sink-routes-");
        Files.writeString(dir.resolve("not-a-folder"), "the log sink cannot write below a file");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("agent.imds.url", imds.baseUrl());
        settings.put("agent.state.dir", dir.resolve("state").toString());
        settings.put("agent.health.port", "0");
        settings.put("agent.sinks", String.join(",", SINKS));
        settings.put("agent.sink.max-age", "1");
        settings.put("agent.sink.queue.fallback-poll", "200");
        settings.put("agent.sink.log.file", dir.resolve("not-a-folder/records.jsonl").toString());
        settings.put("agent.eventgrid.endpoint", "https://127.0.0.1:" + closed + "/api/events");
        settings.put("agent.eventgrid.key", "a-key-for-a-topic-that-is-not-there");
        settings.put("agent.mail.host", "127.0.0.1");
        settings.put("agent.mail.port", String.valueOf(closed));
        settings.put("agent.mail.starttls", "false");
        settings.put("agent.mail.from", "agent@example.com");
        settings.put("agent.mail.to", "ops@example.com");
        settings.put("agent.webhook.url", "http://127.0.0.1:" + closed + "/hook");
        main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + Path.of("application.properties").toAbsolutePath());
        main.configure().addConfiguration(new AgentConfiguration());
        main.addMainListener(AgentConfiguration.sinkCheck());
        settings.forEach(main::addOverrideProperty);
        main.start();
        context = main.getCamelContext();
    }

    @AfterAll
    static void stop() {
        if (main != null) {
            main.stop();
        }
        imds.close();
    }

    @Test
    void aRefusedRecordIsDeadLetteredWithItsKeyKeptSoTheSameTransitionIsNotSentOrDeadLetteredAgain()
            throws IOException {
        SinkQueues queues = context.getRegistry().lookupByNameAndType("sinkQueues", SinkQueues.class);
        TransitionRecord record = record("BBBB0002-0000-0000-0000-000000000002");
        queues.enqueue(record);
        for (String sink : SINKS) {
            await(sink + "'s dead letter", () -> read(deadLetters(sink)).contains(record.eventId()));
        }
        awaitEmptyQueues(queues);
        String key = record.eventId().toLowerCase(Locale.ROOT) + "/Scheduled";
        for (String sink : SINKS) {
            // Camel's idempotent consumer (eager=false) does not keep the key of a handled failure; DeadLetters does
            assertTrue(read(dir.resolve("state/delivered/" + sink + ".dat")).contains(key),
                    sink + " keeps the dead-lettered record's key");
        }

        queues.enqueue(record);
        TransitionRecord other = record("CCCC0003-0000-0000-0000-000000000003");
        queues.enqueue(other);
        for (String sink : SINKS) {
            await(sink + "'s other dead letter", () -> read(deadLetters(sink)).contains(other.eventId()));
        }
        awaitEmptyQueues(queues);
        for (String sink : SINKS) {
            List<String> letters = read(deadLetters(sink)).lines().toList();
            assertEquals(1, letters.stream().filter(l -> l.contains(record.eventId())).count(),
                    sink + ": the repeat was dropped, not tried and dead-lettered again: " + letters);
        }
    }

    @Test
    void aFailureBeforeTheEventGridSendIsRetriedOrDeadLetteredToo() throws IOException {
        // JSON (so it has a key) but no record: eventGridSink.collect refuses it for good, before anything is sent
        Path queue = dir.resolve("state/queue/eventgrid");
        Files.createDirectories(queue);
        Path file = queue.resolve(String.format("%013d-%09d.json", System.currentTimeMillis(), 999_999_999));
        Files.writeString(file, "[\"no record\"]", StandardCharsets.UTF_8);

        await("the dead letter", () -> read(deadLetters("eventgrid")).contains("no record"));
        await("the queue file to go", () -> !Files.exists(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"log", "eventgrid", "mail", "webhook"})
    void eachSinkRouteUsesTheKeyStoreThatDeadLettersAddAndTakesItsQueueOldestFirst(String sink) {
        GenericFileConsumer<?> queue = (GenericFileConsumer<?>) context.getRoute("sink-" + sink).getConsumer();
        assertTrue(queue.getEndpoint().getEndpointUri().contains("/state/queue/" + sink + "?"),
                queue.getEndpoint().getEndpointUri());
        assertTrue(((GenericFileEndpoint<?>) queue.getEndpoint()).getSortBy() != null, "sorted by file name");
        assertEquals(sink.equals("eventgrid") ? 1 : 500, queue.getMaxMessagesPerPoll(), "files a poll");
        assertTrue(!queue.isEagerLimitMaxMessagesPerPoll(), "every file sorted before the limit applies");
        assertEquals(WakeUpScheduler.class, queue.getScheduler().getClass());
        IdempotentConsumer once = context.getProcessor("sink-" + sink + "-once", IdempotentConsumer.class);
        DeliveredKeyStores stores = context.getRegistry()
                .lookupByNameAndType("deliveredKeyStores", DeliveredKeyStores.class);
        assertSame(stores.forQueue(sink), once.getIdempotentRepository());
        assertTrue(context.getRoute("deliver-" + sink) != null, "deliver-" + sink);
    }

    @Test
    void everySinkFileFollowsTheTemplatesConventions() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.list(Path.of("routes"))) {
            files = all.filter(f -> f.getFileName().toString().matches("4[1-9]-sink-.*\\.yaml")).sorted().toList();
        }
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString().replaceAll("^4[1-9]-sink-(.*)\\.yaml$", "$1");
            names.add(name);
            String yaml = Files.readString(file);
            for (String line : List.of("routeTemplateRef: sink-queue", "routeId: sink-" + name + "\n",
                    "prefixId: sink-" + name + "-\n", "- name: sink\n        value: " + name + "\n",
                    "id: deliver-" + name + "\n", "precondition: \"${bean:sinkQueues?method=isEnabled('" + name + "')}\"",
                    "noErrorHandler: {}", "uri: direct:deliver-" + name + "\n")) {
                assertTrue(yaml.contains(line), file + " has " + line);
            }
            assertTrue(!yaml.contains("uri: \"file:"), file + " leaves the queue to the template");
        }
        assertEquals(SINKS, names);
    }

    private static void awaitEmptyQueues(SinkQueues queues) {
        for (String sink : SINKS) {
            await(sink + "'s queue to empty", () -> queues.depth(sink) == 0);
        }
    }

    private static Path deadLetters(String sink) {
        return dir.resolve("state/dead-letter/" + sink + ".jsonl");
    }

    private static TransitionRecord record(String id) {
        ScheduledEvent event = new ScheduledEvent(id, "Reboot", "VirtualMachine", List.of("myvm"), "Scheduled", "",
                "test", "Platform", -1, null);
        return TransitionRecord.of(event, 1, Instant.now(), "myvm", VmIdentity.UNKNOWN.withName("myvm"), null);
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean);
    }
}
