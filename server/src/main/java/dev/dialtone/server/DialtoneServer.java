package dev.dialtone.server;

import dev.dialtone.core.CallMachine;
import dev.dialtone.core.Clock;
import dev.dialtone.core.IdSource;
import dev.dialtone.core.LineBook;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.server.admin.AdminApi;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.calls.CallService;
import dev.dialtone.server.gateway.Gateway;
import dev.dialtone.server.gateway.HttpRoutes;
import dev.dialtone.server.gateway.ServerLimits;
import dev.dialtone.server.gateway.WebFiles;
import dev.dialtone.server.hooks.HttpPreCallHook;
import dev.dialtone.server.hooks.PreCallHook;
import dev.dialtone.server.ice.IceServerSource;
import dev.dialtone.server.metrics.Metrics;
import dev.dialtone.server.records.RecordStoreException;
import dev.dialtone.server.records.RecordsService;
import dev.dialtone.server.session.Scheduler;
import dev.dialtone.server.rooms.RoomService;
import dev.dialtone.server.session.Session;
import dev.dialtone.server.session.SessionListener;
import dev.dialtone.server.session.SessionListeners;
import dev.dialtone.server.session.SessionRegistry;
import dev.dialtone.server.util.TimerScheduler;
import dev.dialtone.server.webhooks.Webhooks;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: wires configuration, tokens, sessions, calls, gateway and HTTP routes,
 * and starts one HTTP server instance per event loop on the same port.
 */
