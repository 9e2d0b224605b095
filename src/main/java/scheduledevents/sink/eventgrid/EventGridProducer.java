package scheduledevents.sink.eventgrid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import scheduledevents.delivery.PermanentDeliveryException;

/**
 * Sends the body to the topic in one request. Two ways:
 * <ul>
 * <li>With {@code credentialType} ACCESS_KEY or SHARED_ACCESS_SIGNATURE and the {@code accessKey} option, a body of
 * {@link WireEvent}s (what {@link EventEnvelopes} makes: the agent's records) goes out as one HTTPS POST of this
 * component's own ({@link HttpsPublisher}), and no class of the Azure SDK loads: the SDK, with Reactor and the JDK's
 * HttpClient under it, is about 25-29 MB RSS and 1,900 classes, against the agent's goal of at most 96 MB on every
 * VM of a fleet.</li>
 * <li>Everything else goes through Microsoft's client ({@link SdkPublisher}), loaded on first need: Microsoft Entra
 * credentials, a given {@code publisherClient} or {@code azureKeyCredential}, and bodies as upstream takes them, an
 * {@code EventGridEvent} or {@code CloudEvent} (or a list of them) as it is, anything else wrapped as the
 * {@code data} of one event with id, type, subject, time and data version from the {@code CamelAzureEventGrid*}
 * headers.</li>
 * </ul>
 *
 * <p>Neither retries: a failed publish fails the exchange at once, with a {@link PermanentDeliveryException} or an
 * {@link EventGridUnavailableException} (see {@link PublishFailures}), and the route's error handler decides when to
 * try again, so there is one retry policy, not two nested ones. A SAS token is renewed when less than a tenth of its
 * validity ({@code sasTokenValidity}) is left ({@link SasToken}).
 */
public class EventGridProducer extends DefaultProducer {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Clock clock = Clock.systemUTC();
    private URI topic;
    private CredentialType credentialType;
    private EventSchema schema;
    /** Key or SAS with the accessKey option: this component's own publishing; else null. */
    private HttpsPublisher https;
    private SasToken sas;
    /** Made on first need (at start when {@link #https} is null). */
    private SdkPublisher sdk;

    public EventGridProducer(EventGridEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public EventGridEndpoint getEndpoint() {
        return (EventGridEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        EventGridEndpoint endpoint = getEndpoint();
        topic = checkedTopic(endpoint.getTopicEndpoint());
        if (endpoint.getSasTokenValidity() < 60_000) {
            throw new IllegalArgumentException("azure-eventgrid: sasTokenValidity must be at least 60000 ms, got "
                    + endpoint.getSasTokenValidity());
        }
        credentialType = endpoint.getCredentialType();
        schema = endpoint.getSchema();
        if (credentialType == CredentialType.SHARED_ACCESS_SIGNATURE) {
            sas = new SasToken(topic.toString(), endpoint.getSasTokenValidity(), clock);
        }
        if (credentialType.usesAccessKey() && endpoint.getPublisherClient() == null
                && endpoint.getAzureKeyCredential() == null) {
            String key = endpoint.getAccessKey();
            if (key == null) {
                throw new IllegalArgumentException("azure-eventgrid: credentialType " + credentialType
                        + " needs an access key (option accessKey or azureKeyCredential)");
            }
            if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("azure-eventgrid: the access key has a control character (a "
                        + "line break?), which no key has");
            }
            if (sas != null) {
                sas.current(key); // a key that is not base64 stops the start, as it did with the SDK
            }
            https = new HttpsPublisher(topic);
        } else {
            sdk = new SdkPublisher(endpoint, topic, sas);
        }
    }

    static URI checkedTopic(String topicEndpoint) {
        if (topicEndpoint == null || topicEndpoint.isEmpty()) {
            throw new IllegalArgumentException("azure-eventgrid: the topic endpoint is empty "
                    + "(azure-eventgrid:https://<topic>.<region>-1.eventgrid.azure.net/api/events)");
        }
        try {
            URI uri = new URI(topicEndpoint);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("azure-eventgrid: the topic endpoint must be an https:// URL "
                        + "with a host, got '" + topicEndpoint + "'");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("azure-eventgrid: the topic endpoint must not carry user info");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("azure-eventgrid: the topic endpoint is not a URL: '" + topicEndpoint
                    + "'");
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        List<Object> items = items(message.getBody());
        if (items.isEmpty()) {
            return;
        }
        if (https != null && items.stream().allMatch(WireEvent.class::isInstance)) {
            publish(items);
        } else {
            sdk().publish(items, message);
        }
    }

    private synchronized SdkPublisher sdk() {
        if (sdk == null) {
            sdk = new SdkPublisher(getEndpoint(), topic, sas);
        }
        return sdk;
    }

    /** This component's own publishing: the events as one JSON array, in one POST with the key or a SAS token. */
    private void publish(List<Object> items) {
        ArrayNode array = MAPPER.createArrayNode();
        for (Object item : items) {
            WireEvent event = (WireEvent) item;
            if (event.schema() != schema) {
                throw schemaMismatch(event.schema(), schema);
            }
            array.add(event.json());
        }
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("azure-eventgrid: the events cannot be written as JSON", e);
        }
        String key = getEndpoint().getAccessKey();
        String token = null;
        int status;
        try {
            if (sas != null) {
                token = sas.current(key);
                status = https.post(body, HttpsPublisher.contentType(schema), HttpsPublisher.SAS_HEADER, token);
            } else {
                status = https.post(body, HttpsPublisher.contentType(schema), HttpsPublisher.KEY_HEADER, key);
            }
        } catch (IOException | RuntimeException e) {
            throw PublishFailures.unreachable(e, topic, PublishFailures.nonNull(key, token));
        }
        if (status != 200) {
            // the SDK's check too: Event Grid answers 200 to a publish it took; a 3xx is not followed
            throw PublishFailures.forStatus(status, PublishFailures.host(topic), credentialType, items.size());
        }
    }

    static PermanentDeliveryException schemaMismatch(EventSchema event, EventSchema endpoint) {
        return new PermanentDeliveryException("azure-eventgrid: an event in schema " + name(event)
                + " cannot go to an endpoint with schema " + name(endpoint));
    }

    private static String name(EventSchema schema) {
        return schema == EventSchema.EVENT_GRID ? "eventgrid" : "cloudevents";
    }

    private static List<Object> items(Object body) {
        if (body == null) {
            return List.of();
        }
        if (body instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        return List.of(body);
    }
}
