package scheduledevents.eventgrid;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.SharedExecutorService;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private ExecutorService httpExecutor;
    private ScheduledThreadPoolExecutor sdkExecutor;

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
            // Both pools are ours, not azure-core's shared pool (20 threads on 2 cores), which a JVM shutdown hook
            // stops at once: on SIGTERM a publish in flight must still get its answer while Camel drains the routes,
            // else records the topic accepted stay queued and go out again at the next start. They stop with this
            // component, after the routes. The SDK's pool runs its read timeouts; idle threads go after a minute.
            sdkExecutor = new ScheduledThreadPoolExecutor(2, daemonThreads("eventgrid-sdk-"));
            sdkExecutor.setKeepAliveTime(1, TimeUnit.MINUTES);
            sdkExecutor.allowCoreThreadTimeOut(true);
            SharedExecutorService.getInstance().setExecutorService(sdkExecutor);
            httpExecutor = Executors.newCachedThreadPool(daemonThreads("eventgrid-http-"));
            httpClient = new JdkHttpClientBuilder().executor(httpExecutor).build();
        }
        return httpClient;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (httpExecutor != null) {
            httpExecutor.shutdown();
            sdkExecutor.shutdown();
            httpExecutor = null;
            sdkExecutor = null;
            httpClient = null;
        }
        super.doStop();
    }

    /** For logs and tests: never the key itself. */
    public boolean hasAccessKey() {
        return accessKey != null && !accessKey.isEmpty();
    }
}
