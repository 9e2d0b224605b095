package scheduledevents.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;
import scheduledevents.delivery.PermanentDeliveryException;

/**
 * Sends the body to the topic in one request: an {@link EventGridEvent} or {@link CloudEvent} (or a list of them)
 * as it is, anything else wrapped as the {@code data} of one event, as upstream does, with id, type, subject, time
 * and data version from the {@code CamelAzureEventGrid*} headers.
 *
 * <p>The SDK's own retries are off: a failed publish fails the exchange at once, with a
 * {@link PermanentDeliveryException} or an {@link EventGridUnavailableException} (see {@link PublishFailures}), and
 * the route's error handler decides when to try again, so there is one retry policy, not two nested ones.
 */
public class EventGridProducer extends DefaultProducer {
    /** Renew the SAS token when less than this share of its validity is left. */
    private static final double SAS_RENEW_FRACTION = 0.1;

    private final Clock clock = Clock.systemUTC();
    private URI topic;
    /** Schema eventgrid: the SDK's custom-event client, fed JSON made here (see {@link EventGridJson}). */
    private EventGridPublisherClient<BinaryData> eventGridClient;
    private EventGridPublisherClient<CloudEvent> cloudEventClient;
    private AzureKeyCredential keyCredential;
    private AzureSasCredential sasCredential;
    private Instant sasExpiry;
    private String sasToken;