public final class DialtoneServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DialtoneServer.class);
    /** How long shutdown waits for the database, and for webhook receivers, to take what is queued. */
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(10);

    private final ServerConfig config;
    private final Vertx vertx;
    private final TokenService tokens;
    private final SessionRegistry sessions;
    private final CallService calls;
    private final RoomService rooms;
    private final RecordsService records;
    private final PreCallHook hook;
    private final Webhooks webhooks;
    private final Gateway gateway;
    private final Metrics metrics;
    private final TimerScheduler timers;
    private final List<HttpServer> servers = new ArrayList<>();
    private int port;

    private DialtoneServer(ServerConfig config) {
        this.config = config;
        Clock clock = Clock.system();
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
        byte[] secret = config.secret();
        if (secret == null) {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        this.tokens = new TokenService(secret, clock);
        this.metrics = new Metrics();
        this.timers = new TimerScheduler();
        Scheduler scheduler = timers;
        try {
            this.records = RecordsService.open(config.records(), metrics.registry());
        } catch (RecordStoreException e) {
            vertx.close();
            metrics.close();
            timers.close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        this.hook = config.hook().enabled() ? new HttpPreCallHook(vertx, config.hook(), metrics.registry())
                : PreCallHook.ALLOW_ALL;
        this.webhooks = Webhooks.create(vertx, config.webhooks(), metrics.registry(), clock);
        this.sessions = new SessionRegistry(scheduler, config.resumeWindowMs(), config.replayBufferLimit());
        metrics.sessions(sessions::attachedCount, sessions::detachedCount);
        this.calls = new CallService(new CallMachine(config.callPolicy(), IdSource.random(clock)), new LineBook(), sessions,
                scheduler, clock, IdSource.random(clock), metrics, records, webhooks,
                new CallService.Settings(config.endedCallRetentionMs(), config.eventLoops(), config.ringOffline(),
                        config.recordWaitMs()));
        this.rooms = new RoomService(sessions, scheduler, webhooks, config.roomCapacity(), config.roomEmptyTimeoutMs(),
                config.eventLoops());
        metrics.rooms(rooms::openRooms);
        sessions.listener(new SessionListeners(calls, rooms, new SessionListener() {
            @Override
            public void ended(Session session, boolean lost) {
                records.signedOff(session.user(), clock.nowMillis());
            }
        }));
        ServerLimits limits = new ServerLimits(config.maxFrameBytes(), config.maxBadFrames(),
                config.commandsPerSecond(), config.firstFrameTimeoutMs(), config.heartbeatMs(),
                config.resumeWindowMs());
        this.gateway = new Gateway(vertx, limits, tokens, sessions, calls, rooms, records, hook,
                new IceServerSource(config.ice(), clock), metrics, clock);
        Router router = HttpRoutes.router(vertx, metrics, tokens, config.devMode());
        new AdminApi(calls, records, sessions, tokens, config.adminKey()).mount(router);
        // Last: the web files answer only what no route above took (/healthz, /v1/…, /api/v1/…).
        WebFiles.mount(router);
        // Frames up to 16 times the limit (at least 1 MiB) are read and answered with bad_request;
        // only larger ones make the WebSocket layer close the connection (1009).
        int hardLimit = Math.max(1 << 20, config.maxFrameBytes() * 16);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketFrameSize(hardLimit)
                .setMaxWebSocketMessageSize(hardLimit)
                // HTTP/1.1 only: the WebSocket, the admin API and /metrics need nothing more, and
                // an h2c upgrade offered by a client (the JDK's HttpClient does by default) is one
                // more protocol to get right for no gain.
                .setHttp2ClearTextEnabled(false)
                .setRegisterWebSocketWriteHandlers(false);
        for (int i = 0; i < config.eventLoops(); i++) {
            HttpServer server = vertx.createHttpServer(options)
                    .webSocketHandshakeHandler(handshake -> {
                        if (gateway.shuttingDown()) {
                            handshake.reject(503);
                        } else if (Gateway.PATH.equals(handshake.path())) {
                            handshake.accept();
                        } else {
                            handshake.reject(404);
                        }
                    })
                    .webSocketHandler(gateway::accept)
                    .requestHandler(router);
            servers.add(server);
        }
    }

    /** Starts a server and waits until it listens. */
    public static DialtoneServer start(ServerConfig config) {
        DialtoneServer server = new DialtoneServer(config);
        try {
            server.listen();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen() {
        // Port 0 asks for a random port; Vert.x shares one random port among instances given -1.
        int requested = config.port() == 0 ? -1 : config.port();
        for (HttpServer server : servers) {
            port = server.listen(requested, config.host()).await().actualPort();
        }
        gateway.start();
        if (config.devMode()) {
            log.warn("""

                    ************************************************************************
                    *  DEVELOPMENT MODE: no DIALTONE_SECRET is configured.                 *
                    *  A random token secret was generated, and anyone on this machine     *
                    *  can get a token for any user at POST /dev/token?user=NAME.          *
                    *  Set DIALTONE_SECRET (at least 32 bytes) before exposing this server. *
                    ************************************************************************""");
        }
        log.info("Dialtone listening on {}:{} (WebSocket at {})", config.host(), port, Gateway.PATH);
    }

    /** The port the server listens on (useful with port 0). */
    public int port() {
        return port;
    }

    /** Signs client tokens with the server's secret (the generated one in development mode). */
    public TokenService tokens() {
        return tokens;
    }

    /** The session registry; for tests that need to observe sessions. */
    SessionRegistry sessions() {
        return sessions;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Stops gracefully: refuses new connections, ends the calls in progress (they cannot outlive
     * this node; each is recorded and its participants told), closes every socket with 1001, then
     * writes every queued record and delivers queued webhooks, each within its own time limit.
     */
    @Override
    public void close() {
        gateway.stop();
        try {
            calls.endAll().get(config.recordWaitMs() + 3_000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("not every call in progress could be ended before shutdown: {}", e.toString());
        }
        sessions.closeAll(CloseCodes.GOING_AWAY, "server shutting down");
        for (HttpServer server : servers) {
            try {
                server.close().await(Duration.ofSeconds(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                log.debug("closing HTTP server: {}", e.toString());
            }
        }
        // The calls have ended and the sockets are closed: what the timers still hold (ended
        // calls' retention, rooms' empty timeouts) has nothing left to do.
        timers.close();
        calls.close();
        rooms.close();
        records.close(SHUTDOWN_FLUSH);
        hook.close();
        webhooks.close(SHUTDOWN_FLUSH);
        metrics.close();
        try {
            vertx.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("closing Vert.x: {}", e.toString());
        }
    }
}
