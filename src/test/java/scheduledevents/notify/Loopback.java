package scheduledevents.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback helpers for tests. */
final class Loopback {
    private Loopback() {
    }

    /** A port that nothing listens on right now (so a connection to it is refused until a test starts a server). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
