package scheduledevents.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * {@code azure-eventgrid:topicEndpoint[?options]}: publishes the message body to an Azure Event Grid topic with
 * Microsoft's {@code azure-messaging-eventgrid} client. Scheme, path and option names are upstream
 * camel-azure-eventgrid's (Camel 4.17+), so a route that uses only those runs on either component; this one adds
 * {@code schema}, {@code sasTokenValidity} and {@code managedIdentityClientId}, and two credential types (see
 * {@link CredentialType}). Options set on the component (such as {@code accessKey}) apply to every endpoint, so a
 * secret need not appear in an endpoint URI.
 */
public class EventGridComponent extends DefaultComponent {
    private String accessKey;
    private AzureKeyCredential azureKeyCredential;
    private TokenCredential tokenCredential;
    private String credentialType;

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
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public void setAzureKeyCredential(AzureKeyCredential azureKeyCredential) {
        this.azureKeyCredential = azureKeyCredential;
    }

    public void setTokenCredential(TokenCredential tokenCredential) {
        this.tokenCredential = tokenCredential;
    }

    public void setCredentialType(String credentialType) {
        this.credentialType = credentialType;
    }

    /** For logs and tests: never the key itself. */
    public boolean hasAccessKey() {
        return accessKey != null && !accessKey.isEmpty();
    }
}
