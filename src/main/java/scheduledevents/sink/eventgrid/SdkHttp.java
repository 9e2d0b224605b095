package scheduledevents.sink.eventgrid;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.SharedExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Azure SDK's HTTP client of one {@link EventGridComponent}, shared by the producers that publish through the
 * SDK and by the credentials they make: the JDK's {@code java.net.http}, given to the builders explicitly rather
 * than found through azure-core's HttpClientProvider lookup, so which client runs does not depend on what else is on
 * the classpath. Its proxy (azure-core's settings: the JVM's {@code https.proxyHost} and {@code https.proxyPort}, or
 * HTTPS_PROXY with {@code java.net.useSystemProxies=true}), timeouts (10 s to connect, 60 s per write and read) and
 * trust (the JVM's, {@code javax.net.ssl.*}) are azure-core's defaults.
 *
 * <p>A class of its own so that nothing of the SDK loads until a producer needs it (Microsoft Entra credentials, a
 * given client or credential object, SDK event bodies): publishing with a key or SAS token does not.
 */
final class SdkHttp {
    private final ExecutorService httpExecutor;
    private final ScheduledThreadPoolExecutor sdkExecutor;
    private final HttpClient client;

    SdkHttp() {
        // Both pools are ours, not azure-core's shared pool (20 threads on 2 cores), which a JVM shutdown hook
        // stops at once: on SIGTERM a publish in flight must still get its answer while Camel drains the routes,
        // else records the topic accepted stay queued and go out again at the next start. They stop with the
        // component, after the routes. The SDK's pool runs its read timeouts; idle threads go after a minute.
        sdkExecutor = new ScheduledThreadPoolExecutor(2, daemonThreads("eventgrid-sdk-"));
        sdkExecutor.setKeepAliveTime(1, TimeUnit.MINUTES);
        sdkExecutor.allowCoreThreadTimeOut(true);
        SharedExecutorService.getInstance().setExecutorService(sdkExecutor);
        httpExecutor = Executors.newCachedThreadPool(daemonThreads("eventgrid-http-"));
        client = new JdkHttpClientBuilder().executor(httpExecutor).build();
    }

    HttpClient client() {
        return client;
    }

    void stop() {
        httpExecutor.shutdown();
        sdkExecutor.shutdown();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
