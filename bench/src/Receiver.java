import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loopback stand-in for an Event Grid topic: counts POSTs, notes when each (EventId, EventStatus) arrives. */
final class Receiver {
    /** Set once the receiver runs: how an agent trusts its HTTPS side. */
    static final java.util.concurrent.atomic.AtomicReference<String> TRUST_OPTIONS =
            new java.util.concurrent.atomic.AtomicReference<>("");

    record Post(String path, long nanos, boolean validJson, boolean sasKey, List<String> events) {
    }

    static final Pattern ID = Pattern.compile("\"EventId\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern STATUS = Pattern.compile("\"EventStatus\"\\s*:\\s*\"([^\"]+)\"");
    static final String PASSWORD = "bench-only";
    final List<Post> posts = new CopyOnWriteArrayList<>();
    HttpServer server;
    // Event Grid takes keys over HTTPS only (the agent refuses http://): the agent posts here, trusting a
    // certificate made for this run, the way a user with a private CA would (JAVA_TOOL_OPTIONS)
    com.sun.net.httpserver.HttpsServer tlsServer;
    Path trustStore;

    Receiver start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        tlsServer = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        tlsServer.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tlsContext()));
        com.sun.net.httpserver.HttpHandler handler = x -> {
            long now = System.nanoTime();
            byte[] body;
            try (InputStream in = x.getRequestBody()) {
                body = in.readAllBytes();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            boolean valid;
            try {
                Bench.JSON.readTree(text);
                valid = true;
            } catch (IOException e) {
                valid = false;
            }
            // lenient: pairs of EventId and EventStatus in order of appearance (the seed's bodies may not parse)
            List<String> events = new ArrayList<>();
            Matcher ids = ID.matcher(text);
            Matcher st = STATUS.matcher(text);
            int from = 0;
            while (ids.find(from)) {
                if (st.find(ids.end())) {
                    events.add(Bench.key(ids.group(1), st.group(1)));
                    from = ids.end();
                } else {
                    break;
                }
            }
            posts.add(new Post(x.getRequestURI().getPath(), now, valid,
                    x.getRequestHeaders().getFirst("aeg-sas-key") != null, events));
            x.sendResponseHeaders(200, -1);
            x.close();
        };
        server.createContext("/", handler);
        tlsServer.createContext("/", handler);
        server.start();
        tlsServer.start();
        return this;
    }

    private javax.net.ssl.SSLContext tlsContext() throws Exception {
        Path dir = Files.createTempDirectory("bench-tls-");
        Path keyStore = dir.resolve("receiver.p12");
        Path cert = dir.resolve("receiver.crt");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "receiver", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-alias", "receiver", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "bench-ca", "-file", cert.toString(), "-storetype",
                "PKCS12", "-keystore", trustStore.toString(), "-storepass", PASSWORD);
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    String url(String prefix) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + prefix;
    }

    String httpsUrl(String prefix) {
        return "https://127.0.0.1:" + tlsServer.getAddress().getPort() + prefix;
    }

    /** JAVA_TOOL_OPTIONS for an agent that must trust this receiver. */
    String trustOptions() {
        return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + PASSWORD;
    }

    List<Post> posts(String prefix) {
        return posts.stream().filter(p -> p.path.startsWith(prefix)).toList();
    }

    Map<String, Long> seen(String prefix) {
        Map<String, Long> seen = new LinkedHashMap<>();
        for (Post p : posts(prefix)) {
            p.events.forEach(k -> seen.putIfAbsent(k, p.nanos));
        }
        return seen;
    }

    void stop() {
        if (server != null) {
            server.stop(0);
        }
        if (tlsServer != null) {
            tlsServer.stop(0);
        }
    }
}
