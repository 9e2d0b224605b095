package scheduledevents.sink.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
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
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Message;
import scheduledevents.delivery.PermanentDeliveryException;

/**
 * A producer's publishing through Microsoft's {@code azure-messaging-eventgrid} client: for Microsoft Entra
 * credentials ({@code MANAGED_IDENTITY}, {@code AZURE_IDENTITY}, {@code TOKEN_CREDENTIAL}), a given
 * {@code publisherClient} or {@code azureKeyCredential}, and bodies that are SDK objects ({@link EventGridEvent},
 * {@link CloudEvent}, {@link BinaryData}) or anything else to wrap as upstream does. Every class of the SDK that the
 * component uses is named here or in {@link SdkHttp}, and this class loads only when the producer needs it.
 *
 * <p>The SDK's own retries are off: there is one retry policy, the route's.
 */
final class SdkPublisher {
    private final EventGridEndpoint endpoint;
    private final URI topic;
    private final SasToken sas;
    /** Schema eventgrid: the SDK's custom-event client, fed JSON made here (see {@link EventGridJson}). */
    private EventGridPublisherClient<BinaryData> eventGridClient;
    private EventGridPublisherClient<CloudEvent> cloudEventClient;
    private AzureKeyCredential keyCredential;
    private AzureSasCredential sasCredential;
    private String sasToken;

    /**
     * @param sas the producer's SAS token, for SHARED_ACCESS_SIGNATURE (else null)
     * @throws IllegalArgumentException if an option is missing or of the wrong type
     */
    @SuppressWarnings("unchecked")
    SdkPublisher(EventGridEndpoint endpoint, URI topic, SasToken sas) {
        this.endpoint = endpoint;
        this.topic = topic;
        this.sas = sas;
        Object given = endpoint.getPublisherClient();
        if (given != null) {
            if (!(given instanceof EventGridPublisherClient<?>)) {
                throw new IllegalArgumentException("azure-eventgrid: publisherClient must be an "
                        + "EventGridPublisherClient, got " + given.getClass().getName());
            }
            if (endpoint.getSchema() == EventSchema.EVENT_GRID) {
                eventGridClient = (EventGridPublisherClient<BinaryData>) given;
            } else {
                cloudEventClient = (EventGridPublisherClient<CloudEvent>) given;
            }
            return;
        }
        HttpClient http = ((EventGridComponent) endpoint.getComponent()).sdkHttp().client();
        EventGridPublisherClientBuilder builder = new EventGridPublisherClientBuilder()
                .endpoint(topic.toString())
                .httpClient(http)
                // one retry policy, the route's: the SDK tries once
                .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
        switch (endpoint.getCredentialType()) {
            case ACCESS_KEY -> builder.credential(keyCredential());
            case SHARED_ACCESS_SIGNATURE -> {
                keyCredential = keyCredential();
                renewSas();
                builder.credential(sasCredential);
            }
            case TOKEN_CREDENTIAL -> {
                Object credential = endpoint.getTokenCredential();
                if (credential == null) {
                    throw new IllegalArgumentException("azure-eventgrid: credentialType TOKEN_CREDENTIAL needs the "
                            + "tokenCredential option");
                }
                if (!(credential instanceof TokenCredential token)) {
                    throw new IllegalArgumentException("azure-eventgrid: tokenCredential must be a TokenCredential, "
                            + "got " + credential.getClass().getName());
                }
                builder.credential(token);
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
        Object given = endpoint.getAzureKeyCredential();
        if (given != null) {
            if (!(given instanceof AzureKeyCredential credential)) {
                throw new IllegalArgumentException("azure-eventgrid: azureKeyCredential must be an "
                        + "AzureKeyCredential, got " + given.getClass().getName());
            }
            return credential;
        }
        if (endpoint.getAccessKey() == null) {
            throw new IllegalArgumentException("azure-eventgrid: credentialType " + endpoint.getCredentialType()
                    + " needs an access key (option accessKey or azureKeyCredential)");
        }
        return new AzureKeyCredential(endpoint.getAccessKey());
    }

    /** The key of a given {@code azureKeyCredential}, to redact; null if there is none. */
    static String givenKey(Object azureKeyCredential) {
        return azureKeyCredential instanceof AzureKeyCredential credential ? credential.getKey() : null;
    }

    private void renewSas() {
        String token = sas.current(keyCredential.getKey());
        if (sasCredential == null) {
            sasCredential = new AzureSasCredential(token);
        } else if (!token.equals(sasToken)) {
            sasCredential.update(token);
        }
        sasToken = token;
    }

    /** Sends the items in one request; a failure comes out as the sink's exceptions ({@link #classify}). */
    void publish(List<Object> items, Message message) {
        try {
            if (sasCredential != null) {
                renewSas();
            }
            if (eventGridClient != null) {
                List<BinaryData> events = new ArrayList<>(items.size());
                for (Object item : items) {
                    events.add(item instanceof BinaryData json ? json : eventGridJson(item, message));
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
            throw classify(e, topic, endpoint.getCredentialType(), items.size(),
                    PublishFailures.nonNull(endpoint.getAccessKey(), sasToken,
                            givenKey(endpoint.getAzureKeyCredential())));
        }
    }

    /** What the SDK threw, as the sink's exceptions (see {@link PublishFailures}). */
    static RuntimeException classify(RuntimeException failure, URI endpoint, CredentialType auth, int events,
                                     List<String> secrets) {
        HttpResponseException http = PublishFailures.find(failure, HttpResponseException.class);
        if (http != null && http.getResponse() != null) {
            return PublishFailures.forStatus(http.getResponse().getStatusCode(), PublishFailures.host(endpoint), auth,
                    events);
        }
        if (auth == CredentialType.MANAGED_IDENTITY || auth == CredentialType.AZURE_IDENTITY) {
            if (PublishFailures.find(failure, ClientAuthenticationException.class) != null) {
                // the hint first: the identity library's detail can be long (it carries the token endpoint's
                // answer) and is cut short in the log
                return new EventGridUnavailableException("no Microsoft Entra token for Event Grid: assign a "
                        + "managed identity to this VM (the one in agent.eventgrid.managed-identity.client-id, if "
                        + "set) and give it the 'EventGrid Data Sender' role on the topic ("
                        + PublishFailures.detail(failure, secrets) + ")");
            }
        }
        return PublishFailures.unreachable(failure, endpoint, secrets);
    }

    private static BinaryData eventGridJson(Object item, Message message) {
        if (item instanceof WireEvent wire) {
            if (wire.schema() != EventSchema.EVENT_GRID) {
                throw EventGridProducer.schemaMismatch(wire.schema(), EventSchema.EVENT_GRID);
            }
            // fromObject: the SDK writes the tree as JSON, nulls included
            return BinaryData.fromObject(wire.json());
        }
        return EventGridJson.toJson(eventGridEvent(item, message));
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
        if (item instanceof WireEvent wire) {
            if (wire.schema() != EventSchema.CLOUD_EVENTS) {
                throw EventGridProducer.schemaMismatch(wire.schema(), EventSchema.CLOUD_EVENTS);
            }
            JsonNode data = wire.json().get("data");
            CloudEvent event = new CloudEvent(wire.text("source"), wire.text("type"),
                    BinaryData.fromString(data == null ? "null" : data.toString()), CloudEventDataFormat.JSON,
                    wire.text("datacontenttype"));
            event.setId(wire.text("id"));
            if (wire.text("time") != null) {
                event.setTime(OffsetDateTime.parse(wire.text("time")));
            }
            event.setSubject(wire.text("subject"));
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
