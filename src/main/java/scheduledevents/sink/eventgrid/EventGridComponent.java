package scheduledevents.sink.eventgrid;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code azure-eventgrid:topicEndpoint[?options]}: publishes the message body to an Azure Event Grid topic. Scheme,
 * path and option names are upstream camel-azure-eventgrid's (Camel 4.17+), so a route that uses only those runs on
 * either component; this one adds {@code schema}, {@code sasTokenValidity} and {@code managedIdentityClientId}, and
 * two credential types (see {@link CredentialType}). Options set on the component ({@code accessKey},
 * {@code credentialType}, {@code schema}, {@code sasTokenValidity}, {@code managedIdentityClientId},
 * {@code lazyStartProducer}) apply to every endpoint, so a secret need not appear in an endpoint URI.
 *
 * <p>With a key or a SAS token ({@code ACCESS_KEY}, {@code SHARED_ACCESS_SIGNATURE}) and the agent's events
 * ({@link WireEvent}), a producer publishes with one HTTPS POST of its own ({@link HttpsPublisher}) and no class of
 * the Azure SDK loads. Microsoft's {@code azure-messaging-eventgrid} client does the rest: Microsoft Entra
 * credentials, a given {@code publisherClient} or {@code azureKeyCredential}, and bodies that are SDK objects.
 * Every producer that uses the SDK, and the credentials they make, send through one HTTP client ({@link SdkHttp}),
 * made on first use.
 *
 * <p>The options whose values are SDK objects ({@code azureKeyCredential}, {@code tokenCredential}) are typed
 * {@code Object} here and on the endpoint: Camel finds setters by reflection, which loads every class a public
 * method names, and the SDK is to load only when it is used. A value of the wrong type is refused when the producer
 * starts.
 */
public class EventGridComponent extends DefaultComponent {
    private String accessKey;
    private Object azureKeyCredential;
    private Object tokenCredential;
    private String credentialType;
    private String schema;
    private Long sasTokenValidity;
    private String managedIdentityClientId;
    private SdkHttp sdkHttp;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        EventGridEndpoint endpoint = new EventGridEndpoint(uri, this);
        endpoint.setTopicEndpoint(remaining);
        if (accessKey != null) {
            endpoint.setAccessKey(accessKey);
        }
        endpoint.setAzureKeyCredential(azureKeyCredential);
        endpoint.setTokenCredential(tokenCredential);
        if (credentialType != null) {
            endpoint.setCredentialType(credentialType);
        }
        if (schema != null) {
            endpoint.setSchema(schema);
        }
        if (sasTokenValidity != null) {
            endpoint.setSasTokenValidity(sasTokenValidity);
        }
        if (managedIdentityClientId != null) {
            endpoint.setManagedIdentityClientId(managedIdentityClientId);
        }
        endpoint.setLazyStartProducer(isLazyStartProducer());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    /** A {@code com.azure.core.credential.AzureKeyCredential}. */
    public void setAzureKeyCredential(Object azureKeyCredential) {
        this.azureKeyCredential = azureKeyCredential;
    }

    /** A {@code com.azure.core.credential.TokenCredential}. */
    public void setTokenCredential(Object tokenCredential) {
        this.tokenCredential = tokenCredential;
    }

    public void setCredentialType(String credentialType) {
        this.credentialType = credentialType;
    }

    /** For every endpoint of this component, unless its URI says otherwise; see {@link EventGridEndpoint}. */
    public void setSchema(String schema) {
        this.schema = schema;
    }

    /** For every endpoint of this component, unless its URI says otherwise; see {@link EventGridEndpoint}. */
    public void setSasTokenValidity(long sasTokenValidity) {
        this.sasTokenValidity = sasTokenValidity;
    }

    /** For every endpoint of this component, unless its URI says otherwise; see {@link EventGridEndpoint}. */
    public void setManagedIdentityClientId(String managedIdentityClientId) {
        this.managedIdentityClientId = managedIdentityClientId;
    }

    /** The SDK's client that the producers and their credentials share; made on first call. */
    synchronized SdkHttp sdkHttp() {
        if (sdkHttp == null) {
            sdkHttp = new SdkHttp();
        }
        return sdkHttp;
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (sdkHttp != null) {
            sdkHttp.stop();
            sdkHttp = null;
        }
        super.doStop();
    }
}
