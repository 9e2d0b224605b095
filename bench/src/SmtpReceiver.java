import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;

/**
 * A loopback SMTP relay for the bench: just enough of RFC 5321 for the agent's mail sink (EHLO, MAIL, RCPT, DATA,
 * RSET, NOOP, QUIT; no TLS, no login: the agent runs with {@code agent.mail.starttls=false}). Every message is
 * accepted and parsed with Jakarta Mail (already in target/lib for the agent's own sink); the (EventId, EventStatus)
 * of its text part's raw record is noted with the arrival time. Why not GreenMail: it is a test dependency, not in
 * target/lib, and the bench needs only to count what arrives.
 */
final class SmtpReceiver {
    /** One accepted mail: when it arrived and the (EventId, EventStatus) keys its plain-text part names. */
    record Mail(long nanos, List<String> events) {
    }

    final List<Mail> mails = new CopyOnWriteArrayList<>();
    private final Session session = Session.getInstance(new Properties());
    private ServerSocket server;
    private ExecutorService connections;
    private volatile boolean running = true;

    SmtpReceiver start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "smtp-receiver");
            t.setDaemon(true);
            return t;
        });
        connections.execute(() -> {
            while (running) {
                try {
                    Socket socket = server.accept();
                    connections.execute(() -> serve(socket));
                } catch (IOException e) {
                    if (running) {
                        Bench.log("smtp receiver: %s", e);
                    }
                }
            }
        });
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setSoTimeout(60_000);
            reply(out, "220 127.0.0.1 bench ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (verb) {
                    case "EHLO" -> reply(out, "250-127.0.0.1\r\n250-8BITMIME\r\n250 SMTPUTF8");
                    case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
                    case "DATA" -> {
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        byte[] message = readData(in);
                        accept(message);
                        reply(out, "250 OK queued");
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            Bench.log("smtp receiver connection: %s", e);
        }
    }

    private void accept(byte[] message) {
        long now = System.nanoTime();
        List<String> events = new ArrayList<>();
        try {
            String text = plainText(new MimeMessage(session, new ByteArrayInputStream(message)));
            if (text != null) {
                Matcher ids = Receiver.ID.matcher(text);
                Matcher st = Receiver.STATUS.matcher(text);
                if (ids.find() && st.find(ids.end())) {
                    events.add(Bench.key(ids.group(1), st.group(1)));
                }
            }
        } catch (Exception e) {
            Bench.log("smtp receiver: unreadable mail (%s)", e);
        }
        mails.add(new Mail(now, events));
    }

    /** The first text/plain part (the agent sends multipart/alternative: text and HTML). */
    private static String plainText(Part part) throws Exception {
        if (part.isMimeType("text/plain")) {
            return (String) part.getContent();
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                String text = plainText(body);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** The message after DATA up to the line ".", with dot-stuffing undone. */
    private static byte[] readData(InputStream in) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) {
            message.write((line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.UTF_8));
            message.write('\r');
            message.write('\n');
        }
        return message.toByteArray();
    }

    void stop() throws IOException {
        running = false;
        server.close();
        connections.shutdownNow();
    }
}
