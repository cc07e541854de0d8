package dev.dialtone.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.server.metrics.ProcessMemory;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The {@code sessions} scenario: N signed-in, idle sessions held for a duration. Each session is a
 * Vert.x WebSocket that signs in with {@code auth} and then only sends {@code ping} every
 * {@code heartbeatMs} (from the auth reply), as an idle client must. Sign-ins are paced (the ramp),
 * so that the server is not hit by every handshake at once. The scenario counts what connected,
 * what signed in, what failed and why, and what is still alive at the end, and reads the server's
 * {@code /metrics} before and after to report its resident memory and heap per session.
 *
 * <p>Cheap by construction: the sockets are spread over one {@link Shard} per event loop; a shard
 * owns its sessions and pings them from a single periodic timer that walks them in turn, so 100,000
 * sessions cost a handful of timers, no thread each. Sockets leave from several loopback source
 * addresses ({@link SourceAddresses}), one WebSocket client per address, because one address has
 * only about 28,000 ephemeral ports.
 *
 * <p>Threading: the run is driven from the calling thread; everything about one session happens on
 * its shard's event loop, except its {@code state}, which the driver reads.
 */
final class SessionsBench {
    static final int DEFAULT_RAMP_PER_SECOND = 5_000;
    /** How long sign-ins still under way may take once the last one was started. */
    private static final long SETTLE_TIMEOUT_MS = 30_000;
    /** Files the load generator needs besides its sockets (jars, epoll, pipes, the metrics client). */
    private static final int FD_MARGIN = 256;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LOGOUT = "{\"type\":\"logout\",\"id\":\"bye\"}";

    private static final int CONNECTING = 0;
    private static final int AUTHENTICATING = 1;
    private static final int SIGNED_IN = 2;
    private static final int LOGGING_OUT = 3;
    private static final int DONE = 4;

    /**
     * What to run.
     *
     * @param sources   local addresses to bind the sockets to, one WebSocket client each; empty: let
     *                  the system choose
     * @param serverPid the server's process id on this machine, or null: then the heap is read as
     *                  it is, garbage included
     */
    record Settings(URI server, Function<String, String> tokens, int sessions, long durationMs,
                    int rampPerSecond, List<String> sources, Long serverPid) {
    }

    private final Settings settings;
    private final PrintWriter out;
    private final List<String> notes = new ArrayList<>();

    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger loggingOut = new AtomicInteger();
    private final LongAdder connected = new LongAdder();
    private final LongAdder signedIn = new LongAdder();
    private final LongAdder alive = new LongAdder();
    private final LongAdder withoutMissedCalls = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final LongAdder replies = new LongAdder();
    private final LongAdder otherFrames = new LongAdder();
    private final LongAdder loggedOut = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorsAfterSignIn = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> bySource = new ConcurrentHashMap<>();
    /** From starting the connect to the WebSocket being open. */
    private final Percentiles connectLatency = new Percentiles();
    /** From sending auth to its ok. */
    private final Percentiles authLatency = new Percentiles();

    private final List<WebSocketClient> clients = new ArrayList<>();
    private final List<Shard> shards = new ArrayList<>();
    private WebSocketConnectOptions connectOptions;

