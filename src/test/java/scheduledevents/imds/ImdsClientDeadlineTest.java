package scheduledevents.imds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An IMDS (or whatever answers on its address) that sends its answer one byte at a time, never pausing long enough
 * for a per-read timeout: every request must still end at its overall deadline, wherever the trickle starts.
 */
class ImdsClientDeadlineTest {
    private static final String DOC = "{\"DocumentIncarnation\":1,\"Events\":[]}";
    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final long PAUSE_MS = 150; // well under TIMEOUT: no single read ever times out

    private TricklingServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aStatusLineSentByteByByteEndsAtTheDeadline() throws Exception {
        server = new TricklingServer(0);
        ImdsException e = assertThrows(ImdsException.class, () -> client().scheduledEvents(TIMEOUT));
        assertEquals("timeout", e.status());
        assertEquals("IMDS did not answer within 800 ms", e.getMessage());
        assertTrue(server.unsent() > 0, "cut off before the trickle ended: " + server.unsent() + " bytes unsent");
    }

    @Test
    void aBodySentByteByByteAfterPromptHeadersEndsAtTheDeadline() throws Exception {
        server = new TricklingServer(-1);
        ImdsException e = assertThrows(ImdsException.class, () -> client().scheduledEvents(TIMEOUT));
        assertEquals("timeout", e.status());
        assertEquals("IMDS was still sending its answer after 800 ms; cut off", e.getMessage());
        assertTrue(server.unsent() > 0, "cut off before the trickle ended: " + server.unsent() + " bytes unsent");
    }

    @Test
    void anApprovalWhoseAnswerTricklesEndsAtTheDeadline() throws Exception {
        server = new TricklingServer(0);
        ImdsException e = assertThrows(ImdsException.class, () -> client().approve(List.of("E1")));
        assertEquals("timeout", e.status());
        assertTrue(server.unsent() > 0, "cut off before the trickle ended: " + server.unsent() + " bytes unsent");
    }

    @Test
    void aPromptAnswerIsReadWholeAndTheNextRequestWorksToo() throws Exception {
        server = new TricklingServer(Integer.MAX_VALUE);
        ImdsClient client = client();
        assertEquals(DOC, client.scheduledEvents(TIMEOUT));
        assertEquals(DOC, client.scheduledEvents(TIMEOUT));
    }

    private ImdsClient client() {
        return new ImdsClient(URI.create("http://127.0.0.1:" + server.port()), "2020-07-01", Duration.ofSeconds(2),
                TIMEOUT, new RequestBudget(100));
    }

    /**
     * Answers every request with 200 and the document, sending bytes from {@code trickleFrom} on one at a time
     * with a pause before each (-1: from the first byte of the body; Integer.MAX_VALUE: all at once).
     */
    private static final class TricklingServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final AtomicInteger unsent = new AtomicInteger();
        private final Thread acceptor;

        TricklingServer(int trickleFrom) throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket connection = socket.accept();
                        Thread answer = new Thread(() -> answer(connection, trickleFrom));
                        answer.setDaemon(true);
                        answer.start();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int unsent() {
            return unsent.get();
        }

        private void answer(Socket connection, int trickleFrom) {
            try (connection) {
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                while (true) {
                    int contentLength = 0;
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    while (!line.isEmpty()) {
                        if (line.toLowerCase().startsWith("content-length:")) {
                            contentLength = Integer.parseInt(line.substring(15).trim());
                        }
                        line = in.readLine();
                    }
                    in.skip(contentLength);
                    String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + DOC.length() + "\r\n\r\n";
                    byte[] answer = (head + DOC).getBytes(StandardCharsets.US_ASCII);
                    int from = trickleFrom < 0 ? head.length() : Math.min(trickleFrom, answer.length);
                    OutputStream out = connection.getOutputStream();
                    out.write(answer, 0, from);
                    out.flush();
                    unsent.set(answer.length - from);
                    for (int i = from; i < answer.length; i++) {
                        Thread.sleep(PAUSE_MS);
                        out.write(answer[i]);
                        out.flush();
                        unsent.decrementAndGet();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
