package scheduledevents.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
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
 *
 * <p>Every producer of the component, and the credentials they make, send through one HTTP client on the JDK's
 * {@code java.net.http} (made on first use, so that nothing of the SDK loads for a sink that is off). It is given to
 * the builders explicitly rather than found through azure-core's HttpClientProvider lookup, so which client runs does
 * not depend on what else is on the classpath. Its proxy (azure-core's settings: the JVM's {@code https.proxyHost}
 * and {@code https.proxyPort}, or HTTPS_PROXY with {@code java.net.useSystemProxies=true}), timeouts (10 s to
 * connect, 60 s per write and read) and trust (the JVM's, {@code javax.net.ssl.*}) are azure-core's defaults, as
 * they were with the SDK's Netty client.
 */
public class EventGridComponent extends DefaultComponent {
    private String accessKey;
    private AzureKeyCredential azureKeyCredential;
    private TokenCredential tokenCredential;
    private String credentialType;
    private HttpClient httpClient;

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

    /** The client the producers and their credentials share; made on first call. */
    synchronized HttpClient httpClient() {
        if (httpClient == null) {
            httpClient = new JdkHttpClientBuilder().build();
        }
        return httpClient;
    }

    /** For logs and tests: never the key itself. */
    public boolean hasAccessKey() {
        return accessKey != null && !accessKey.isEmpty();
    }
}
