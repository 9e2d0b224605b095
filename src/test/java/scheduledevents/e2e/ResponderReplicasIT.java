package scheduledevents.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.testing.FleetDeliveries;
import scheduledevents.testing.TestResponder;

/**
 * Two responder replicas behind one endpoint share one real PostgreSQL: deliveries alternate between them, both at
 * once, and each fleet status is still notified once (the claim is in the database).
 */
class ResponderReplicasIT {
    @TempDir
    Path dir;
    private EmbeddedPostgres postgres;
    private GreenMail smtp;
    private final List<TestResponder> replicas = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(TestResponder::close);
        if (smtp != null) {
            smtp.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoReplicasOnOnePostgresNotifyOncePerStatus() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        smtp = ResponderIT.greenMail();
        String url = postgres.getJdbcUrl("postgres", "postgres");
        for (String name : List.of("a", "b")) {
            replicas.add(TestResponder.jar(dir.resolve(name)).database(url, "postgres", "postgres")
                    .mailTo(smtp.getSmtp().getPort(), "ops@example.test")
                    .setting("responder.notify.interval", "100").start());
        }
        FleetDeliveries.Event freeze = new FleetDeliveries.Event("0DDBA110-0000-4000-8000-00000000FEED", "Freeze",
                ResponderIT.vms(40), Instant.parse("2026-12-01T10:15:00Z"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            t = t.plusSeconds(60);
            List<Future<Integer>> answers = new ArrayList<>();
            int i = 0;
            for (String vm : freeze.resources()) {
                TestResponder replica = replicas.get(i++ % 2);
                String body = FleetDeliveries.batch(FleetDeliveries.agentEvent(freeze, vm, status, t));
                answers.add(pool.submit(() -> replica.deliver(body).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, answer.get());
            }
        }
        pool.shutdown();

        for (TestResponder replica : replicas) {
            JsonNode event = replica.event(freeze.eventId());
            assertEquals("Completed", event.path("EventStatus").asText(), "both replicas see the same state");
            assertEquals(40, event.path("ReportedBy").size());
        }
        replicas.get(0).await("three notifications recorded", () ->
                ResponderIT.count(replicas.get(0).event(freeze.eventId()).path("History"), "notified") == 3);
        List<String> subjects = new ArrayList<>();
        for (MimeMessage mail : smtp.getReceivedMessages()) {
            subjects.add(mail.getSubject());
        }
        assertEquals(3, subjects.size(), subjects.toString());
        for (String status : List.of("Scheduled", "Started", "Completed")) {
            assertEquals(1, subjects.stream().filter(s -> s.contains(status)).count(), subjects.toString());
        }
    }
}
