package scheduledevents.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every route that consumes a queue folder takes its files in name order (the order they were queued in), also when
 * more wait than one poll takes: Camel's file consumer applies maxMessagesPerPoll while listing unless
 * eagerMaxMessagesPerPoll is false, and then sorts only the files it happened to list first. QueueOrderIT shows the
 * effect end to end for the log and webhook sinks and the respond stage; this covers every queue consumer: the sink
 * template (routes/40, so every sink, mail included) and the respond stage.
 */
class QueueRoutesTest {
    @Test
    void everyQueueConsumerSortsTheWholeFolderBeforeTakingAPollsWorth() throws IOException {
        List<Path> consumers = queueRoutes();
        // every sink's queue is the sink template's (40; SinkRoutesTest checks each sink file uses it), and 50's
        assertEquals(List.of("40-sink-delivery.yaml", "50-respond.yaml"),
                consumers.stream().map(p -> p.getFileName().toString()).toList());
        for (Path route : consumers) {
            String yaml = Files.readString(route);
            assertTrue(yaml.contains("sortBy: \"file:name\""), route + " sorts by name");
            assertTrue(yaml.contains("maxMessagesPerPoll: "), route + " bounds a poll");
            assertTrue(yaml.contains("eagerMaxMessagesPerPoll: \"false\""),
                    route + " sorts every waiting file before the limit applies");
        }
    }

    private static List<Path> queueRoutes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().filter(f -> {
                try {
                    return Files.readString(f).contains("uri: \"file:{{agent.state.dir}}/queue/");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
