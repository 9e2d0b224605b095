package scheduledevents.sink.eventgrid;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS proxy on loopback, as a company's egress proxy: answers {@code CONNECT host:port} with 200 and then relays
 * bytes both ways (TLS stays end to end, between client and topic). Records each CONNECT's target.
 */
final class TestProxy implements AutoCloseable {
    /**
     * A name that only this proxy knows, as a company's proxy resolves names the VM cannot: it tunnels to loopback.
     * For a client whose proxy selector never proxies loopback names (the JDK's default one: localhost, 127.*).
     */
    static final String LOOPBACK_NAME = "eventgrid-topic.test";

    private final List<String> connects = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    TestProxy start() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        daemon(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    sockets.add(client);
                    daemon(() -> tunnel(client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    /** The targets of the CONNECT requests so far, e.g. {@code 127.0.0.1:43121}. */
    List<String> connects() {
        return List.copyOf(connects);
    }

    private void tunnel(Socket client) {
        try {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String[] requestLine = head.split("\r\n", 2)[0].split(" ");
            if (requestLine.length < 2 || !requestLine[0].equals("CONNECT")) {
                client.getOutputStream().write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            connects.add(requestLine[1]);
            String[] target = requestLine[1].split(":");
            Socket upstream = new Socket(target[0].equals(LOOPBACK_NAME) ? "127.0.0.1" : target[0],
                    Integer.parseInt(target[1]));
            sockets.add(upstream);
            client.getOutputStream().write("HTTP/1.1 200 Connection Established\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            daemon(() -> relay(upstream, client));
            relay(client, upstream);
        } catch (IOException | RuntimeException e) {
            close(client);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] bytes = head.toByteArray();
            int n = bytes.length;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void relay(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // one side closed: the other follows
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "test-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TestProxy::close);
    }
}
