package scheduledevents.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scheduledevents.simulator.ImdsSimulator;
import scheduledevents.simulator.SimEvent;
import scheduledevents.sink.webhook.WebhookReceiver;
import scheduledevents.testing.Ports;
import scheduledevents.testing.TestAgent;

/**
 * End to end: the packaged jar as its own process, the IMDS simulator, GreenMail (SMTP and SMTPS with a test CA that
 * the agent trusts through the standard -Djavax.net.ssl.trustStore) and a webhook receiver, all on loopback.
 */
class NotificationsIT {
    static final String PASSWORD = "pw-S3cret-42";
    static final String STOREPASS = "changeit";

    @TempDir
    static Path tls;
    static Path truststore;

    @TempDir
    Path work;
    ImdsSimulator imds;
    GreenMail smtp;
    int port;
    WebhookReceiver webhook;

    /** A server certificate for 127.0.0.1 for GreenMail, and a trust store holding it for the agent. */
    @BeforeAll
    static void certificates() throws Exception {
        Path keystore = tls.resolve("server.p12");
        Path cert = tls.resolve("server.crt");
        truststore = tls.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STOREPASS, "-keypass", STOREPASS);
        keytool("-exportcert", "-alias", "smtp", "-keystore", keystore.toString(), "-storepass", STOREPASS,
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "test-smtp", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", STOREPASS);
        System.setProperty("greenmail.tls.keystore.file", keystore.toString());
        System.setProperty("greenmail.tls.keystore.password", STOREPASS);
        System.setProperty("greenmail.tls.key.password", STOREPASS);
    }

