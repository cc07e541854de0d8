package dev.dialtone.server.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP forwarder on a loopback port, to cut a database off and bring it back. {@link #stop()}
 * closes the listening socket and resets every forwarded connection, so clients see their
 * connections drop and new ones refused, as when a database server goes down; {@link #start()}
 * listens again on the same port.
 *
 * <p>Thread-safe: {@code start}/{@code stop} are synchronized with the registration of new
 * connections, so none slips past a {@code stop}. Each connection is pumped by two threads.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tcp-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> live = new HashSet<>();
    private ServerSocket listener;
    private int port;

    private TcpProxy(InetSocketAddress target) {
        this.target = target;
    }

    /** A proxy to {@code target}, listening on an ephemeral loopback port. */
    public static TcpProxy start(InetSocketAddress target) throws IOException {
        TcpProxy proxy = new TcpProxy(target);
        proxy.start();
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Listens (again) on the proxy's port. */
    public synchronized void start() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true); // rebind at once although old connections linger in TIME_WAIT
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        listener = socket;
        threads.execute(() -> accept(socket));
    }

    /** Refuses new connections and resets the open ones. */
    public synchronized void stop() {
        if (listener == null) {
            return;
        }
        closeQuietly(listener);
        listener = null;
        for (Socket socket : live) {
            reset(socket);
        }
        live.clear();
    }

    @Override
    public void close() {
        stop();
        threads.shutdownNow();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // stopped
            }
            Socket upstream = null;
            try {
                upstream = new Socket(target.getAddress(), target.getPort());
            } catch (IOException e) {
                reset(client);
                continue;
            }
            synchronized (this) {
                if (listener != socket) { // stopped meanwhile
                    reset(client);
                    reset(upstream);
                    return;
                }
                live.add(client);
                live.add(upstream);
            }
            Socket server = upstream;
            threads.execute(() -> pump(client, server));
            threads.execute(() -> pump(server, client));
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away; the other follows below
        } finally {
            List<Socket> pair = new ArrayList<>(List.of(from, to));
            synchronized (this) {
                live.removeAll(pair);
            }
            pair.forEach(TcpProxy::closeQuietly);
        }
    }

    /** Closes with a TCP reset, like a crashed server, rather than an orderly goodbye. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do
        }
    }
}
