package scheduledevents.sink.eventgrid;

import java.time.Duration;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One Event Grid topic. Nothing is checked or connected until the producer starts, so a route that is defined but
 * not started (a sink that is not enabled) needs no setting at all.
 *
 * <p>{@code azureKeyCredential}, {@code tokenCredential} and {@code publisherClient} take objects of the Azure SDK
 * but are typed {@code Object}: Camel binds options by reflection, which loads every class that a public method
 * names, and publishing with a key or SAS token is to load nothing of the SDK (see {@link EventGridComponent}).
 * The producer refuses a value of the wrong type when it starts.
 */
@UriEndpoint(firstVersion = "4.17.0", scheme = "azure-eventgrid", title = "Azure Event Grid",
        syntax = "azure-eventgrid:topicEndpoint", producerOnly = true, category = {Category.CLOUD, Category.MESSAGING})
public class EventGridEndpoint extends DefaultEndpoint {
    static final Duration DEFAULT_SAS_VALIDITY = Duration.ofHours(1);

    private String topicEndpoint;
    private String accessKey;
    private Object azureKeyCredential;
    private Object tokenCredential;
    // kept as given and parsed when the producer starts: a route that never starts needs no valid value
    private String credentialType = CredentialType.ACCESS_KEY.name();
    private Object publisherClient;
    private String schema = EventSchema.CLOUD_EVENTS.name();
    private long sasTokenValidity = DEFAULT_SAS_VALIDITY.toMillis();
    private String managedIdentityClientId;

    public EventGridEndpoint(String uri, EventGridComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        return new EventGridProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("azure-eventgrid only publishes: use it in to:, not from:");
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    public String getTopicEndpoint() {
        return topicEndpoint;
    }

    /** The topic's URL, e.g. https://mytopic.westeurope-1.eventgrid.azure.net/api/events. */
    public void setTopicEndpoint(String topicEndpoint) {
        this.topicEndpoint = topicEndpoint == null ? null : topicEndpoint.trim();
    }

    String getAccessKey() {
        return accessKey;
    }

    /** The topic's access key (for ACCESS_KEY and SHARED_ACCESS_SIGNATURE). Never logged. */
    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey == null || accessKey.isBlank() ? null : accessKey.trim();
    }

    Object getAzureKeyCredential() {
        return azureKeyCredential;
    }

    /** A {@code com.azure.core.credential.AzureKeyCredential} (for ACCESS_KEY and SHARED_ACCESS_SIGNATURE). */
    public void setAzureKeyCredential(Object azureKeyCredential) {
        this.azureKeyCredential = azureKeyCredential;
    }

    Object getTokenCredential() {
        return tokenCredential;
    }

    /** A {@code com.azure.core.credential.TokenCredential} (for TOKEN_CREDENTIAL). */
    public void setTokenCredential(Object tokenCredential) {
        this.tokenCredential = tokenCredential;
    }

    public CredentialType getCredentialType() {
        try {
            return CredentialType.parse(credentialType);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("azure-eventgrid: credentialType " + e.getMessage());
        }
    }

    /** ACCESS_KEY (default), AZURE_IDENTITY, TOKEN_CREDENTIAL, SHARED_ACCESS_SIGNATURE, MANAGED_IDENTITY, or key/sas/managed-identity. */
    public void setCredentialType(String credentialType) {
        this.credentialType = credentialType;
    }

    Object getPublisherClient() {
        return publisherClient;
    }

    /**
     * A ready {@code com.azure.messaging.eventgrid.EventGridPublisherClient}, used as it is (its schema must match
     * {@code schema}).
     */
    public void setPublisherClient(Object publisherClient) {
        this.publisherClient = publisherClient;
    }

    public EventSchema getSchema() {
        try {
            return EventSchema.parse(schema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("azure-eventgrid: schema " + e.getMessage());
        }
    }

    /** eventgrid or cloudevents (default, as upstream, which only sends CloudEvents). */
    public void setSchema(String schema) {
        this.schema = schema;
    }

    public long getSasTokenValidity() {
        return sasTokenValidity;
    }

    /** Milliseconds a SAS token is valid; a new one is made when less than a tenth of that is left. */
    public void setSasTokenValidity(long sasTokenValidity) {
        this.sasTokenValidity = sasTokenValidity;
    }

    public String getManagedIdentityClientId() {
        return managedIdentityClientId;
    }

    /** Client id of a user-assigned managed identity; empty = the system-assigned one. */
    public void setManagedIdentityClientId(String managedIdentityClientId) {
        this.managedIdentityClientId = managedIdentityClientId == null || managedIdentityClientId.isBlank()
                ? null : managedIdentityClientId.trim();
    }
}
