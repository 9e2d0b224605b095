package scheduledevents.sink.eventgrid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1/localhost (and {@link TestProxy#LOOPBACK_NAME}), made once per JVM with the JDK's keytool (so no private key is
 * committed), as a server keystore and, separately, a truststore holding only the certificate: what a user with a
 * private CA hands the agent with {@code -Djavax.net.ssl.trustStore=...}.
 */
public final class TestTls {
    public static final String PASSWORD = "changeit-test";
    private static TestTls instance;

    final Path keyStore;
    public final Path trustStore;

    private TestTls(Path dir) throws IOException, InterruptedException {
        keyStore = dir.resolve("topic.p12");
        trustStore = dir.resolve("trust.p12");
        Path cert = dir.resolve("topic.crt");
        keytool("-genkeypair", "-alias", "topic", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost,dns:" + TestProxy.LOOPBACK_NAME, "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "topic", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "test-ca", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", PASSWORD);
    }

    public static synchronized TestTls get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("eventgrid-tls-");
                dir.toFile().deleteOnExit();
                instance = new TestTls(dir);
                for (Path p : List.of(instance.keyStore, instance.trustStore, dir.resolve("topic.crt"))) {
                    p.toFile().deleteOnExit();
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot make the test certificate with keytool", e);
            }
        }
        return instance;
    }

    /**
     * Trust the test certificate in this JVM, the standard way: the {@code javax.net.ssl.*} properties, and the
     * JVM's default SSLContext made anew from them, as a JVM started with them makes it. (The JVM reads the
     * properties once, when something first asks for the default, e.g. an earlier test's HttpClient; the SDK's JDK
     * HttpClient takes that default.) Returns the default it replaced, for {@link SSLContext#setDefault} afterwards.
     */
    static SSLContext trustedByThisJvm() {
        TestTls tls = get();
        System.setProperty("javax.net.ssl.trustStore", tls.trustStore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        try (InputStream in = Files.newInputStream(tls.trustStore)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(in, PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            SSLContext previous = SSLContext.getDefault();
            SSLContext.setDefault(context);
            return previous;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test truststore", e);
        }
    }

    /** What JAVA_TOOL_OPTIONS holds for an agent process that must trust the test topic. */
    String javaToolOptions() {
        return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD;
    }

    SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test keystore", e);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
