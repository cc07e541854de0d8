package dev.dialtone.server.gateway;

import dev.dialtone.core.Clock;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.IceServer;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.calls.CallHistory;
import dev.dialtone.server.calls.CallService;
import dev.dialtone.server.hooks.PreCallHook;
import dev.dialtone.server.ice.IceServerSource;
import dev.dialtone.server.metrics.Metrics;
import dev.dialtone.server.rooms.RoomService;
import dev.dialtone.server.session.SessionRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of the server: accepts sockets at {@code /v1/ws}, keeps the set of open
 * connections and sweeps it for missed heartbeats. Thread-safe.
 */
public final class Gateway {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    public static final String PATH = "/v1/ws";
    private static final long MISSED_CALLS_WAIT_MS = 1_000;

    private final Vertx vertx;
    private final ServerLimits limits;
    private final TokenService tokens;
    private final SessionRegistry sessions;
    private final Metrics metrics;
    private final Clock clock;
    private final CommandDispatcher dispatcher;
    private final CallHistory history;
    private final IceServerSource ice;
    private final WireCodec codec = WireCodec.get();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private long sweeper = -1;
    private volatile boolean shuttingDown;

    public Gateway(Vertx vertx, ServerLimits limits, TokenService tokens, SessionRegistry sessions, CallService calls,
                   RoomService rooms, CallHistory history, PreCallHook hook, IceServerSource ice, Metrics metrics,
                   Clock clock) {
        this.vertx = vertx;
        this.limits = limits;
        this.tokens = tokens;
        this.sessions = sessions;
        this.history = history;
        this.ice = ice;
        this.metrics = metrics;
        this.clock = clock;
        this.dispatcher = new CommandDispatcher(sessions, calls, rooms, history, hook, metrics);
    }

    /** Starts the heartbeat sweep: a signed-in socket silent for two heartbeats is closed (and detached). */
    public void start() {
        long period = Math.max(50, Math.min(1_000, limits.heartbeatMs() / 4));
        sweeper = vertx.setPeriodic(period, id -> sweep());
    }

    /**
     * Stops the sweep and refuses every new handshake and sign-in from now on: a server shutting
     * down must not take sessions back that it is about to close (clients resume elsewhere).
     */
    public void stop() {
        shuttingDown = true;
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
        }
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** A socket that completed the WebSocket handshake at {@link #PATH}. */
    public void accept(ServerWebSocket socket) {
        Connection connection = new Connection(socket, this);
        connections.add(connection);
        connection.start();
    }

    private void sweep() {
        long deadline = now() - 2 * limits.heartbeatMs();
        for (Connection connection : connections) {
            if (connection.signedIn() && connection.lastSeen() < deadline) {
                log.info("closing a connection that missed its heartbeats");
                connection.close(CloseCodes.HEARTBEAT_MISSED, "heartbeat missed");
                connections.remove(connection);
            }
        }
    }

    void forget(Connection connection) {
        connections.remove(connection);
    }

    /**
     * The user's missed-call count for the auth reply. A sign-in never waits long for it: when the
     * records do not answer within {@link #MISSED_CALLS_WAIT_MS} the reply goes without it.
     */
    CompletableFuture<Integer> missedCalls(String user) {
        return history.missedCalls(user).orTimeout(MISSED_CALLS_WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** The {@code iceServers} of {@code user}'s auth or resume result; null when none are configured. */
    List<IceServer> iceServers(String user) {
        return ice.forUser(user);
    }

    Vertx vertx() {
        return vertx;
    }

    ServerLimits limits() {
        return limits;
    }

    TokenService tokens() {
        return tokens;
    }

    SessionRegistry sessions() {
        return sessions;
    }

    Metrics metrics() {
        return metrics;
    }

    CommandDispatcher dispatcher() {
        return dispatcher;
    }

    WireCodec codec() {
        return codec;
    }

    long now() {
        return clock.nowMillis();
    }
}