    static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }

    @BeforeEach
    void start() throws Exception {
        imds = new ImdsSimulator().start();
        webhook = new WebhookReceiver();
        port = Ports.free();
    }

    @AfterEach
    void stop() {
        if (smtp != null) {
            smtp.stop();
        }
        webhook.close();
        imds.close();
    }

    private Map<String, String> env(String sinks, String protocol, String password) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "AGENT_IMDS_URL", imds.baseUrl(),
                "AGENT_STATE_DIR", work.resolve("state").toString(),
                "AGENT_SINKS", sinks,
                "AGENT_MAIL_HOST", "127.0.0.1",
                "AGENT_MAIL_PORT", String.valueOf(port),
                "AGENT_MAIL_PROTOCOL", protocol,
                "AGENT_MAIL_FROM", "agent@example.com",
                "AGENT_MAIL_TO", "ops@example.com",
                "AGENT_WEBHOOK_URL", webhook.url(),
                "AGENT_WEBHOOK_FORMAT", "teams"));
        env.put("AGENT_POLL_INTERVAL", "100");
        env.put("AGENT_SINK_RETRY_INITIAL_DELAY", "100");
        env.put("AGENT_SINK_RETRY_MAX_DELAY", "500");
        env.put("AGENT_MAIL_USERNAME", "agent");
        env.put("AGENT_MAIL_PASSWORD", password);
        env.put("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + truststore
                + " -Djavax.net.ssl.trustStorePassword=" + STOREPASS);
        return env;
    }

    private void greenMail(String protocol) {
        ServerSetup setup = new ServerSetup(port, "127.0.0.1", protocol);
        // GreenMail's 2 s to start SMTPS (key pair, TLS context) is too short on a loaded build machine
        setup.setServerStartupTimeout(30_000);
        smtp = new GreenMail(setup);
        smtp.start();
        smtp.setUser("ops@example.com", "agent", PASSWORD);
    }

    @Test
    void smtpsWithLoginAndATeamsWebhookEachGetOneNotificationPerTransition() throws Exception {
        greenMail(ServerSetup.PROTOCOL_SMTPS);
        SimEvent reboot = SimEvent.scheduled("IT-1", "Reboot", Instant.now().plusSeconds(1800), "myvm");
        imds.setEvents(List.of(reboot));
        try (TestAgent agent = TestAgent.jar(work).env(env("mail,webhook", "smtps", PASSWORD)).start()) {
            agent.await("the Scheduled mail and POST",
                    () -> smtp.getReceivedMessages().length == 1 && webhook.requests().size() == 1);
            imds.setEvents(List.of());
            agent.await("the Canceled mail and POST",
                    () -> smtp.getReceivedMessages().length == 2 && webhook.requests().size() == 2);
            String log = agent.output();
            assertFalse(log.contains(PASSWORD), "the SMTP password is never logged:\n" + log);
            assertFalse(log.contains("T0KEN"), "the webhook URL's secret path is never logged:\n" + log);
            assertTrue(log.contains("Sinks enabled: mail, webhook"), log);
        }
        MimeMessage[] mails = smtp.getReceivedMessages();
        assertTrue(mails[0].getSubject().startsWith("[Scheduled] Reboot of myvm in 30 min ("), mails[0].getSubject());
        assertEquals("[Canceled] Reboot of myvm", mails[1].getSubject());
        JsonNode card = new ObjectMapper().readTree(webhook.requests().get(1).body());
        assertEquals("[Canceled] Reboot of myvm",
                card.path("attachments").get(0).path("content").path("body").get(0).path("text").asText());
        assertEquals(2, smtp.getReceivedMessages().length);
        assertEquals(2, webhook.requests().size());
    }

    @Test
    void aRefusedLoginDeadLettersAtOnceWithoutThePassword() throws Exception {
        greenMail(ServerSetup.PROTOCOL_SMTPS);
        imds.setEvents(List.of(SimEvent.scheduled("IT-2", "Freeze", Instant.now().plusSeconds(900), "myvm")));
        String wrong = "Wr0ng-Passw0rd-77";
        Path deadLetters = work.resolve("state/dead-letter/mail.jsonl");
        try (TestAgent agent = TestAgent.jar(work).env(env("mail", "smtps", wrong)).start()) {
            agent.await("the dead letter", () -> Files.exists(deadLetters) && agent.output().contains(
                    "dead-lettered"));
            String log = agent.output();
            assertTrue(log.contains("refused the mail for good (535"), log);
            assertTrue(log.contains("check agent.mail.username and AGENT_MAIL_PASSWORD"), log);
            assertFalse(log.contains(wrong), log);
            assertFalse(Files.readString(deadLetters).contains(wrong));
        }
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void starttlsIsRequiredByDefaultSoAPlainRelayGetsNothing() throws Exception {
        greenMail(ServerSetup.PROTOCOL_SMTP);   // GreenMail's SMTP does not offer STARTTLS
        imds.setEvents(List.of(SimEvent.scheduled("IT-3", "Freeze", Instant.now().plusSeconds(900), "myvm")));
        try (TestAgent agent = TestAgent.jar(work).env(env("mail", "smtp", PASSWORD)).start()) {
            agent.await("a few refused attempts", () -> agent.output().split("will retry", -1).length > 3);
            assertTrue(agent.output().contains("STARTTLS"), agent.output());
            assertEquals(0, smtp.getReceivedMessages().length, "no mail, and no password, over a plain connection");
            assertFalse(agent.output().contains(PASSWORD));
        }
    }

    @Test
    void anEnabledSinkWithoutItsSettingsStopsStartUpWithOneLine() throws Exception {
        Map<String, String> env = env("log,mail", "smtp", PASSWORD);
        env.remove("AGENT_MAIL_TO");
        try (TestAgent agent = TestAgent.jar(work).env(env).start()) {
            assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)));
            List<String> lines = agent.output().lines().filter(l -> l.contains("Invalid setting")).toList();
            assertEquals(List.of("scheduled-events-agent: Invalid setting agent.mail.to: must be set to a comma list "
                    + "of recipients when agent.sinks has mail"), lines);
        }
        Map<String, String> noUrl = env("webhook", "smtp", PASSWORD);
        noUrl.remove("AGENT_WEBHOOK_URL");
        try (TestAgent agent = TestAgent.jar(work).env(noUrl).start()) {
            assertEquals(2, agent.awaitExit(Duration.ofSeconds(60)));
            assertTrue(agent.output().contains("scheduled-events-agent: Invalid setting agent.webhook.url: must be set"),
                    agent.output());
        }
    }
}