    public EventGridProducer(EventGridEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public EventGridEndpoint getEndpoint() {
        return (EventGridEndpoint) super.getEndpoint();
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doStart() throws Exception {
        super.doStart();
        EventGridEndpoint endpoint = getEndpoint();
        topic = checkedTopic(endpoint.getTopicEndpoint());
        if (endpoint.getSasTokenValidity() < 60_000) {
            throw new IllegalArgumentException("azure-eventgrid: sasTokenValidity must be at least 60000 ms, got "
                    + endpoint.getSasTokenValidity());
        }
        if (endpoint.getPublisherClient() != null) {
            if (endpoint.getSchema() == EventSchema.EVENT_GRID) {
                eventGridClient = (EventGridPublisherClient<BinaryData>) endpoint.getPublisherClient();
            } else {
                cloudEventClient = (EventGridPublisherClient<CloudEvent>) endpoint.getPublisherClient();
            }
            return;
        }
        HttpClient http = ((EventGridComponent) endpoint.getComponent()).httpClient();
        EventGridPublisherClientBuilder builder = new EventGridPublisherClientBuilder()
                .endpoint(topic.toString())
                .httpClient(http)
                // one retry policy, the route's: the SDK tries once
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
        switch (endpoint.getCredentialType()) {
            case ACCESS_KEY -> builder.credential(keyCredential());
            case SHARED_ACCESS_SIGNATURE -> {
                keyCredential = keyCredential();
                renewSasIfDue();
                builder.credential(sasCredential);
            }
            case TOKEN_CREDENTIAL -> {
                TokenCredential credential = endpoint.getTokenCredential();
                if (credential == null) {
                    throw new IllegalArgumentException("azure-eventgrid: credentialType TOKEN_CREDENTIAL needs the "
                            + "tokenCredential option");
                }
                builder.credential(credential);
            }
            // the token requests go through the same client as the publishing (else azure-identity makes its own)
            case AZURE_IDENTITY -> builder.credential(new DefaultAzureCredentialBuilder().httpClient(http).build());
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder identity = new ManagedIdentityCredentialBuilder().httpClient(http);
                if (endpoint.getManagedIdentityClientId() != null) {
                    identity.clientId(endpoint.getManagedIdentityClientId());
                }
                builder.credential(identity.build());
            }
            default -> throw new IllegalStateException("unknown credential type " + endpoint.getCredentialType());
        }
        if (endpoint.getSchema() == EventSchema.EVENT_GRID) {
            // not buildEventGridEventPublisherClient: its serialiser drops null members of data, and data is the
            // record as the agent wrote it
            eventGridClient = builder.buildCustomEventPublisherClient();
        } else {
            cloudEventClient = builder.buildCloudEventPublisherClient();
        }
    }

    private AzureKeyCredential keyCredential() {
        EventGridEndpoint endpoint = getEndpoint();
        if (endpoint.getAzureKeyCredential() != null) {
            return endpoint.getAzureKeyCredential();
        }
        if (endpoint.getAccessKey() == null) {
            throw new IllegalArgumentException("azure-eventgrid: credentialType " + endpoint.getCredentialType()
                    + " needs an access key (option accessKey or azureKeyCredential)");
        }
        return new AzureKeyCredential(endpoint.getAccessKey());
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
        EventGridEndpoint endpoint = getEndpoint();
        try {
            if (endpoint.getCredentialType() == CredentialType.SHARED_ACCESS_SIGNATURE) {
                renewSasIfDue();
            }
            if (eventGridClient != null) {
                List<BinaryData> events = new ArrayList<>(items.size());
                for (Object item : items) {
                    events.add(item instanceof BinaryData json ? json
                            : EventGridJson.toJson(eventGridEvent(item, message)));
                }
                eventGridClient.sendEvents(events);
            } else {
                List<CloudEvent> events = new ArrayList<>(items.size());
                for (Object item : items) {
                    events.add(cloudEvent(item, message));
                }
                cloudEventClient.sendEvents(events);
            }
        } catch (PermanentDeliveryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw PublishFailures.classify(e, topic, endpoint.getCredentialType(), items.size(),
                    PublishFailures.nonNull(endpoint.getAccessKey(), sasToken,
                            endpoint.getAzureKeyCredential() == null ? null : endpoint.getAzureKeyCredential().getKey()));
        }
    }

    private void renewSasIfDue() {
        long validity = getEndpoint().getSasTokenValidity();
        Instant now = clock.instant();
        if (sasExpiry != null && now.isBefore(sasExpiry.minusMillis((long) (validity * SAS_RENEW_FRACTION)))) {
            return;
        }
        Instant expiry = now.plusMillis(validity);
        sasToken = EventGridPublisherClient.generateSas(topic.toString(), keyCredential,
                OffsetDateTime.ofInstant(expiry, ZoneOffset.UTC));
        if (sasCredential == null) {
            sasCredential = new AzureSasCredential(sasToken);
        } else {
            sasCredential.update(sasToken);
        }
        sasExpiry = expiry;
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

    private static EventGridEvent eventGridEvent(Object item, Message message) {
        if (item instanceof EventGridEvent event) {
            return event;
        }
        if (item instanceof CloudEvent) {
            throw new PermanentDeliveryException("azure-eventgrid: a CloudEvent cannot go to an endpoint with "
                    + "schema eventgrid");
        }
        EventGridEvent event = new EventGridEvent(header(message, EventGridConstants.SUBJECT, "/camel/event"),
                header(message, EventGridConstants.EVENT_TYPE, "Camel.Event"), BinaryData.fromObject(item),
                header(message, EventGridConstants.DATA_VERSION, "1.0"));
        event.setId(header(message, EventGridConstants.ID, UUID.randomUUID().toString()));
        OffsetDateTime time = message.getHeader(EventGridConstants.EVENT_TIME, OffsetDateTime.class);
        if (time != null) {
            event.setEventTime(time);
        }
        return event;
    }

    private static CloudEvent cloudEvent(Object item, Message message) {
        if (item instanceof CloudEvent event) {
            return event;
        }
        if (item instanceof EventGridEvent) {
            throw new PermanentDeliveryException("azure-eventgrid: an EventGridEvent cannot go to an endpoint with "
                    + "schema cloudevents");
        }
        CloudEvent event = new CloudEvent("/camel", header(message, EventGridConstants.EVENT_TYPE, "Camel.Event"),
                BinaryData.fromObject(item), CloudEventDataFormat.JSON, "application/json");
        event.setSubject(header(message, EventGridConstants.SUBJECT, "/camel/event"));
        event.setId(header(message, EventGridConstants.ID, UUID.randomUUID().toString()));
        OffsetDateTime time = message.getHeader(EventGridConstants.EVENT_TIME, OffsetDateTime.class);
        event.setTime(time != null ? time : OffsetDateTime.now(ZoneOffset.UTC));
        return event;
    }

    private static String header(Message message, String name, String fallback) {
        String value = message.getHeader(name, String.class);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
