package dev.tokenauthority.authority.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy between the authority and its database, so a test can make the database
 * "go away": {@link #cut()} drops every connection and refuses new ones until {@link #restore()};
 * {@link #cutWhenClientSends(String)} drops them the moment a statement containing the text
 * passes, i.e. in the middle of a transaction.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicReference<String> tripwire = new AtomicReference<>();
    private final Thread acceptor;

    public TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public void cut() {
        down.set(true);
        sockets.forEach(TcpProxy::closeQuietly);
        sockets.clear();
    }

    public void restore() {
        tripwire.set(null);
        down.set(false);
    }

    public void cutWhenClientSends(String statementText) {
        tripwire.set(statementText);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (down.get()) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(server);
                if (down.get()) { // cut while this one was being connected: cut it too
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                // listener closed or target refused; the client sees a dropped connection
            }
        }
    }

    private void pump(Socket from, Socket to, boolean clientToServer) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (clientToServer && tripped(buffer, n)) {
                        cut();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // connection cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Whether the chunk carries the tripwire text, in UTF-8 (PostgreSQL) or UTF-16 (H2's wire format). */
    private boolean tripped(byte[] buffer, int length) {
        String text = tripwire.get();
        if (text == null) {
            return false;
        }
        return contains(buffer, length, text.getBytes(StandardCharsets.UTF_8))
                || contains(buffer, length, text.getBytes(StandardCharsets.UTF_16BE));
    }

    private static boolean contains(byte[] haystack, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        listener.close();
    }
}
