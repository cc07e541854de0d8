package dev.dialtone.server.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between clients and the server that can break the network the way phones see it:
 * {@link #cut()} closes every connection (the client sees the socket close), {@link #blackHole()}
 * stops every byte in both directions and leaves sockets open (no FIN: only heartbeats notice;
 * new connections are accepted but go nowhere), and {@link #restore()} lets traffic flow again.
 * Bytes held during a black hole are delivered on restore, as TCP's retransmissions would.
 *
 * <p>Test infrastructure: a thread per direction per connection is fine at this scale.
 */
final class ChaosProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean holdingUp;
    private volatile boolean holdingDown;
    private volatile boolean closed;

    ChaosProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "chaos-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Closes every open connection at once; new connections are let through. */
    void cut() {
        for (Link link : links) {
            link.close();
        }
    }

    /** Holds every byte in both directions, on open and new connections, until {@link #restore()}. */
    void blackHole() {
        holdingUp = true;
        holdingDown = true;
    }

    /** Holds only what the server sends: commands still arrive, their replies do not. */
    void holdReplies() {
        holdingDown = true;
    }

    /** Lets traffic flow again. */
    void restore() {
        synchronized (gate) {
            holdingUp = false;
            holdingDown = false;
            gate.notifyAll();
        }
    }

    int openLinks() {
        return links.size();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                client.setTcpNoDelay(true);
                Socket server = new Socket();
                server.setTcpNoDelay(true);
                server.connect(target, 2_000);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Waits while this direction is held; false if the link died meanwhile. */
    private boolean awaitFlow(Link link, boolean up) {
        synchronized (gate) {
            while ((up ? holdingUp : holdingDown) && !link.dead && !closed) {
                try {
                    gate.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !link.dead && !closed;
    }

    private final class Link {
        final Socket client;
        final Socket server;
        volatile boolean dead;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() throws IOException {
            pump(client.getInputStream(), server.getOutputStream(), true);
            pump(server.getInputStream(), client.getOutputStream(), false);
        }

        private void pump(InputStream in, OutputStream out, boolean up) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    while (awaitFlow(this, up)) {
                        int read = in.read(buffer);
                        if (read < 0 || !awaitFlow(this, up)) {
                            break;
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the other side closed, or the link was cut
                }
                close();
            }, up ? "chaos-proxy-up" : "chaos-proxy-down");
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            dead = true;
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        restore();
        cut();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
