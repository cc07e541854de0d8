package dev.dialtone.cli.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A non-blocking TCP proxy in front of one client that can cut its connection, the way a network
 * change cuts a phone's socket: {@link #cut()} closes both sides of every open connection at once;
 * new connections go through as before. No thread per connection.
 */
final class CutProxy implements AutoCloseable {
    private final NetServer server;
    private final NetClient client;
    private final Map<Long, NetSocket[]> links = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final int port;

    CutProxy(Vertx vertx, String targetHost, int targetPort) {
        this.client = vertx.createNetClient();
        this.server = vertx.createNetServer().connectHandler(inbound -> {
            inbound.pause();
            long id = ids.incrementAndGet();
            client.connect(targetPort, targetHost).onComplete(result -> {
                if (result.failed()) {
                    inbound.close();
                    return;
                }
                NetSocket outbound = result.result();
                links.put(id, new NetSocket[] {inbound, outbound});
                inbound.handler(outbound::write);
                outbound.handler(inbound::write);
                inbound.closeHandler(v -> closeLink(id));
                outbound.closeHandler(v -> closeLink(id));
                inbound.resume();
            });
        });
        this.port = server.listen(0, "127.0.0.1").await().actualPort();
    }

    int port() {
        return port;
    }

    /** Closes every open connection on both sides; returns how many were open. */
    int cut() {
        int cut = 0;
        for (Long id : links.keySet()) {
            if (closeLink(id)) {
                cut++;
            }
        }
        return cut;
    }

    private boolean closeLink(long id) {
        NetSocket[] sides = links.remove(id);
        if (sides == null) {
            return false;
        }
        sides[0].close();
        sides[1].close();
        return true;
    }

    @Override
    public void close() {
        links.keySet().forEach(this::closeLink);
        try {
            server.close().await(5, TimeUnit.SECONDS);
            client.close().await(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // closing anyway: the process is about to report and exit
        }
    }
}