    SessionsBench(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * The source addresses for {@code requested} ({@code --sources}; null: the default) against
     * {@code server}: 127.0.0.2 … when the server is on IPv4 loopback, enough that each carries at
     * most {@link SourceAddresses#MAX_PER_ADDRESS} sockets; none otherwise.
     */
    static List<String> sources(URI server, Integer requested, int sessions) {
        boolean loopback = SourceAddresses.ipv4Loopback(server.getHost());
        if (requested == null) {
            return loopback ? SourceAddresses.loopback(SourceAddresses.defaultCount(sessions)) : List.of();
        }
        if (requested == 0) {
            return List.of();
        }
        if (!loopback) {
            throw new IllegalArgumentException("--sources binds to 127.0.0.2 and up, which reach only a server on "
                    + "IPv4 loopback; the server is at " + server.getHost() + " (use --sources 0)");
        }
        return SourceAddresses.loopback(requested);
    }

    /**
     * Checks, before anything connects, that the run can hold its sockets: this process's
     * open-files limit, the ephemeral ports per source address, the source addresses themselves.
     * Notes (not errors) what it finds about the server process.
     *
     * @throws IllegalArgumentException with what to change
     */
    void preflight() {
        int sessions = settings.sessions();
        OptionalLong free = ServerMemory.ownFreeFileDescriptors();
        if (free.isPresent() && free.getAsLong() < (long) sessions + FD_MARGIN) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%,d sessions need about %,d open files, but this process may open only %,d more "
                            + "(its limit is %,d: ulimit -n). Raise the limit (the dialtone launcher raises the soft "
                            + "limit to the hard one; as root with CAP_SYS_RESOURCE: ulimit -n 1048576), or run fewer "
                            + "sessions.", sessions, (long) sessions + FD_MARGIN, free.getAsLong(),
                    ServerMemory.ownMaxFileDescriptors().orElse(-1)));
        }
        int addresses = Math.max(1, settings.sources().size());
        int perAddress = (sessions + addresses - 1) / addresses;
        int ports = SourceAddresses.ephemeralPorts();
        if (perAddress > ports - 500) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%,d sessions over %d source address(es) put %,d sockets on each, but an address has only %,d "
                            + "ephemeral ports; use --sources %d or more", sessions, addresses, perAddress, ports,
                    (sessions + SourceAddresses.MAX_PER_ADDRESS - 1) / SourceAddresses.MAX_PER_ADDRESS));
        }
        settings.sources().forEach(SourceAddresses::probe);
        if (settings.serverPid() != null) {
            OptionalLong serverLimit = ServerMemory.maxOpenFiles(settings.serverPid());
            if (serverLimit.isEmpty()) {
                note("cannot read the open-files limit of server process " + settings.serverPid());
            } else if (serverLimit.getAsLong() < (long) sessions + 100) {
                note(String.format(Locale.ROOT, "the server (pid %d) may open only %,d files: expect it to refuse "
                        + "sessions beyond about that many", settings.serverPid(), serverLimit.getAsLong()));
            }
        }
    }

    private void note(String text) {
        notes.add(text);
        out.println("note: " + text);
        out.flush();
    }

    /** One session: its socket and where it stands. Fields other than {@code state} belong to its shard's loop. */
    private static final class Session {
        final Shard shard;
        final int source;
        volatile int state = CONNECTING;
        WebSocket socket;
        long startedAt;
        int ids;

        Session(Shard shard, int source) {
            this.shard = shard;
            this.source = source;
        }
    }

    /**
     * The sessions of one event loop. Everything here runs on that loop: sessions are opened from
     * it (so their sockets live on it), and one periodic timer walks its sessions, pinging each once
     * per heartbeat, evenly spread.
     */
    private final class Shard extends VerticleBase {
        private final List<Session> mine = new ArrayList<>();
        private long heartbeatMs;
        private long ticker = -1;
        private long lastTick;
        private int cursor;
        private double budget;
        private boolean pinging = true;

        /** The context this shard's sessions run on. */
        Context loop() {
            return context;
        }

        @Override
        public Future<?> stop() {
            if (ticker >= 0) {
                vertx.cancelTimer(ticker);
            }
            return Future.succeededFuture();
        }

        void open(Session session, String token) {
            mine.add(session);
            session.startedAt = System.nanoTime();
            clients.get(session.source).connect(connectOptions)
                    .onSuccess(socket -> connected(session, socket, token))
                    .onFailure(failure -> {
                        if (session.state == CONNECTING) {
                            pending.decrementAndGet();
                            fail(session, connectFailure(failure));
                        }
                    });
        }

        private void connected(Session session, WebSocket socket, String token) {
            if (session.state != CONNECTING) { // given up on meanwhile
                socket.close();
                return;
            }
            session.socket = socket;
            String from = socket.localAddress().hostAddress();
            List<String> sources = settings.sources();
            if (!sources.isEmpty() && !sources.get(session.source).equals(from)) {
                // The client did not bind the address it was given: the run would not measure what it says.
                pending.decrementAndGet();
                fail(session, "connect: left from " + from + ", not from the source address");
                socket.close();
                return;
            }
            session.state = AUTHENTICATING;
            connected.increment();
            long now = System.nanoTime();
            synchronized (connectLatency) {
                connectLatency.add(now - session.startedAt);
            }
            session.startedAt = now;
            bySource.computeIfAbsent(from, k -> new LongAdder()).increment();
            socket.textMessageHandler(text -> received(session, text));
            socket.exceptionHandler(e -> {
                // the close handler follows and counts it
            });
            socket.closeHandler(v -> closed(session));
            socket.writeTextMessage(JSON.createObjectNode().put("type", "auth").put("id", "a").put("token", token)
                    .put("device", "bench").toString());
        }

        private void received(Session session, String text) {
            int state = session.state;
            if (state == LOGGING_OUT) {
                return; // the logout's ok; the close follows
            }
            if (state == SIGNED_IN) {
                if (text.startsWith("{\"type\":\"ok\"")) { // ping replies: the only frames an idle session gets
                    replies.increment();
                    return;
                }
                JsonNode frame = parse(text);
                if (frame != null && "error".equals(frame.path("type").asText())) {
                    errorsAfterSignIn.computeIfAbsent(frame.path("code").asText("unknown"), k -> new LongAdder())
                            .increment();
                } else if (frame != null && "ok".equals(frame.path("type").asText())) {
                    replies.increment();
                } else {
                    otherFrames.increment();
                }
                return;
            }
            if (state != AUTHENTICATING) {
                return;
            }
            pending.decrementAndGet();
            JsonNode frame = parse(text);
            String type = frame == null ? "" : frame.path("type").asText();
            if ("ok".equals(type)) {
                session.state = SIGNED_IN;
                signedIn.increment();
                alive.increment();
                long nanos = System.nanoTime() - session.startedAt;
                synchronized (authLatency) {
                    authLatency.add(nanos);
                }
                if (!frame.has("missedCalls")) {
                    withoutMissedCalls.increment();
                }
                startPinging(frame.path("heartbeatMs").asLong(15_000));
            } else {
                fail(session, "error".equals(type) ? "auth: " + frame.path("code").asText("unknown")
                        : "auth: unexpected reply");
                session.socket.close(); // a refused token also makes the server close (4401)
            }
        }

        private void closed(Session session) {
            switch (session.state) {
                case LOGGING_OUT -> {
                    session.state = DONE;
                    loggedOut.increment();
                    loggingOut.decrementAndGet();
                }
                case SIGNED_IN -> {
                    alive.decrement();
                    fail(session, "closed by server: " + closeCode(session.socket));
                }
                case AUTHENTICATING -> {
                    pending.decrementAndGet();
                    fail(session, "closed before sign-in: " + closeCode(session.socket));
                }
                default -> {
                }
            }
        }

        private void startPinging(long heartbeat) {
            if (ticker >= 0) {
                return;
            }
            heartbeatMs = Math.max(50, heartbeat);
            long tickMs = Math.max(5, Math.min(100, heartbeatMs / 20));
            lastTick = System.nanoTime();
            ticker = vertx.setPeriodic(tickMs, id -> tick());
        }

        /**
         * Pings the next sessions in turn: the share of them that keeps every one at one ping per
         * heartbeat, so a round over all of them takes one heartbeat. The share follows the time
         * that really passed, not the timer's period: a busy event loop runs its timers late, and
         * counting periods would then stretch the rounds past the server's two-heartbeat limit.
         */
        private void tick() {
            long now = System.nanoTime();
            long elapsed = now - lastTick;
            lastTick = now;
            if (!pinging || mine.isEmpty()) {
                return;
            }
            budget += mine.size() * (elapsed / 1e6) / heartbeatMs;
            int count = (int) Math.min(budget, mine.size());
            budget -= count;
            for (int i = 0; i < count; i++) {
                if (cursor >= mine.size()) {
                    cursor = 0;
                }
                Session session = mine.get(cursor++);
                if (session.state == SIGNED_IN) {
                    session.socket.writeTextMessage("{\"type\":\"ping\",\"id\":\"" + (++session.ids) + "\"}");
                    pings.increment();
                }
            }
        }

        /** A session still signing in when the run stopped waiting for it. */
        void giveUp(Session session) {
            switch (session.state) {
                case CONNECTING -> {
                    pending.decrementAndGet();
                    fail(session, "timeout: connect");
                }
                case AUTHENTICATING -> {
                    pending.decrementAndGet();
                    fail(session, "timeout: no auth reply");
                    session.socket.close();
                }
                default -> {
                }
            }
        }

        void logout(Session session) {
            pinging = false;
            if (session.state == SIGNED_IN) {
                session.state = LOGGING_OUT;
                alive.decrement();
                loggingOut.incrementAndGet();
                session.socket.writeTextMessage(LOGOUT);
            }
        }

        /** Closes what is still open at the very end; returns how many. */
        int closeRest() {
            int closed = 0;
            for (Session session : mine) {
                if (session.state == LOGGING_OUT) {
                    loggingOut.decrementAndGet();
                }
                session.state = DONE;
                if (session.socket != null && !session.socket.isClosed()) {
                    session.socket.close();
                    closed++;
                }
            }
            return closed;
        }
    }

    private void fail(Session session, String reason) {
        session.state = DONE;
        failed.increment();
        failures.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    private static String closeCode(WebSocket socket) {
        Short code = socket.closeStatusCode();
        if (code == null) {
            return "no close frame";
        }
        String reason = socket.closeReason();
        return reason == null || reason.isEmpty() ? code.toString() : code + " " + reason;
    }

    /** A connect failure as a short reason that does not vary by socket (no addresses or ports). */
    static String connectFailure(Throwable failure) {
        if (failure instanceof UpgradeRejectedException rejected) {
            return "connect: handshake refused with HTTP " + rejected.getStatus();
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("connection refused")) {
            return "connect: refused";
        }
        if (message.contains("cannot assign requested address") || message.contains("address already in use")) {
            return "connect: no free local port";
        }
        if (message.contains("too many open files")) {
            return "connect: too many open files";
        }
        if (message.contains("timed out") || message.contains("timeout")) {
            return "connect: timed out";
        }
        if (message.contains("reset")) {
            return "connect: reset";
        }
        if (message.contains("closed")) {
            return "connect: closed during the handshake";
        }
        int cut = message.indexOf(": /");
        return "connect: " + failure.getClass().getSimpleName() + " " + (cut > 0 ? message.substring(0, cut) : message);
    }

    /** Runs the scenario; returns the results for the table or JSON. */
    Map<String, Object> run() throws Exception {
        int sessions = settings.sessions();
        URI server = settings.server();
        URI metrics = ServerMemory.metricsUri(server);
        boolean secure = "wss".equalsIgnoreCase(server.getScheme());
        connectOptions = new WebSocketConnectOptions().setHost(server.getHost())
                .setPort(server.getPort() >= 0 ? server.getPort() : secure ? 443 : 80)
                .setURI(server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath())
                .setSsl(secure);
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        String run = Long.toString(System.currentTimeMillis(), 36);
        Session[] all = new Session[sessions];
        long cpuStart = BenchCpu.processCpuNanos();
        try {
            List<String> sources = settings.sources();
            int perClient = (sessions + Math.max(1, sources.size()) - 1) / Math.max(1, sources.size());
            for (int i = 0; i < Math.max(1, sources.size()); i++) {
                WebSocketClientOptions options = new WebSocketClientOptions()
                        // Every socket stays open for the whole run: the client's pool must hold them all.
                        .setMaxConnections(perClient + 64)
                        .setConnectTimeout(30_000)
                        .setSsl(secure);
                clients.add(SourceAddresses.client(vertx, options, sources.isEmpty() ? null : sources.get(i)));
            }
            for (int i = 0; i < loops; i++) {
                Shard shard = new Shard();
                vertx.deployVerticle(shard).await(10, TimeUnit.SECONDS);
                shards.add(shard);
            }

            Memory before = memory(metrics, "before");

            long cpuBefore = BenchCpu.processCpuNanos();
            OptionalLong serverCpuBefore = serverCpu();
            long rampStart = System.nanoTime();
            int clientCount = clients.size();
            // At most a fifth of a second's worth of sign-ins under way: a server slower than the
            // ramp then sets the pace, instead of a queue of handshakes building up in front of it.
            int cap = Math.max(100, settings.rampPerSecond() / 5);
            pace(sessions, settings.rampPerSecond(), cap, "ramp", i -> {
                Shard shard = shards.get(i % shards.size());
                Session session = new Session(shard, i % clientCount);
                all[i] = session;
                String token = settings.tokens().apply("bench-" + run + "-s" + i);
                pending.incrementAndGet();
                shard.loop().runOnContext(v -> shard.open(session, token));
            });
            long settleDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
            for (int i = 0; pending.get() > 0 && System.nanoTime() < settleDeadline; i++) {
                Thread.sleep(20);
                if (i % 12 == 0) {
                    progress("ramp", rampStart, sessions);
                }
            }
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            long benchCpuRamp = BenchCpu.processCpuNanos() - cpuBefore;
            OptionalLong serverCpuRamp = serverCpu();
            if (pending.get() > 0) {
                for (Session session : all) {
                    if (session.state == CONNECTING || session.state == AUTHENTICATING) {
                        session.shard.loop().runOnContext(v -> session.shard.giveUp(session));
                    }
                }
                Thread.sleep(200);
            }
            progress("ramp", rampStart, sessions);
            out.println();

            long benchCpuHoldStart = BenchCpu.processCpuNanos();
            OptionalLong serverCpuHoldStart = serverCpu();
            long holdStart = System.nanoTime();
            long holdEnd = holdStart + TimeUnit.MILLISECONDS.toNanos(settings.durationMs());
            long lastPings = pings.sum();
            long lastAt = holdStart;
            while (System.nanoTime() < holdEnd) {
                Thread.sleep(Math.max(1, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(holdEnd - System.nanoTime()))));
                long now = System.nanoTime();
                long sent = pings.sum();
                out.printf(Locale.ROOT, "\rhold %6.1f / %.0f s  alive %,9d  failed %,7d  pings %,7.0f/s   ",
                        (now - holdStart) / 1e9, settings.durationMs() / 1e3, alive.sum(), failed.sum(),
                        (sent - lastPings) / Math.max(1e-3, (now - lastAt) / 1e9));
                out.flush();
                lastPings = sent;
                lastAt = now;
            }
            out.println();
            double holdSeconds = (System.nanoTime() - holdStart) / 1e9;
            long benchCpuHold = BenchCpu.processCpuNanos() - benchCpuHoldStart;
            OptionalLong serverCpuHoldEnd = serverCpu();
            long aliveAtEnd = alive.sum();
            long cpuLoad = BenchCpu.processCpuNanos() - cpuBefore;
            double loadSeconds = (System.nanoTime() - rampStart) / 1e9;
            OptionalLong benchRss = ProcessMemory.residentBytes();
            Memory after = memory(metrics, "after");
            long aliveAfterReading = alive.sum();

            long logoutStart = System.nanoTime();
            pace(sessions, Math.max(1, 2 * settings.rampPerSecond()), Integer.MAX_VALUE, "logout", i -> {
                Session session = all[i];
                session.shard.loop().runOnContext(v -> session.shard.logout(session));
            });
            long closeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_TIMEOUT_MS);
            while (loggingOut.get() > 0 && System.nanoTime() < closeDeadline) {
                Thread.sleep(20);
            }
            double logoutSeconds = (System.nanoTime() - logoutStart) / 1e9;
            int forced = 0;
            for (Shard shard : shards) {
                Promise<Integer> closed = Promise.promise();
                shard.loop().runOnContext(v -> closed.complete(shard.closeRest()));
                forced += closed.future().await(30, TimeUnit.SECONDS);
            }
            out.printf(Locale.ROOT, "logged out %,d sessions in %.1f s%n", loggedOut.sum(), logoutSeconds);
            out.flush();

            Map<String, Object> values = new LinkedHashMap<>();
            values.put("scenario", "sessions");
            values.put("sessions", sessions);
            values.put("sources", sources.isEmpty() ? List.of("(system's choice)") : sources);
            values.put("socketsBySource", counts(bySource));
            values.put("rampPerSecond", settings.rampPerSecond());
            values.put("connected", connected.sum());
            values.put("signedIn", signedIn.sum());
            values.put("failed", failed.sum());
            values.put("failures", counts(failures));
            values.put("aliveAtEnd", Math.min(aliveAtEnd, aliveAfterReading));
            values.put("rampSeconds", round(rampSeconds));
            values.put("signInsPerSecond", round(signedIn.sum() / rampSeconds));
            values.put("connectLatency", connectLatency.summary());
            values.put("authLatency", authLatency.summary());
            values.put("signInsWithoutMissedCalls", withoutMissedCalls.sum());
            long signIns = Math.max(1, signedIn.sum());
            values.put("benchCpuMsPerSignIn", round3(benchCpuRamp / 1e6 / signIns));
            values.put("serverCpuMsPerSignIn", serverCpuBefore.isPresent() && serverCpuRamp.isPresent()
                    ? round3((serverCpuRamp.getAsLong() - serverCpuBefore.getAsLong()) / 1e6 / signIns) : null);
            values.put("holdSeconds", round(holdSeconds));
            values.put("pingsSent", pings.sum());
            values.put("pingReplies", replies.sum());
            values.put("errorsAfterSignIn", counts(errorsAfterSignIn));
            values.put("otherFrames", otherFrames.sum());
            values.put("serverSessionsBefore", before.sessions());
            values.put("serverAttachedAtEnd", after.attached());
            values.put("heapMeasured", settings.serverPid() == null ? "used as read (includes garbage)"
                    : "live: after a full GC (jcmd " + settings.serverPid() + " GC.run)");
            values.put("serverRssBeforeMiB", mib(before.rss()));
            values.put("serverRssAfterMiB", mib(after.rss()));
            values.put("serverHeapBeforeMiB", mib(before.heap()));
            values.put("serverHeapAfterMiB", mib(after.heap()));
            values.put("serverHeapCommittedAfterMiB", mib(after.heapCommitted()));
            long held = Math.max(1, aliveAtEnd);
            values.put("serverRssPerSessionKiB", kib((after.rss() - before.rss()) / held));
            values.put("serverHeapPerSessionKiB", kib((after.heap() - before.heap()) / held));
            values.put("loggedOut", loggedOut.sum());
            values.put("closedWithoutLogout", forced);
            values.put("benchCpuPercentOfOneCore", round(100.0 * cpuLoad / (loadSeconds * 1e9)));
            values.put("benchCpuPercentDuringHold", holdSeconds > 0 ? round(100.0 * benchCpuHold / (holdSeconds * 1e9)) : null);
            values.put("serverCpuPercentDuringHold", holdSeconds > 0 && serverCpuHoldStart.isPresent()
                    && serverCpuHoldEnd.isPresent()
                    ? round(100.0 * (serverCpuHoldEnd.getAsLong() - serverCpuHoldStart.getAsLong()) / (holdSeconds * 1e9))
                    : null);
            values.put("benchCpuSeconds", round((BenchCpu.processCpuNanos() - cpuStart) / 1e9));
            values.put("benchRssMiB", benchRss.isPresent() ? mib(benchRss.getAsLong()) : null);
            values.put("notes", List.copyOf(notes));
            return values;
        } finally {
            for (WebSocketClient client : clients) {
                client.close();
            }
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** Whether a run held every session it asked for, with no failure. */
    static boolean clean(Map<String, Object> results) {
        return ((Number) results.get("failed")).longValue() == 0
                && ((Number) results.get("aliveAtEnd")).longValue() == ((Number) results.get("sessions")).longValue();
    }

    /**
     * Calls {@code start} for 0 … total−1 at {@code perSecond}, with at most {@code cap} sign-ins
     * under way, printing progress.
     */
    private void pace(int total, int perSecond, int cap, String phase, IntConsumer start) throws InterruptedException {
        long begin = System.nanoTime();
        long lastProgress = begin;
        int started = 0;
        while (started < total) {
            long elapsed = System.nanoTime() - begin;
            long due = Math.min(total, 1 + elapsed * perSecond / 1_000_000_000L);
            while (started < due && pending.get() < cap) {
                start.accept(started++);
            }
            if (System.nanoTime() - lastProgress > 250_000_000L) {
                lastProgress = System.nanoTime();
                if ("ramp".equals(phase)) {
                    progress(phase, begin, started);
                }
            }
            if (started < total) {
                Thread.sleep(5);
            }
        }
    }

    private void progress(String phase, long begin, int started) {
        double seconds = (System.nanoTime() - begin) / 1e9;
        out.printf(Locale.ROOT, "\r%s %6.1f s  started %,9d  connected %,9d  signed in %,9d  failed %,7d  "
                        + "%,6.0f sign-ins/s   ", phase, seconds, started, connected.sum(), signedIn.sum(), failed.sum(),
                signedIn.sum() / Math.max(1e-3, seconds));
        out.flush();
    }

    /**
     * The server's memory and sessions at one point. The heap is the figure after a full GC when
     * the server's pid is known; the resident memory is read before that GC (a full GC may give
     * memory back to the system, which would hide what the sessions took).
     */
    private record Memory(double rss, double heap, double heapCommitted, double attached, double detached) {
        Object sessions() {
            return Double.isNaN(attached) ? null : Map.of("attached", (long) attached, "detached", (long) detached);
        }
    }

    private Memory memory(URI metrics, String when) {
        try {
            ServerMemory.Snapshot read = ServerMemory.read(metrics);
            ServerMemory.Snapshot heap = read;
            if (settings.serverPid() != null) {
                String failure = ServerMemory.collectGarbage(settings.serverPid());
                if (failure != null) {
                    note(failure + "; the heap " + when + " is read as it is");
                } else {
                    heap = ServerMemory.read(metrics);
                }
            }
            if (Double.isNaN(read.heapUsedBytes())) {
                note("the server's /metrics has no jvm_memory_used_bytes: no heap figures");
            }
            if (Double.isNaN(read.rssBytes())) {
                note("the server's /metrics has no process_resident_memory_bytes (not Linux?): no RSS figures");
            }
            return new Memory(read.rssBytes(), heap.heapUsedBytes(), read.heapCommittedBytes(), read.attached(),
                    read.detached());
        } catch (Exception e) {
            note("cannot read " + metrics + " " + when + " the run: " + e);
            return new Memory(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
        Map<String, Long> values = new TreeMap<>();
        adders.forEach((key, value) -> values.put(key, value.sum()));
        return values;
    }

    private static Double mib(double bytes) {
        return Double.isNaN(bytes) ? null : round(bytes / (1 << 20));
    }

    private static Double kib(double bytes) {
        return Double.isNaN(bytes) ? null : round(bytes / 1024);
    }

    /** The server's CPU time so far, when its pid is known and the system tells. */
    private OptionalLong serverCpu() {
        return settings.serverPid() == null ? OptionalLong.empty() : ServerMemory.cpuNanos(settings.serverPid());
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
