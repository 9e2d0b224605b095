package scheduledevents.sink.eventgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.models.CloudEvent;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;
import scheduledevents.testing.TestAgent;

/**
 * End to end: the packaged agent (a separate java process, settings from the environment, the test certificate
 * trusted through JAVA_TOOL_OPTIONS as a user with a private CA would) polls the IMDS simulator and publishes to a
 * real HTTPS topic on loopback. What arrives is read with the Azure SDK's parsers.
 */
class EventGridSinkIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String KEY = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    private static final String EVENT_ID = "F020BA2E-3BC0-4C40-A10B-86575A9EABD5";

    @TempDir
    Path dir;
    private ImdsSimulator imds;
    private final List<AutoCloseable> closeLast = new ArrayList<>();
    private final List<TestAgent> started = new ArrayList<>();

    @BeforeEach
    void startImds() throws IOException {
        imds = new ImdsSimulator().start();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        imds.close();
    }

    /** A transition as seen by the topic: event id, IMDS EventId and EventStatus. */
    record Arrived(String id, String eventId, String status) {
    }

    private Map<String, String> env(TestTopic topic, String schema) {
        return env(topic.endpoint(), schema);
    }

    private Map<String, String> env(String endpoint, String schema) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AGENT_IMDS_URL", imds.baseUrl());
        env.put("AGENT_STATE_DIR", dir.resolve("state").toString());
        env.put("AGENT_SINKS", "eventgrid");
        env.put("AGENT_POLL_INTERVAL", "200");
        env.put("AGENT_HEALTH_PORT", "0");
        env.put("AGENT_SINK_RETRY_INITIAL_DELAY", "200");
        env.put("AGENT_SINK_RETRY_MAX_DELAY", "1000");
        env.put("AGENT_EVENTGRID_ENDPOINT", endpoint);
        env.put("AGENT_EVENTGRID_KEY", KEY);
        env.put("AGENT_EVENTGRID_SCHEMA", schema);
        env.put("JAVA_TOOL_OPTIONS", TestTls.get().javaToolOptions());
        return env;
    }

    private TestAgent agent(Map<String, String> env) throws IOException {
        TestAgent agent = TestAgent.jar(dir).env(env).start();
        started.add(agent);
        closeLast.add(0, agent);
        return agent;
    }

    private TestTopic topic(int port) throws IOException {
        TestTopic topic = new TestTopic(port).start();
        closeLast.add(topic);
        return topic;
    }

    static List<Arrived> arrived(List<TestTopic.Request> requests, String schema) {
        List<Arrived> out = new ArrayList<>();
        for (TestTopic.Request request : requests) {
            out.addAll(events(request, schema));
        }
        return out;
    }

    static List<Arrived> events(TestTopic.Request request, String schema) {
        List<Arrived> out = new ArrayList<>();
        try {
            if (schema.equals("cloudevents")) {
                for (CloudEvent e : CloudEvent.fromString(request.body())) {
                    JsonNode data = JSON.readTree(e.getData().toString());
                    out.add(new Arrived(e.getId(), data.path("EventId").asText(), data.path("EventStatus").asText()));
                }
            } else {
                for (EventGridEvent e : EventGridEvent.fromString(request.body())) {
                    JsonNode data = JSON.readTree(e.getData().toString());
                    out.add(new Arrived(e.getId(), data.path("EventId").asText(), data.path("EventStatus").asText()));
                }
            }
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + request.body(), e);
        }
        return out;
    }

    private static boolean has(List<Arrived> arrived, String status) {
        return arrived.stream().anyMatch(a -> a.status().equals(status));
    }

    private static SimEvent reboot(String eventId) {
        return SimEvent.scheduled(eventId, "Reboot", Instant.now().plusSeconds(900), ImdsSimulator.DEFAULT_VM_NAME);
    }

    /** Neither the key nor part of it in what any agent of this test wrote (each start has files of its own). */
    private void assertNoSecretIn(TestAgent agent) {
        List<TestAgent> agents = new ArrayList<>(started);
        agents.add(agent);
        for (TestAgent a : agents) {
            String output = a.output();
            assertFalse(output.contains(KEY), "the key is in the agent's output");
            assertFalse(output.contains(KEY.substring(0, 16)), "part of the key is in the agent's output");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"eventgrid", "cloudevents"})
    void eachTransitionArrivesOnceInEachSchema(String schema) throws Exception {
        TestTopic topic = topic(0);
        TestAgent agent = agent(env(topic, schema));
        SimEvent scheduled = reboot(EVENT_ID);

        imds.setEvents(List.of(scheduled));
        topic.await(r -> has(arrived(r, schema), "Scheduled"), WAIT, "Scheduled");
        imds.setEvents(List.of(scheduled.started()));
        topic.await(r -> has(arrived(r, schema), "Started"), WAIT, "Started");
        imds.setEvents(List.of());
        topic.await(r -> has(arrived(r, schema), "Completed"), WAIT, "Completed");
        agent.stop();

        List<TestTopic.Request> requests = topic.requests();
        List<Arrived> arrived = arrived(requests, schema);
        assertEquals(List.of("Scheduled", "Started", "Completed"), arrived.stream().map(Arrived::status).toList(),
                "each transition once, in order: " + arrived);
        assertTrue(arrived.stream().allMatch(a -> a.eventId().equals(EVENT_ID)));
        assertEquals(3, arrived.stream().map(Arrived::id).distinct().count());
        for (TestTopic.Request request : requests) {
            assertEquals(KEY, request.header("aeg-sas-key"));
            assertTrue(request.pathAndQuery().startsWith("/api/events?api-version="), request.pathAndQuery());
            assertTrue(request.header("content-type").startsWith(schema.equals("cloudevents")
                    ? "application/cloudevents-batch+json" : "application/json"), request.header("content-type"));
        }
        if (schema.equals("eventgrid")) {
            EventGridEvent first = EventGridEvent.fromString(requests.get(0).body()).get(0);
            assertEquals("ScheduledEvent", first.getEventType());
            assertTrue(first.getSubject().endsWith("/virtualMachines/myvm"), first.getSubject());
            assertEquals("1.0", first.getDataVersion());
        } else {
            CloudEvent first = CloudEvent.fromString(requests.get(0).body()).get(0);
            assertEquals("ScheduledEvent", first.getType());
            assertTrue(first.getSource().endsWith("/virtualMachines/myvm"), first.getSource());
            assertEquals("myvm", first.getSubject());
        }
        assertNoSecretIn(agent);
    }

    @Test
    void a401IsDeadLetteredOnceWithALineThatSaysWhatToFix() throws Exception {
        TestTopic topic = topic(0);
        topic.answerNext(401, 1000);
        TestAgent agent = agent(env(topic, "eventgrid"));
        Path deadLetters = dir.resolve("state/dead-letter/eventgrid.jsonl");

        imds.setEvents(List.of(reboot(EVENT_ID)));
        agent.await("a dead letter", WAIT, () -> Files.exists(deadLetters));
        agent.await("the queue emptied", WAIT, () -> isEmpty(dir.resolve("state/queue/eventgrid")));
        agent.stop();

        assertEquals(1, topic.requests().size(), "a 401 is not retried");
        List<String> lines = Files.readAllLines(deadLetters);
        assertEquals(1, lines.size());
        JsonNode letter = JSON.readTree(lines.get(0));
        assertEquals(EVENT_ID, letter.path("Record").path("EventId").asText(), "the record, as queued: " + letter);
        assertTrue(letter.path("Reason").asText().contains("401"), letter.toString());
        String output = agent.output();
        assertTrue(output.lines().anyMatch(l -> l.contains("dead-lettered") && l.contains("401")
                && l.contains("agent.eventgrid.key")), output);
        assertNoSecretIn(agent);
        assertFalse(letter.toString().contains(KEY));
        // the dead-lettered record's key is kept in the sink's store, so a repeat is not sent again (issue 12:
        // the store was looked up by a name the route did not use, and only a warning said so)
        String delivered = Files.readString(dir.resolve("state/delivered/eventgrid.dat"));
        assertTrue(delivered.contains(EVENT_ID.toLowerCase(Locale.ROOT) + "/Scheduled"), delivered);
        assertFalse(output.contains("no idempotent repository"), output);
    }

    @Test
    void aFifteenSecondOutageAndAKill9LoseNothing() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestTopic topic = topic(port);
        TestAgent agent = agent(env(topic, "eventgrid"));
        SimEvent first = reboot(EVENT_ID);
        SimEvent second = reboot("C7061BAC-AFDC-4513-B24B-AA5F13A16123");
        imds.setEvents(List.of(first));
        topic.await(r -> has(arrived(r, "eventgrid"), "Scheduled"), WAIT, "the first record");
        // the topic notes a request before it answers: the outage starts once the agent has had the answer (else
        // closing the topic can cut the answer off, and a resent first record is at-least-once, not a loss)
        Path queue = dir.resolve("state/queue/eventgrid");
        agent.await("the first record confirmed", WAIT, () -> count(queue) == 0);

        // the topic goes away for 15 s; meanwhile three transitions happen and the agent is killed mid-retry
        topic.close();
        Instant outageStart = Instant.now();
        imds.setEvents(List.of(first.started(), second));
        agent.await("two records queued during the outage", WAIT, () -> count(queue) >= 2);
        imds.setEvents(List.of(second));
        agent.await("three records queued during the outage", WAIT, () -> count(queue) >= 3);
        agent.kill9();
        TestAgent again = agent(env("https://127.0.0.1:" + port + "/api/events", "eventgrid"));
        again.await("the agent started again", WAIT, () -> again.output().contains("Sinks enabled"));
        long left = Duration.ofSeconds(15).minus(Duration.between(outageStart, Instant.now())).toMillis();
        if (left > 0) {
            Thread.sleep(left); // the outage itself lasts 15 s: this is the scenario, not a wait for a result
        }
        TestTopic back = topic(port);

        List<TestTopic.Request> requests = back.await(r -> arrived(r, "eventgrid").size() >= 3, WAIT,
                "the three queued records");
        again.stop();

        List<Arrived> arrived = arrived(back.requests(), "eventgrid");
        List<String> got = arrived.stream().map(a -> a.eventId() + "/" + a.status()).sorted().toList();
        assertEquals(Stream.of(EVENT_ID + "/Started", "C7061BAC-AFDC-4513-B24B-AA5F13A16123/Scheduled",
                EVENT_ID + "/Completed").sorted().toList(), got, "each queued record once: " + arrived);
        assertTrue(requests.stream().anyMatch(r -> events(r, "eventgrid").size() >= 2),
                "records waiting together go in one request: " + requests.stream()
                        .map(r -> events(r, "eventgrid").size()).collect(Collectors.toList()));
        assertEquals(0, count(queue));
        assertNoSecretIn(again);
    }

    /**
     * The delivery promise, exactly (README, docs/eventgrid.md): a record is sent again only if the agent died
     * before it had recorded the topic's answer, and then the whole unconfirmed batch goes again, with the same ids;
     * so each kill adds at most one copy of a record, and a record whose answer was recorded is never sent again.
     */
    @Test
    void aKillBeforeTheTopicsAnswerResendsTheUnconfirmedBatchWithTheSameIdsAndNothingElse() throws Exception {
        TestTopic topic = topic(0);
        Map<String, String> env = env(topic, "eventgrid");
        Path queue = dir.resolve("state/queue/eventgrid");
        SimEvent first = reboot(EVENT_ID);
        SimEvent second = reboot("C7061BAC-AFDC-4513-B24B-AA5F13A16123");
        TestAgent agent = agent(env);
        imds.setEvents(List.of(first));
        agent.await("the first record published and confirmed", WAIT,
                () -> !arrived(topic.requests(), "eventgrid").isEmpty() && count(queue) == 0);

        // from now on the topic takes requests but answers none until released: each agent dies waiting
        topic.holdAnswers();
        imds.setEvents(List.of(first.started()));
        topic.await(r -> r.size() >= 2, WAIT, "the Started record sent");
        imds.setEvents(List.of(first.started(), second));
        agent.await("a second event queued behind the unanswered request", WAIT, () -> count(queue) >= 2);
        agent.kill9();
        agent = agent(env);
        topic.await(r -> r.size() >= 3, WAIT, "the unconfirmed records sent again after the first kill");
        agent.kill9();
        int kills = 2;
        topic.release();
        agent = agent(env);
        agent.await("every record confirmed after the second kill", WAIT, () -> count(queue) == 0);
        agent.stop();

        List<TestTopic.Request> requests = topic.requests();
        List<Arrived> arrived = arrived(requests, "eventgrid");
        Map<String, List<Arrived>> byRecord = arrived.stream()
                .collect(Collectors.groupingBy(EventGridSinkIT::key, LinkedHashMap::new, Collectors.toList()));
        // at least once: every record arrived
        assertEquals(List.of(EVENT_ID + "/Scheduled", EVENT_ID + "/Started",
                "C7061BAC-AFDC-4513-B24B-AA5F13A16123/Scheduled"), List.copyOf(byRecord.keySet()), arrived.toString());
        // a repeat is the same event: one id per record, a different id for each record
        byRecord.forEach((record, copies) -> assertEquals(1, copies.stream().map(Arrived::id).distinct().count(),
                "every copy of " + record + " has the same id: " + copies));
        assertEquals(byRecord.size(), arrived.stream().map(Arrived::id).distinct().count(), arrived.toString());
        // at most one copy more per kill, and none of a record whose answer the agent had recorded
        byRecord.forEach((record, copies) -> assertTrue(copies.size() <= kills + 1,
                record + " arrived " + copies.size() + " times after " + kills + " kills"));
        assertEquals(1, byRecord.get(EVENT_ID + "/Scheduled").size(), "confirmed before the kills: " + arrived);
        // what a kill re-sends is the whole unconfirmed batch: more than one duplicate at this sink
        List<TestTopic.Request> afterHold = requests.subList(1, requests.size());
        assertEquals(events(afterHold.get(afterHold.size() - 2), "eventgrid"),
                events(afterHold.get(afterHold.size() - 1), "eventgrid"), "the unanswered batch, sent again as it was");
        assertTrue(arrived.size() - byRecord.size() > kills, "duplicates at this sink: " + arrived);
        assertNoSecretIn(agent);
    }

    @Test
    void aBatchRefusedForGoodIsSplitSoThatOnlyTheBadRecordIsDeadLettered() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // the topic is down while three records queue up, so that they wait together
        TestAgent agent = agent(env("https://127.0.0.1:" + port + "/api/events", "eventgrid"));
        Path queue = dir.resolve("state/queue/eventgrid");
        SimEvent first = reboot(EVENT_ID);
        SimEvent second = reboot("C7061BAC-AFDC-4513-B24B-AA5F13A16123");
        imds.setEvents(List.of(first));
        agent.await("the first record queued", WAIT, () -> count(queue) >= 1);
        imds.setEvents(List.of(first, second));
        agent.await("the second record queued", WAIT, () -> count(queue) >= 2);
        imds.setEvents(List.of(first.started(), second));
        agent.await("the third record queued", WAIT, () -> count(queue) >= 3);
        long polls = imds.requests().size();
        agent.await("the third transition remembered", WAIT, () -> imds.requests().size() >= polls + 3);
        // A fresh start finds the three waiting together, whatever the old process was retrying with
        agent.kill9();
        TestTopic topic = topic(port);
        topic.answerNext(413, 2); // the batch, then the first record alone
        agent = agent(env("https://127.0.0.1:" + port + "/api/events", "eventgrid"));

        List<String> rest = List.of("C7061BAC-AFDC-4513-B24B-AA5F13A16123/Scheduled", EVENT_ID + "/Started");
        topic.await(r -> r.size() >= 3 && arrived(r.subList(2, r.size()), "eventgrid").stream()
                .map(EventGridSinkIT::key).toList().containsAll(rest), WAIT, "batch, first alone, the rest");
        agent.await("the queue emptied", WAIT, () -> count(queue) == 0);
        agent.stop();

        List<TestTopic.Request> requests = topic.requests();
        List<Arrived> refusedBatch = events(requests.get(0), "eventgrid");
        assertTrue(refusedBatch.size() >= 2, "the waiting records went together: " + refusedBatch);
        assertEquals(EVENT_ID + "/Scheduled", key(refusedBatch.get(0)));
        List<Arrived> alone = events(requests.get(1), "eventgrid");
        assertEquals(List.of(EVENT_ID + "/Scheduled"), alone.stream().map(EventGridSinkIT::key).toList());
        assertEquals(rest, arrived(requests.subList(2, requests.size()), "eventgrid").stream()
                .map(EventGridSinkIT::key).toList(), "the others, once each, in order");
        List<String> letters = Files.readAllLines(dir.resolve("state/dead-letter/eventgrid.jsonl"));
        assertEquals(1, letters.size(), letters.toString());
        JsonNode letter = JSON.readTree(letters.get(0));
        assertEquals(EVENT_ID, letter.path("Record").path("EventId").asText());
        assertEquals("Scheduled", letter.path("Record").path("EventStatus").asText());
        assertTrue(letter.path("Reason").asText().contains("413"), letter.toString());
    }

    private static String key(Arrived a) {
        return a.eventId() + "/" + a.status();
    }

    @Test
    void managedIdentityTakesATokenFromImdsAndSendsNoKey() throws Exception {
        TestTopic topic = topic(0);
        List<String> tokenRequests = new CopyOnWriteArrayList<>();
        HttpServer identity = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        identity.createContext("/", exchange -> {
            tokenRequests.add(exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery()
                    + " Metadata=" + exchange.getRequestHeaders().getFirst("Metadata"));
            long expiresOn = Instant.now().plusSeconds(3600).getEpochSecond();
            byte[] body = ("{\"access_token\":\"mi-token-for-test\",\"expires_in\":\"3600\",\"expires_on\":\""
                    + expiresOn + "\",\"resource\":\"https://eventgrid.azure.net\",\"token_type\":\"Bearer\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        identity.start();
        closeLast.add(() -> identity.stop(0));
        Map<String, String> env = env(topic, "eventgrid");
        env.remove("AGENT_EVENTGRID_KEY");
        env.put("AGENT_EVENTGRID_AUTH", "managed-identity");
        // azure-identity's (MSAL's) documented override of the IMDS address, here the loopback token server
        env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + identity.getAddress().getPort());
        TestAgent agent = agent(env);

        imds.setEvents(List.of(reboot(EVENT_ID)));
        agent.await("a publish", WAIT, () -> !topic.requests().isEmpty());
        agent.stop();

        TestTopic.Request request = topic.requests().get(0);
        assertEquals("Bearer mi-token-for-test", request.header("authorization"));
        assertNull(request.header("aeg-sas-key"));
        assertFalse(tokenRequests.isEmpty());
        String tokenRequest = tokenRequests.get(0);
        // MSAL asks for <host>//metadata/identity/oauth2/token: the JDK server reads "//metadata" as an authority
        assertTrue(tokenRequest.contains("/identity/oauth2/token?"), tokenRequest);
        assertTrue(tokenRequest.contains("resource=https%3A%2F%2Feventgrid.azure.net")
                || tokenRequest.contains("resource=https://eventgrid.azure.net"), tokenRequest);
        assertTrue(tokenRequest.endsWith("Metadata=true"), tokenRequest);
        assertFalse(agent.output().contains("mi-token-for-test"), "the token is not logged");
    }

    /**
     * A loopback token endpoint in the IMDS style: records each request (path, query, Metadata header) and answers
     * with {@code status} (a token when 200).
     */
    private HttpServer identity(List<String> tokenRequests, AtomicInteger status) throws IOException {
        HttpServer identity = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        identity.createContext("/", exchange -> {
            tokenRequests.add(exchange.getRequestURI().getRawPath() + "?" + exchange.getRequestURI().getRawQuery()
                    + " Metadata=" + exchange.getRequestHeaders().getFirst("Metadata"));
            int answer = status.get();
            byte[] body;
            if (answer == 200) {
                long expiresOn = Instant.now().plusSeconds(3600).getEpochSecond();
                body = ("{\"access_token\":\"mi-token-for-test\",\"expires_in\":\"3600\",\"expires_on\":\""
                        + expiresOn + "\",\"resource\":\"https://eventgrid.azure.net\",\"token_type\":\"Bearer\"}")
                        .getBytes(StandardCharsets.UTF_8);
            } else {
                // what IMDS answers when the VM has no (such) identity
                body = ("{\"error\":\"invalid_request\",\"error_description\":\"Identity not found\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        identity.start();
        closeLast.add(() -> identity.stop(0));
        return identity;
    }

    private Map<String, String> managedIdentityEnv(TestTopic topic, HttpServer identity) {
        Map<String, String> env = env(topic, "eventgrid");
        env.remove("AGENT_EVENTGRID_KEY");
        env.put("AGENT_EVENTGRID_AUTH", "managed-identity");
        env.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + identity.getAddress().getPort());
        return env;
    }

    @Test
    void sasSendsOnlyASignedTokenThatVerifiesAgainstTheKey() throws Exception {
        TestTopic topic = topic(0);
        Map<String, String> env = env(topic, "eventgrid");
        env.put("AGENT_EVENTGRID_AUTH", "sas");
        TestAgent agent = agent(env);
        Instant before = Instant.now();

        imds.setEvents(List.of(reboot(EVENT_ID)));
        topic.await(r -> has(arrived(r, "eventgrid"), "Scheduled"), WAIT, "Scheduled");
        agent.stop();

        assertFalse(topic.requests().isEmpty());
        for (TestTopic.Request request : topic.requests()) {
            assertNull(request.header("aeg-sas-key"), "the key itself is never sent");
            assertNull(request.header("authorization"));
            String token = request.header("aeg-sas-token");
            assertNotNull(token, "a SAS token: " + request.headers());
            assertFalse(token.contains(KEY), token);
            Map<String, String> parts = new LinkedHashMap<>();
            for (String part : token.split("&")) {
                String[] kv = part.split("=", 2);
                parts.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
            assertEquals(java.util.Set.of("r", "e", "s"), parts.keySet(), token);
            assertTrue(parts.get("r").startsWith(topic.endpoint()), parts.get("r"));
            // the SDK writes the expiry unpadded, e.g. 11/25/2026 6:5:3 PM
            Instant expiry = OffsetDateTime.parse(parts.get("e"), DateTimeFormatter.ofPattern("M/d/yyyy h:m:s a",
                    Locale.US).withZone(ZoneOffset.UTC)).toInstant();
            // agent.eventgrid.sas-validity defaults to one hour
            assertTrue(expiry.isAfter(before.plusSeconds(600)) && expiry.isBefore(Instant.now().plusSeconds(3700)),
                    "expiry ahead, within the validity: " + expiry);
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
            String unsigned = "r=" + URLEncoder.encode(parts.get("r"), StandardCharsets.UTF_8) + "&e="
                    + URLEncoder.encode(parts.get("e"), StandardCharsets.UTF_8);
            String signature = Base64.getEncoder().encodeToString(
                    hmac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
            assertEquals(signature, parts.get("s"), "signed with the key");
        }
        assertEquals(List.of("Scheduled"), arrived(topic.requests(), "eventgrid").stream().map(Arrived::status)
                .toList());
        assertNoSecretIn(agent);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404})
    void managedIdentityWithNoIdentityKeepsRecordsQueuedWithALineThatSaysWhatToFix(int noIdentity)
            throws Exception {
        TestTopic topic = topic(0);
        List<String> tokenRequests = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(noIdentity);
        HttpServer identity = identity(tokenRequests, status);
        TestAgent agent = agent(managedIdentityEnv(topic, identity));
        Path queue = dir.resolve("state/queue/eventgrid");

        imds.setEvents(List.of(reboot(EVENT_ID)));
        agent.await("the record queued", WAIT, () -> count(queue) >= 1);
        if (noIdentity == 400) {
            agent.await("two failed attempts, each logged with what to fix", WAIT,
                    () -> agent.output().lines().filter(EventGridSinkIT::saysAssignAnIdentity).count() >= 2);
        } else {
            // a 404 is retried inside the identity library (IMDS answers 404 while an identity is being
            // assigned), with its own backoff, before the sink sees a failure
            agent.await("the token endpoint asked again", WAIT, () -> tokenRequests.size() >= 2);
        }
        assertTrue(topic.requests().isEmpty(), "nothing is published without a token");
        assertEquals(1, count(queue), "the record stays queued");
        assertFalse(Files.exists(dir.resolve("state/dead-letter/eventgrid.jsonl")), "and is not dead-lettered");

        // the identity is assigned: the next attempt gets a token and publishes
        status.set(200);
        topic.await(r -> has(arrived(r, "eventgrid"), "Scheduled"), WAIT, "the record, once a token comes");
        agent.await("the queue emptied", WAIT, () -> count(queue) == 0);
        agent.stop();

        assertEquals("Bearer mi-token-for-test", topic.requests().get(0).header("authorization"));
        assertEquals(List.of("Scheduled"), arrived(topic.requests(), "eventgrid").stream().map(Arrived::status)
                .toList());
        assertFalse(Files.exists(dir.resolve("state/dead-letter/eventgrid.jsonl")));
        String output = agent.output();
        List<String> failures = output.lines().filter(l -> l.contains("Sink eventgrid")).toList();
        assertTrue(noIdentity != 400 || !failures.isEmpty(), output);
        // every failure line says what to fix, even when the identity library's detail is cut short
        assertTrue(failures.stream().allMatch(EventGridSinkIT::saysAssignAnIdentity), String.join("\n", failures));
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
        assertFalse(output.contains("mi-token-for-test"), "the token is not logged");
    }

    private static boolean saysAssignAnIdentity(String line) {
        return line.contains("Sink eventgrid") && line.contains("assign a managed identity to this VM")
                && line.contains("'EventGrid Data Sender' role");
    }

    @Test
    void aUserAssignedIdentityIsAskedForByItsClientId() throws Exception {
        TestTopic topic = topic(0);
        List<String> tokenRequests = new CopyOnWriteArrayList<>();
        HttpServer identity = identity(tokenRequests, new AtomicInteger(200));
        String clientId = "5c1b6b9e-7f0a-4b43-9d0e-2a8f3c6d1e47";
        Map<String, String> env = managedIdentityEnv(topic, identity);
        env.put("AGENT_EVENTGRID_MANAGED_IDENTITY_CLIENT_ID", clientId);
        TestAgent agent = agent(env);

        imds.setEvents(List.of(reboot(EVENT_ID)));
        topic.await(r -> has(arrived(r, "eventgrid"), "Scheduled"), WAIT, "Scheduled");
        agent.stop();

        assertEquals("Bearer mi-token-for-test", topic.requests().get(0).header("authorization"));
        assertNull(topic.requests().get(0).header("aeg-sas-key"));
        assertFalse(tokenRequests.isEmpty());
        for (String tokenRequest : tokenRequests) {
            assertTrue(tokenRequest.contains("/identity/oauth2/token?"), tokenRequest);
            assertTrue(tokenRequest.contains("client_id=" + clientId), "the user-assigned identity: " + tokenRequest);
            assertTrue(tokenRequest.endsWith("Metadata=true"), tokenRequest);
        }
        assertFalse(agent.output().contains("mi-token-for-test"), "the token is not logged");
    }

    @Test
    void aProxySetTheJvmWayCarriesThePublishButNotATokenRequestToAHostItExempts() throws Exception {
        TestTopic topic = topic(0);
        TestProxy proxy = new TestProxy().start();
        closeLast.add(proxy);
        List<String> tokenRequests = new CopyOnWriteArrayList<>();
        HttpServer identity = identity(tokenRequests, new AtomicInteger(200));
        Map<String, String> env = managedIdentityEnv(topic, identity);
        // the topic as "localhost" (in the test certificate too), the token endpoint as 127.0.0.1, which is exempted
        // as a VM exempts 169.254.169.254; the proxy settings are azure-core's: here the JVM's
        env.put("AGENT_EVENTGRID_ENDPOINT", "https://localhost:" + topic.port() + "/api/events");
        env.put("JAVA_TOOL_OPTIONS", trustAndProxy(proxy));
        TestAgent agent = agent(env);

        imds.setEvents(List.of(reboot(EVENT_ID)));
        topic.await(r -> has(arrived(r, "eventgrid"), "Scheduled"), WAIT, "Scheduled");
        agent.stop();

        assertEquals(List.of("localhost:" + topic.port()), proxy.connects().stream().distinct().toList(),
                "the publish, and only the publish, went through the proxy, as a CONNECT tunnel (TLS end to end)");
        assertFalse(tokenRequests.isEmpty(), "the token endpoint was asked directly");
        assertEquals("Bearer mi-token-for-test", topic.requests().get(0).header("authorization"));
        assertEquals(List.of("Scheduled"), arrived(topic.requests(), "eventgrid").stream().map(Arrived::status)
                .toList());
        assertFalse(agent.output().contains("mi-token-for-test"), "the token is not logged");
    }

    /**
     * The point of the sink's own HTTPS publishing: with a key or a SAS token, a publish loads no class of the Azure
     * SDK (azure-core, Reactor, MSAL) and not the JDK's java.net.http client (about 25-29 MB RSS and 1,900 classes
     * when it did). The JVM's own class-loading log of the packaged agent, from start to SIGTERM, says so.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"key,eventgrid", "sas,cloudevents"})
    void aPublishWithAKeyOrSasTokenLoadsNothingOfTheAzureSdk(String auth, String schema) throws Exception {
        TestTopic topic = topic(0);
        Path classLog = dir.resolve("classes.log");
        Map<String, String> env = env(topic, schema);
        env.put("AGENT_EVENTGRID_AUTH", auth);
        env.put("JAVA_TOOL_OPTIONS", TestTls.get().javaToolOptions() + " -Xlog:class+load=info:file=" + classLog);
        TestAgent agent = agent(env);
        SimEvent scheduled = reboot(EVENT_ID);

        imds.setEvents(List.of(scheduled));
        topic.await(r -> has(arrived(r, schema), "Scheduled"), WAIT, "Scheduled");
        imds.setEvents(List.of(scheduled.started()));
        topic.await(r -> has(arrived(r, schema), "Started"), WAIT, "Started");
        agent.stop();

        TestTopic.Request request = topic.requests().get(0);
        assertEquals(auth.equals("key") ? KEY : null, request.header("aeg-sas-key"));
        assertEquals(auth.equals("sas"), request.header("aeg-sas-token") != null);
        List<String> loaded = Files.readAllLines(classLog);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" scheduledevents.sink.eventgrid.HttpsPublisher ")),
                "the log names the classes loaded, the sink's own publisher among them");
        List<String> sdk = loaded.stream().filter(l -> l.matches(".*\\] (com\\.azure\\.|reactor\\.|"
                + "com\\.microsoft\\.aad\\.|java\\.net\\.http\\.|jdk\\.internal\\.net\\.http\\.).*")).toList();
        assertEquals(List.of(), sdk.subList(0, Math.min(20, sdk.size())), sdk.size() + " classes of the SDK or the "
                + "JDK's HttpClient loaded");
        assertNoSecretIn(agent);
    }

    @Test
    void aProxySetTheJvmWayCarriesAPublishWithAKey() throws Exception {
        TestTopic topic = topic(0);
        TestProxy proxy = new TestProxy().start();
        closeLast.add(proxy);
        Map<String, String> env = env(topic, "eventgrid");
        // the topic by a name only the proxy resolves (in the test certificate too): the JDK's default proxy
        // selector, which the sink's own publishing uses, never proxies localhost or 127.*; IMDS never uses a proxy
        env.put("AGENT_EVENTGRID_ENDPOINT", "https://" + TestProxy.LOOPBACK_NAME + ":" + topic.port() + "/api/events");
        env.put("JAVA_TOOL_OPTIONS", trustAndProxy(proxy));
        TestAgent agent = agent(env);

        imds.setEvents(List.of(reboot(EVENT_ID)));
        topic.await(r -> has(arrived(r, "eventgrid"), "Scheduled"), WAIT, "Scheduled");
        agent.stop();

        assertEquals(List.of(TestProxy.LOOPBACK_NAME + ":" + topic.port()), proxy.connects().stream().distinct()
                .toList(), "the publish went through the proxy, as a CONNECT tunnel (TLS end to end)");
        assertEquals(KEY, topic.requests().get(0).header("aeg-sas-key"));
        assertEquals(List.of("Scheduled"), arrived(topic.requests(), "eventgrid").stream().map(Arrived::status)
                .toList());
        assertNoSecretIn(agent);
    }

    @Test
    void enabledWithoutEndpointStopsStartUpWithOneLine() throws Exception {
        TestTopic topic = topic(0);
        Map<String, String> env = env(topic, "eventgrid");
        env.put("AGENT_EVENTGRID_ENDPOINT", "");
        env.put("AGENT_SINKS", "log,eventgrid");
        TestAgent agent = agent(env);

        assertEquals(2, agent.awaitExit(WAIT));

        List<String> lines = agent.stderr().lines().filter(l -> l.startsWith("scheduled-events-agent:")).toList();
        assertEquals(1, lines.size(), agent.stderr());
        assertTrue(lines.get(0).startsWith("scheduled-events-agent: Invalid setting agent.eventgrid.endpoint: "),
                lines.get(0));
        assertFalse(agent.stderr().contains("Exception"), agent.stderr());
        assertNoSecretIn(agent);
        assertTrue(topic.requests().isEmpty());
    }

    /** The test trust store, and the proxy set the JVM way, with loopback (the token endpoint's) exempted. */
    private static String trustAndProxy(TestProxy proxy) {
        return TestTls.get().javaToolOptions() + " -Dhttps.proxyHost=127.0.0.1 -Dhttps.proxyPort=" + proxy.port()
                + " -Dhttp.nonProxyHosts=127.0.0.1";
    }

    private static long count(Path queue) {
        try (Stream<Path> files = Files.list(queue)) {
            return files.filter(p -> p.getFileName().toString().matches("[0-9].*\\.json")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isEmpty(Path queue) {
        return count(queue) == 0;
    }
}
