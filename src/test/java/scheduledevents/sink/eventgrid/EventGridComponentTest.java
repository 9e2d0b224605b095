package scheduledevents.sink.eventgrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scheduledevents.delivery.PermanentDeliveryException;
import scheduledevents.record.TransitionRecord;

/**
 * The azure-eventgrid component against a real HTTPS topic on loopback ({@link TestTopic}); what arrives is read back
 * with the Azure SDK's own parsers.
 */
class EventGridComponentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Event Grid keys are base64 of 32 bytes; a fresh one per run. */
    private static final String KEY = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
    private static final String RESOURCE_ID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/"
            + "rg-prod/providers/Microsoft.Compute/virtualMachines/myvm";

    private TestTopic topic;
    private CamelContext camel;
    private ProducerTemplate producer;

    private static SSLContext jvmDefault;

    @BeforeAll
    static void trustTestCertificate() {
        jvmDefault = TestTls.trustedByThisJvm();
    }

    @AfterAll
    static void restoreJvmTrust() {
        SSLContext.setDefault(jvmDefault);
    }

    @BeforeEach
    void start() throws Exception {
        topic = new TestTopic().start();
        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
        topic.close();
    }

    static String record(String eventId, String status) {
        return "{\"EventId\":\"" + eventId + "\",\"EventType\":\"Reboot\",\"ResourceType\":\"VirtualMachine\","
                + "\"Resources\":[\"myvm\"],\"EventStatus\":\"" + status + "\",\"NotBefore\":\"Wed, 25 Nov 2026 16:16:02 GMT\","
                + "\"Description\":\"line one\\r\\nFORGED \\\"quote\\\" <tag> \\u2028\",\"EventSource\":\"User\","
                + "\"DurationInSeconds\":-1,\"NotBeforeUtc\":\"2026-11-25T16:16:02Z\",\"DocumentIncarnation\":3,"
                + "\"ObservedAt\":\"2026-11-25T16:01:02.123Z\",\"NoticeSeconds\":900,\"AffectsThisVm\":true,"
                + "\"Vm\":{\"Name\":\"myvm\",\"ResourceId\":\"" + RESOURCE_ID + "\",\"VmId\":\"02aab8a4-74ef-476e-8182-"
                + "f6d2ba4166a6\",\"Location\":\"westeurope\",\"VmScaleSetName\":null,\"SubscriptionId\":null,"
                + "\"ResourceGroupName\":null,\"Zone\":null}}";
    }

    private String uri(String options) {
        return "azure-eventgrid:" + topic.endpoint() + "?" + options;
    }

    private String keyOption() {
        return "accessKey=RAW(" + KEY + ")";
    }

    @Test
    void eventGridSchemaWithKeyArrivesOnceWithTheKeyHeaderAndParsesWithTheSdk() throws Exception {
        EventEnvelopes events = new EventEnvelopes(EventSchema.EVENT_GRID, "ScheduledEvent", "", "");
        String record = record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Scheduled");

        producer.sendBody(uri(keyOption() + "&schema=eventgrid"), List.of(events.toEvent(record)));

        List<TestTopic.Request> requests = topic.requests();
        assertEquals(1, requests.size());
        TestTopic.Request request = requests.get(0);
        assertEquals("POST", request.method());
        assertTrue(request.pathAndQuery().startsWith("/api/events?api-version=2018-01-01"), request.pathAndQuery());
        assertEquals(KEY, request.header("aeg-sas-key"));
        assertNull(request.header("authorization"));
        assertTrue(request.header("content-type").startsWith("application/json"), request.header("content-type"));

        List<EventGridEvent> received = EventGridEvent.fromString(request.body());
        assertEquals(1, received.size());
        EventGridEvent event = received.get(0);
        assertEquals("ScheduledEvent", event.getEventType());
        assertEquals(RESOURCE_ID, event.getSubject());
        assertEquals("1.0", event.getDataVersion());
        assertEquals(OffsetDateTime.parse("2026-11-25T16:01:02.123Z"), event.getEventTime());
        assertEquals(JSON.readTree(record).get("Vm").get("Name").asText(),
                JSON.readTree(event.getData().toString()).get("Vm").get("Name").asText());
        // the SDK's parser leaves out null members of data; on the wire they are there, as the record has them
        assertEquals(JSON.readTree(record), JSON.readTree(request.body()).get(0).get("data"));
        assertEquals(events.toEvent(record("f020ba2e-3bc0-4c40-a10b-86575a9eabd5", "Scheduled")).text("id"),
                event.getId(), "the id ignores the case of EventId");
    }

    @Test
    void cloudEventsSchemaArrivesAsACloudEventsBatch() throws Exception {
        EventEnvelopes events = new EventEnvelopes(EventSchema.CLOUD_EVENTS, "ScheduledEvent", "", "");
        String first = record("C7061BAC-AFDC-4513-B24B-AA5F13A16123", "Scheduled");
        String second = record("C7061BAC-AFDC-4513-B24B-AA5F13A16123", "Started");

        producer.sendBody(uri(keyOption() + "&schema=cloudevents"), List.of(events.toEvent(first),
                events.toEvent(second)));

        TestTopic.Request request = topic.requests().get(0);
        assertEquals(1, topic.requests().size(), "two records, one request");
        assertTrue(request.header("content-type").startsWith("application/cloudevents-batch+json"),
                request.header("content-type"));
        assertEquals(KEY, request.header("aeg-sas-key"));
        List<CloudEvent> received = CloudEvent.fromString(request.body());
        assertEquals(2, received.size());
        CloudEvent event = received.get(0);
        assertEquals("ScheduledEvent", event.getType());
        assertEquals(RESOURCE_ID, event.getSource());
        assertEquals("myvm", event.getSubject());
        assertEquals(OffsetDateTime.parse("2026-11-25T16:01:02.123Z"), event.getTime());
        assertEquals(JSON.readTree(first), JSON.readTree(event.getData().toString()));
        assertEquals(JSON.readTree(second), JSON.readTree(received.get(1).getData().toString()));
        assertFalse(event.getId().equals(received.get(1).getId()), "another status is another event");
    }

    @Test
    void anyOtherBodyIsWrappedAsUpstreamDoesWithIdAndTypeFromHeaders() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(EventGridConstants.ID, "my-id");
        headers.put(EventGridConstants.EVENT_TYPE, "My.Type");
        headers.put(EventGridConstants.SUBJECT, "my/subject");

        producer.sendBodyAndHeaders(uri(keyOption()), Map.of("hello", "world"), headers);

        CloudEvent event = CloudEvent.fromString(topic.requests().get(0).body()).get(0);
        assertEquals("my-id", event.getId());
        assertEquals("My.Type", event.getType());
        assertEquals("my/subject", event.getSubject());
        assertEquals("{\"hello\":\"world\"}", event.getData().toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 413, 501, 505})
    void refusalsThatRetryingCannotFixArePermanentAndSayWhatToFix(int status) {
        topic.answerNext(status, 1);

        Exception failure = assertThrows(CamelExecutionException.class,
                () -> producer.sendBody(uri(keyOption() + "&schema=eventgrid"), eventFor("Scheduled")));

        PermanentDeliveryException permanent = assertInstanceOf(PermanentDeliveryException.class, failure.getCause());
        String message = permanent.getMessage();
        assertTrue(message.contains(String.valueOf(status)), message);
        assertTrue(message.contains("127.0.0.1"), message);
        assertFalse(message.contains(KEY), "the key must not be in the message");
        assertFalse(message.contains("echo of your headers"), "the server's body is not passed on: " + message);
        assertFalse(message.contains("\n"), message);
        assertNull(permanent.getCause());
        String expected = switch (status) {
            case 400 -> "agent.eventgrid.schema";
            case 401 -> "agent.eventgrid.key";
            case 403 -> "EventGrid Data Sender";
            case 404 -> "agent.eventgrid.endpoint";
            case 413 -> "1 MB";
            default -> "retrying cannot change";
        };
        assertTrue(message.contains(expected), message);
        assertEquals(1, topic.requests().size(), "the SDK must not retry on its own");
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void passingFailuresAreRetryableAndTheSdkDoesNotRetryOnItsOwn(int status) {
        topic.answerNext(status, 1);

        Exception failure = assertThrows(CamelExecutionException.class,
                () -> producer.sendBody(uri(keyOption() + "&schema=eventgrid"), eventFor("Scheduled")));

        EventGridUnavailableException retryable = assertInstanceOf(EventGridUnavailableException.class,
                failure.getCause());
        assertTrue(retryable.getMessage().contains(String.valueOf(status)), retryable.getMessage());
        assertFalse(retryable.getMessage().contains(KEY));
        assertEquals(1, topic.requests().size());

        producer.sendBody(uri(keyOption() + "&schema=eventgrid"), eventFor("Scheduled"));
        assertEquals(2, topic.requests().size(), "the next attempt goes through");
    }

    @Test
    void aTopicThatIsDownIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String uri = "azure-eventgrid:https://127.0.0.1:" + closedPort + "/api/events?" + keyOption()
                + "&schema=eventgrid";

        Exception failure = assertThrows(CamelExecutionException.class, () -> producer.sendBody(uri,
                eventFor("Scheduled")));

        EventGridUnavailableException retryable = assertInstanceOf(EventGridUnavailableException.class,
                failure.getCause());
        assertTrue(retryable.getMessage().contains("not reachable"), retryable.getMessage());
        // the JDK's HttpClient puts ClosedChannelException, which says nothing to an operator, at the root
        assertTrue(retryable.getMessage().contains("ConnectException"), "names the failed connection: "
                + retryable.getMessage());
        assertFalse(retryable.getMessage().contains(KEY));
    }

    @Test
    void sasSendsASignedTokenMadeFromTheKeyAndNeverTheKey() throws Exception {
        Instant before = Instant.now();

        producer.sendBody(uri(keyOption() + "&schema=eventgrid&credentialType=sas&sasTokenValidity=600000"),
                eventFor("Scheduled"));

        TestTopic.Request request = topic.requests().get(0);
        assertNull(request.header("aeg-sas-key"));
        assertSignedToken(request.header("aeg-sas-token"), before, 600);
    }

    @Test
    void sasThroughTheSdkWithAGivenKeyCredentialSendsTheSameKindOfToken() throws Exception {
        camel.getRegistry().bind("sdkKey", new AzureKeyCredential(KEY));
        Instant before = Instant.now();

        producer.sendBody(uri("azureKeyCredential=#sdkKey&schema=eventgrid&credentialType=sas"
                + "&sasTokenValidity=600000"), eventFor("Scheduled"));

        TestTopic.Request request = topic.requests().get(0);
        assertNull(request.header("aeg-sas-key"));
        assertSignedToken(request.header("aeg-sas-token"), before, 600);
    }

    /** A SAS token for the topic, valid for about {@code seconds} from {@code before}, signed with the key. */
    private void assertSignedToken(String token, Instant before, long seconds) throws Exception {
        assertNotNull(token);
        assertFalse(token.contains(KEY));
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : token.split("&")) {
            String[] kv = part.split("=", 2);
            parts.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertEquals(java.util.Set.of("r", "e", "s"), parts.keySet(), token);
        assertTrue(parts.get("r").startsWith(topic.endpoint()), parts.get("r"));
        Instant expiry = OffsetDateTime.parse(parts.get("e"), java.time.format.DateTimeFormatter.ofPattern(
                "M/d/yyyy h:m:s a", java.util.Locale.US).withZone(ZoneOffset.UTC)).toInstant();
        assertTrue(!expiry.isBefore(before.plusSeconds(seconds - 10))
                        && !expiry.isAfter(Instant.now().plusSeconds(seconds + 10)),
                "expiry about " + seconds + " s ahead: " + expiry);
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(Base64.getDecoder().decode(KEY), "HmacSHA256"));
        String unsigned = "r=" + URLEncoder.encode(parts.get("r"), StandardCharsets.UTF_8) + "&e="
                + URLEncoder.encode(parts.get("e"), StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(hmac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
        assertEquals(signature, parts.get("s"), "signed with the key");
    }

    @Test
    void aTokenCredentialSendsABearerTokenForEventGridsScope() {
        List<String> scopes = new CopyOnWriteArrayList<>();
        TokenCredential credential = request -> {
            scopes.addAll(request.getScopes());
            return reactor.core.publisher.Mono.just(new AccessToken("test-entra-token",
                    OffsetDateTime.now().plusHours(1)));
        };
        camel.getRegistry().bind("entra", credential);

        producer.sendBody(uri("credentialType=TOKEN_CREDENTIAL&tokenCredential=#entra&schema=eventgrid"),
                eventFor("Scheduled"));

        TestTopic.Request request = topic.requests().get(0);
        assertEquals("Bearer test-entra-token", request.header("authorization"));
        assertNull(request.header("aeg-sas-key"));
        assertEquals(List.of("https://eventgrid.azure.net/.default"), scopes);
    }

    @Test
    void anEndpointNeedsNoSettingUntilItsProducerStarts() throws Exception {
        // a sink route that is not enabled is still created: its endpoint must not check anything
        EventGridEndpoint endpoint = camel.getEndpoint("azure-eventgrid:?credentialType=bogus&schema=bogus",
                EventGridEndpoint.class);
        assertNotNull(endpoint);

        Exception failure = assertThrows(Exception.class, () -> endpoint.createProducer().start());
        assertTrue(failure.getMessage().contains("topic endpoint is empty"), failure.getMessage());
    }

    /**
     * The agent's records, through this component's own HTTPS publishing and through the Azure SDK as before (the
     * SDK's EventGridEvent and CloudEvent made from the record as EventEnvelopes made them until it made
     * {@link WireEvent}s), and the WireEvents through the SDK: the topic gets the same events (parsed JSON), the
     * same content type, path and query.
     */
    @ParameterizedTest
    @ValueSource(strings = {"eventgrid", "cloudevents"})
    void theOwnPublishingSendsWhatTheSdkSendsForTheSameRecords(String schemaName) throws Exception {
        EventSchema schema = EventSchema.parse(schemaName);
        EventEnvelopes events = new EventEnvelopes(schema, "ScheduledEvent", "", "fallback-vm");
        List<String> records = List.of(
                record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Scheduled"),
                // a whole minute: OffsetDateTime.toString() leaves out the seconds
                record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Started").replace("16:01:02.123Z", "16:05:00Z"),
                // no VM identity, an offset, nanoseconds, text outside ASCII
                "{\"EventId\":\"X\",\"EventStatus\":\"Scheduled\",\"Vm\":null,\"Description\":\"\u00e9t\u00e9 "
                        + "\\u2028 \\\"q\\\" \\\\\",\"Resources\":[],\"N\":-1.5,"
                        + "\"ObservedAt\":\"2026-11-25T17:01:02.123456789+01:00\"}");
        camel.getRegistry().bind("sdkKey", new AzureKeyCredential(KEY));
        String own = uri(keyOption() + "&schema=" + schemaName);
        String sdk = uri("azureKeyCredential=#sdkKey&schema=" + schemaName);

        producer.sendBody(own, records.stream().map(events::toEvent).toList());
        producer.sendBody(sdk, records.stream().map(r -> sdkEventAsBefore(schema, r, "fallback-vm")).toList());
        producer.sendBody(sdk, records.stream().map(events::toEvent).toList());

        List<TestTopic.Request> requests = topic.requests();
        assertEquals(3, requests.size());
        TestTopic.Request ownRequest = requests.get(0);
        JsonNode sent = JSON.readTree(ownRequest.body());
        assertEquals(records.size(), sent.size());
        for (TestTopic.Request viaSdk : requests.subList(1, 3)) {
            assertEquals(JSON.readTree(viaSdk.body()), sent, "own:\n" + ownRequest.body() + "\nSDK:\n"
                    + viaSdk.body());
            for (int i = 0; i < sent.size(); i++) {
                List<String> names = new ArrayList<>();
                JSON.readTree(viaSdk.body()).get(i).fieldNames().forEachRemaining(names::add);
                List<String> ownNames = new ArrayList<>();
                sent.get(i).fieldNames().forEachRemaining(ownNames::add);
                assertEquals(names, ownNames, "the members in the SDK's order");
            }
            assertEquals(viaSdk.header("content-type"), ownRequest.header("content-type"),
                    "own: " + ownRequest.headers() + "\nSDK: " + viaSdk.headers());
            assertEquals(viaSdk.pathAndQuery(), ownRequest.pathAndQuery());
            assertEquals(viaSdk.header("aeg-sas-key"), ownRequest.header("aeg-sas-key"));
        }
        assertEquals(KEY, ownRequest.header("aeg-sas-key"));
        assertNull(ownRequest.header("authorization"));
        assertEquals(JSON.readTree(records.get(2)), sent.get(2).get("data"), "the record as it is, nulls included");
    }

    /** What EventEnvelopes made of a record while it made SDK objects (the agent until it published on its own). */
    private static Object sdkEventAsBefore(EventSchema schema, String recordJson, String vmName) {
        try {
            JsonNode record = JSON.readTree(recordJson);
            String id = EventEnvelopes.eventId(TransitionRecord.from(record), vmName);
            OffsetDateTime time = OffsetDateTime.parse(record.get("ObservedAt").asText());
            JsonNode vm = record.path("Vm");
            String resourceId = vm.hasNonNull("ResourceId") ? vm.get("ResourceId").asText() : null;
            String name = vm.hasNonNull("Name") ? vm.get("Name").asText() : vmName;
            if (schema == EventSchema.EVENT_GRID) {
                EventGridEvent event = new EventGridEvent(resourceId != null ? resourceId : name, "ScheduledEvent",
                        BinaryData.fromString(recordJson), "1.0");
                event.setId(id);
                event.setEventTime(time);
                return event;
            }
            CloudEvent event = new CloudEvent(resourceId != null ? resourceId : "/scheduled-events-agent/" + name,
                    "ScheduledEvent", BinaryData.fromString(recordJson), CloudEventDataFormat.JSON,
                    "application/json");
            event.setId(id);
            event.setTime(time);
            event.setSubject(name != null ? name : resourceId);
            return event;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEventOfTheOtherSchemaIsRefusedForGoodAndNotSent() {
        WireEvent cloudEvent = new EventEnvelopes(EventSchema.CLOUD_EVENTS, "ScheduledEvent", "", "")
                .toEvent(record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", "Scheduled"));

        Exception failure = assertThrows(CamelExecutionException.class,
                () -> producer.sendBody(uri(keyOption() + "&schema=eventgrid"), List.of(cloudEvent)));

        PermanentDeliveryException permanent = assertInstanceOf(PermanentDeliveryException.class, failure.getCause());
        assertTrue(permanent.getMessage().contains("schema"), permanent.getMessage());
        assertTrue(topic.requests().isEmpty());
    }

    @Test
    void aRedirectIsNotFollowedAndIsPermanent() {
        topic.answerNext(307, 1);

        Exception failure = assertThrows(CamelExecutionException.class,
                () -> producer.sendBody(uri(keyOption() + "&schema=eventgrid"), eventFor("Scheduled")));

        PermanentDeliveryException permanent = assertInstanceOf(PermanentDeliveryException.class, failure.getCause());
        assertTrue(permanent.getMessage().contains("307"), permanent.getMessage());
        assertTrue(permanent.getMessage().contains("agent.eventgrid.endpoint"), permanent.getMessage());
        assertEquals(1, topic.requests().size());
    }

    @Test
    void optionsSetOnTheComponentApplyToAnEndpointWhoseUriDoesNotSetThem() {
        // the agent sets them on the component (routes/42 writes only the topic); a URI option still wins
        EventGridComponent component = new EventGridComponent();
        component.setCredentialType("sas");
        component.setSchema("eventgrid");
        component.setSasTokenValidity(120_000);
        component.setManagedIdentityClientId("11111111-2222-3333-4444-555555555555");
        component.setLazyStartProducer(true);
        camel.addComponent("eventgrid-configured", component);

        EventGridEndpoint bare = camel.getEndpoint("eventgrid-configured:" + topic.endpoint(), EventGridEndpoint.class);
        assertEquals(CredentialType.SHARED_ACCESS_SIGNATURE, bare.getCredentialType());
        assertEquals(EventSchema.EVENT_GRID, bare.getSchema());
        assertEquals(120_000, bare.getSasTokenValidity());
        assertEquals("11111111-2222-3333-4444-555555555555", bare.getManagedIdentityClientId());
        assertTrue(bare.isLazyStartProducer());

        EventGridEndpoint own = camel.getEndpoint("eventgrid-configured:" + topic.endpoint() + "?schema=cloudevents",
                EventGridEndpoint.class);
        assertEquals(EventSchema.CLOUD_EVENTS, own.getSchema());
    }

    @Test
    void aKeyWithALineBreakStopsTheProducerWithoutShowingIt() {
        EventGridEndpoint endpoint = camel.getEndpoint(uri("schema=eventgrid"), EventGridEndpoint.class);
        endpoint.setAccessKey(KEY.substring(0, 20) + "\n" + KEY.substring(20));

        Exception failure = assertThrows(Exception.class, () -> endpoint.createProducer().start());
        assertTrue(failure.getMessage().contains("control character"), failure.getMessage());
        assertFalse(failure.getMessage().contains(KEY.substring(0, 20)), failure.getMessage());
    }

    @Test
    void sdkOptionsOfTheWrongTypeAreRefusedAtStart() {
        camel.getRegistry().bind("notACredential", "text");
        EventGridEndpoint endpoint = camel.getEndpoint(uri("credentialType=TOKEN_CREDENTIAL"
                + "&tokenCredential=#notACredential"), EventGridEndpoint.class);

        Exception failure = assertThrows(Exception.class, () -> endpoint.createProducer().start());
        assertTrue(failure.getMessage().contains("TokenCredential"), failure.getMessage());
    }

    @Test
    void plainHttpIsRefusedAtStart() {
        EventGridEndpoint endpoint = camel.getEndpoint("azure-eventgrid:http://127.0.0.1:1/api/events?"
                + keyOption(), EventGridEndpoint.class);

        Exception failure = assertThrows(Exception.class, () -> endpoint.createProducer().start());
        assertTrue(failure.getMessage().contains("https://"), failure.getMessage());
    }

    private static Object eventFor(String status) {
        return new EventEnvelopes(EventSchema.EVENT_GRID, "ScheduledEvent", "", "")
                .toEvent(record("F020BA2E-3BC0-4C40-A10B-86575A9EABD5", status));
    }
}
