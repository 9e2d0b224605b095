package scheduledevents.responder.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo topic's certificate: a self-signed one made anew by the JDK's keytool for 127.0.0.1 at each demo start
 * (so no private key ships in the jar), as a keystore for the relay and a truststore for the demo's agents.
 */
record DemoTls(Path keyStore, Path trustStore) {

    static DemoTls make(Path dir, char[] password) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve("topic.p12");
        Path trustStore = dir.resolve("trust.p12");
        Path cert = dir.resolve("topic.crt");
        String pass = new String(password);
        keytool(dir, "-genkeypair", "-alias", "topic", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", pass, "-keypass", pass);
        keytool(dir, "-exportcert", "-alias", "topic", "-keystore", keyStore.toString(), "-storepass", pass,
                "-rfc", "-file", cert.toString());
        keytool(dir, "-importcert", "-noprompt", "-alias", "demo-topic", "-file", cert.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass", pass);
        return new DemoTls(keyStore, trustStore);
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool could not make the demo's certificate (see " + dir.resolve("keytool.log")
                    + ")");
        }
    }
}
