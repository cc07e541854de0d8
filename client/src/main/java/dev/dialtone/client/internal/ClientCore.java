package dev.dialtone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.HistoryPage;
import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.Room;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The client's engine: the connection and the session over it — sign-in, loss, automatic resume
 * and the end — and the intake of the server's frames. The rest is delegated, each piece guarded
 * by the same lock ({@link ClientLock}):
 * <ul>
 *   <li>{@link CallRouter} — the calls, and which callback an event or a command result becomes;
 *       {@link CallCommands} — the commands about calls;
 *   <li>{@link RoomRouter} — the conference rooms: their commands, events and conference resume;
 *   <li>{@link SessionState} — what a resume needs; its {@link PendingRequests} — unanswered and
 *       queued commands, their timeouts, their re-sending after a resume;
 *   <li>{@link Connection} — one socket and its handshake; {@link Inbox} — the frames of a
 *       signed-in session (replies to requests, events through the seq check);
 *   <li>{@link Reconnector} — when to attempt a resume (backoff, jitter) and when to give up;
 *   <li>{@link Heartbeat} — pings and the silence that counts as a lost connection;
 *       {@link AckBatcher} — acknowledging processed events.
 * </ul>
 *
 * <p>Frame flow: transport text → decode (outside the lock) → under the lock: reply → pending
 * request by {@code re}; event → seq check (duplicates dropped, {@code lastSeq} advanced, ack
 * batched) → {@link CallRouter} → a task on the {@link EventQueue}. The lock is released before
 * the queue is flushed, so application code never runs under it.
 *
 * <p>Connection states: {@code DISCONNECTED → CONNECTING} ({@link #connect}) {@code → CONNECTED}
 * (auth ok). A lost connection of an open session (closed, failed, silent for two heartbeats, or
 * abandoned by {@link #networkChanged}) enters {@code RESUMING} unless the close code says the
 * session is over (4400, 4401, 4409, 4429): the session state and the calls are kept, and each
 * attempt opens a new {@link Transport} connection and sends {@code resume}. Its {@code ok}
 * rotates the token, re-sends the pending commands (same ids) and returns to {@code CONNECTED};
 * the replayed events then go through the normal seq check. {@code resume_failed}, or the
 * give-up time, ends the session ({@code DISCONNECTED}).
 *
 * <p>Conference resume: when a session that could not be resumed was in rooms, the rooms are kept
 * ({@link RoomRouter#suspend}) and a new session is opened at once ({@code CONNECTING}, the
 * {@code rejoiner} making the attempts with backoff until the rooms' give-up time); once signed in,
 * the rooms are joined again with their original handles ({@link RoomRouter#rejoin}).
 *
 * <p>Threading: every entry point (public methods, transport callbacks, timer tasks) runs under
 * the lock through {@link ClientLock}, does bounded work without blocking (sends are
 * asynchronous; sockets are opened after the lock is released) and leaves callbacks to the
 * EventQueue. The only state written outside the lock is the calls' views and the router's
 * {@code visible} map, both written only by EventQueue tasks, one at a time.
 */
public final class ClientCore {
    private static final System.Logger log = System.getLogger(ClientCore.class.getName());

    /** WebSocket close codes this class reports besides the protocol's {@link CloseCodes}. */
    static final int NORMAL_CLOSURE = Connection.NORMAL_CLOSURE;
    static final int ABNORMAL_CLOSURE = Connection.ABNORMAL_CLOSURE;

    /**
     * How a session ends: the close code and reason reported to {@code onDisconnected}, the
     * message (and cause) of the failures of unanswered requests, how the calls end, and whether a
     * resume failure is reported first.
     */
    private record Ending(int closeCode, String reason, String why, Throwable cause, EndReason callEnd, String by,
                          ResumeFailure resumeFailure) {

        static Ending lost(int closeCode, String reason, String why, Throwable cause) {
            return new Ending(closeCode, reason, why, cause, EndReason.CONNECTION_LOST, null, null);
        }
    }

    /**
     * How the connection was lost (its close code), kept while resuming; and whether an attempt's {@code resume}
     * went out without a reply (the server may have rotated the token on it).
     */
    private static final class Outage {
        final int code;
        boolean resumeUnanswered;

        Outage(int code) {
            this.code = code;
        }
    }

    private final ClientConfig config;
    private final Transport transport;
    private final LongSupplier nanoClock;
    private final EventQueue events;
    private final DialtoneListener listener;
    private final WireCodec codec = WireCodec.get();
    private final ClientLock lock;
    /** Runs its tasks under the lock. */
    private final Scheduler scheduler;
    private final CallRouter router;
    private final Heartbeat heartbeat;
    private final AckBatcher acks;
    private final Inbox inbox;
    private final Reconnector reconnector;
    private final RoomRouter rooms;
    /** The attempts of a conference resume: sign in afresh, then re-join the rooms; gives up on the rooms. */
    private final Reconnector rejoiner;
    private final Reconnector.Target rejoinAttempts = new Reconnector.Target() {
        @Override
        public void attempt() {
            rejoinAttempt();
        }

        @Override
        public void giveUp() {
            roomsGaveUp();
        }
    };
    private final Connection.Owner connections = new Connection.Owner() {
        @Override
        public void received(Connection from, String text) {
            ClientCore.this.received(from, text);
        }

        @Override
        public void lost(Connection from, int code, String reason) {
            lock.run(() -> connectionLost(from, code, reason, false));
        }
    };
    private final Reconnector.Target resumeAttempts = new Reconnector.Target() {
        @Override
        public void attempt() {
            if (state == ConnectionState.RESUMING && !closed && connection == null) {
                open(true);
            }
        }

        @Override
        public void giveUp() {
            gaveUp();
        }
    };

    // ---- guarded by lock ---------------------------------------------------------------------
    /** Written under the lock; volatile so that {@link #connectionState()} needs no lock. */
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private boolean closed;
    private long nextId;
    private Connection connection;
    private SessionState session;
    /** The future of {@link #connect()}, until signed in (or resumed) or failed. */
    private ClientFuture<SessionInfo> connecting;
    private Outage outage;

    /**
     * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime}), for heartbeats and
     *     locally measured durations
     * @param callbackExecutor where listener callbacks and future completions run (serialized)
     */
    public ClientCore(ClientConfig config, Transport transport, Scheduler scheduler, LongSupplier nanoClock,
                      Executor callbackExecutor, DialtoneListener listener) {
        this(config, transport, scheduler, nanoClock, callbackExecutor, listener,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random uniform values in [0, 1) for the reconnect jitter */
    public ClientCore(ClientConfig config, Transport transport, Scheduler scheduler, LongSupplier nanoClock,
                      Executor callbackExecutor, DialtoneListener listener, DoubleSupplier random) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.events = new EventQueue(Objects.requireNonNull(callbackExecutor, "callbackExecutor"));
        this.listener = Objects.requireNonNull(listener, "listener");
        this.lock = new ClientLock(events);
        this.scheduler = lock.guarded(Objects.requireNonNull(scheduler, "scheduler"));
        Requester requester = new Requester() {
            @Override
            public <T> CompletableFuture<T> request(Function<String, Command> build, HandlerFactory<T> handler) {
                return ClientCore.this.request(build, handler);
            }
        };
        this.router = new CallRouter(requester, events, listener, nanoClock);
        this.rooms = new RoomRouter(requester, lock, events, listener, new RoomRouter.Recovery() {
            @Override
            public void retryLater() {
                if (!rejoiner.waiting()) {
                    rejoiner.attemptFailed();
                }
            }

            @Override
            public void settled() {
                recoverySettled();
            }
        });
        this.heartbeat = new Heartbeat(this.scheduler, nanoClock);
        this.acks = new AckBatcher(this.scheduler, this::sendAck);
        this.inbox = new Inbox(router, rooms, acks,
                callId -> send(new Command.CallHangup(newId(), callId), logOnly(), true, true));
        this.reconnector = new Reconnector(this.scheduler, Objects.requireNonNull(random, "random"),
                config.reconnectInitial().toMillis(), config.reconnectMax().toMillis());
        this.rejoiner = new Reconnector(this.scheduler, random, config.reconnectInitial().toMillis(),
                config.reconnectMax().toMillis());
    }

    // ---- connection ----------------------------------------------------------------------------

    /**
     * Opens a connection and signs in with {@code auth}; see {@code DialtoneClient.connect()}.
     * While resuming, the future completes when the session is resumed (or fails when it ends).
     */
    public CompletableFuture<SessionInfo> connect() {
        return lock.call(() -> {
            if (closed) {
                return failedFuture(DialtoneException.connection("connect", "the client is closed", null));
            }
            if (connecting != null) {
                return connecting;
            }
            if (state == ConnectionState.CONNECTED && session != null) {
                ClientFuture<SessionInfo> done = new ClientFuture<>(events);
                done.complete(session.info());
                return done;
            }
            ClientFuture<SessionInfo> future = new ClientFuture<>(events);
            connecting = future;
            if (state != ConnectionState.RESUMING) {
                log.log(Level.DEBUG, "connecting to {0}", config.uri());
                setState(ConnectionState.CONNECTING);
                open(false);
            }
            return future;
        });
    }

    /** Under the lock: a new connection attempt becomes the current one; its socket opens after the lock is released. */
    private void open(boolean resuming) {
        Connection attempt = new Connection(connections, resuming);
        connection = attempt;
        lock.afterUnlock(() -> {
            CompletableFuture<Transport.Link> opening;
            try {
                opening = transport.open(config.uri(), config.connectTimeout(), attempt);
            } catch (RuntimeException e) {
                opening = CompletableFuture.failedFuture(e);
            }
            opening.whenComplete((link, error) -> opened(attempt, link, error));
        });
    }

    /** The socket opened (or could not): send {@code resume}, or fetch a token and send {@code auth}. */
    private void opened(Connection attempt, Transport.Link link, Throwable error) {
        if (error != null) {
            Throwable cause = Texts.unwrap(error);
            lock.run(() -> openFailed(attempt, cause));
            return;
        }
        if (attempt.resuming) {
            lock.run(() -> sendResume(attempt, link));
            return;
        }
        // The supplier may block (fetching a token); never under the lock.
        String token = null;
        RuntimeException tokenError = null;
        try {
            token = config.tokenSupplier().get();
        } catch (RuntimeException e) {
            tokenError = e;
        }
        String fetched = token;
        RuntimeException failure = tokenError;
        lock.run(() -> sendAuth(attempt, link, fetched, failure));
    }

    private void openFailed(Connection attempt, Throwable cause) {
        if (attempt != connection) {
            return;
        }
        if (attempt.resuming) {
            log.log(Level.INFO, "resume attempt: cannot connect to {0}: {1}", config.uri(), Texts.describe(cause));
            attemptFailed(attempt, Connection.Leave.AS_IS);
            return;
        }
        log.log(Level.INFO, "cannot connect to {0}: {1}", config.uri(), Texts.describe(cause));
        if (retrySignIn(attempt, Connection.Leave.AS_IS, "cannot connect to " + config.uri() + ": "
                + Texts.describe(cause), cause)) {
            return;
        }
        endSession(attempt, Connection.Leave.AS_IS, Ending.lost(ABNORMAL_CLOSURE, Texts.describe(cause),
                "cannot connect to " + config.uri() + ": " + Texts.describe(cause), cause));
    }

    private void sendAuth(Connection attempt, Transport.Link link, String token, RuntimeException tokenError) {
        if (attempt != connection) {
            link.abort();
            return;
        }
        attempt.link = link;
        if (tokenError != null || token == null || token.isEmpty()) {
            String why = tokenError != null ? "the token supplier failed: " + Texts.describe(tokenError)
                    : "the token supplier returned no token";
            log.log(Level.WARNING, why);
            if (retrySignIn(attempt, Connection.Leave.CLOSE, why, tokenError)) {
                return;
            }
            endSession(attempt, Connection.Leave.CLOSE, Ending.lost(NORMAL_CLOSURE, why, why, tokenError));
            return;
        }
        session = new SessionState(new PendingRequests(scheduler, config.requestTimeout()));
        session.requests.add(new Command.Auth(newId(), token, config.device()), authHandler(attempt), false, true,
                link);
    }

    private PendingRequest.Handler authHandler(Connection attempt) {
        return new PendingRequest.Handler() {
            @Override
            public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                Result.Auth auth = codec.result(ok, Result.Auth.class);
                session.opened(auth);
                attempt.signedIn = true;
                SessionInfo info = session.info();
                log.log(Level.INFO, "connected to {0} as {1} (device {2}, session {3})", config.uri(), info.user(),
                        info.device(), info.sessionId());
                setState(ConnectionState.CONNECTED);
                startHeartbeat();
                ClientFuture<SessionInfo> future = connecting;
                connecting = null;
                if (future != null) {
                    future.completeInOrder(info);
                }
                if (rooms.recovering()) {
                    rejoiner.succeeded();
                    rooms.rejoin();
                }
            }

            @Override
            public void failed(DialtoneException error) {
                if (error.kind() == DialtoneException.Kind.CONNECTION) {
                    return; // the session is already ending; endSession fails the connect future
                }
                if (error.isTimeout() && attempt == connection
                        && retrySignIn(attempt, Connection.Leave.ABORT, error.getMessage(), error)) {
                    return;
                }
                if (rooms.recovering()) {
                    rooms.failRecovery(error);
                }
                ClientFuture<SessionInfo> future = connecting;
                connecting = null;
                if (future != null) {
                    future.failInOrder(error);
                }
                int code = error.code() == ErrorCode.UNAUTHORIZED ? CloseCodes.UNAUTHORIZED : NORMAL_CLOSURE;
                log.log(Level.WARNING, "sign-in failed: {0}", error.getMessage());
                endSession(connection, Connection.Leave.CLOSE, Ending.lost(code, error.getMessage(), error.getMessage(),
                        null));
            }
        };
    }

    /**
     * The current connection dropped ({@code abort}: detected or decided by this client — a
     * heartbeat timeout, a network change — so the socket is dropped without a close handshake).
     * Resumes when the session allows it; otherwise ends the session.
     */
    private void connectionLost(Connection lost, int code, String reason, boolean abort) {
        if (lost != connection) {
            return;
        }
        if (lost.resuming && !lost.signedIn) {
            log.log(Level.INFO, "resume attempt: the connection ended before the reply ({0,number,#} {1})", code,
                    reason);
            attemptFailed(lost, abort ? Connection.Leave.ABORT : Connection.Leave.AS_IS);
            return;
        }
        log.log(Level.INFO, "connection to {0} lost: {1,number,#} {2}", config.uri(), code, reason);
        if (!lost.resuming && !lost.signedIn && retrySignIn(lost, abort ? Connection.Leave.ABORT
                : Connection.Leave.AS_IS, "the connection was lost (" + code + " " + reason + ")", null)) {
            return;
        }
        String notResumable = whyNotResume(lost, code);
        if (notResumable == null) {
            suspend(lost, code, reason, abort);
            return;
        }
        if (lost.signedIn) {
            log.log(Level.INFO, "not resuming: {0}", notResumable);
        }
        endSession(lost, abort ? Connection.Leave.ABORT : Connection.Leave.AS_IS,
                Ending.lost(code, reason, "the connection was lost (" + code + " " + reason + ")", null));
    }

    /** Why a lost connection cannot be resumed, or null when it can. */
    private String whyNotResume(Connection lost, int code) {
        if (!lost.signedIn || session == null || !session.isOpen()) {
            return "not signed in";
        }
        if (closed) {
            return "the client is closed";
        }
        if (code == CloseCodes.UNAUTHORIZED) {
            return "unauthorized (4401)";
        }
        if (code == CloseCodes.REPLACED) {
            return "replaced by a newer login of the same user and device (4409)";
        }
        if (code == CloseCodes.TOO_MANY_BAD_FRAMES) {
            return "too many malformed frames (4400)";
        }
        if (code == CloseCodes.RATE_LIMITED) {
            return "rate limited (4429)";
        }
        if (session.requests.contains(Command.Logout.class)) {
            return "a logout was in progress";
        }
        if (giveUpMs() <= 0) {
            return "the server keeps no session to resume (resume window 0)";
        }
        return null;
    }

    /** How long to try to resume: the builder's setting, or the server's resume window. */
    private long giveUpMs() {
        return config.resumeGiveUp() != null ? config.resumeGiveUp().toMillis() : session.resumeWindowMs();
    }

    /** Keeps the session and the calls, enters RESUMING and makes the first attempt at once. */
    private void suspend(Connection lost, int code, String reason, boolean abort) {
        connection = null;
        lost.leave(abort ? Connection.Leave.ABORT : Connection.Leave.AS_IS, null);
        heartbeat.stop();
        acks.stop();
        session.requests.connectionLost("the connection was lost (" + code + " " + reason + ")");
        outage = new Outage(code);
        long giveUp = giveUpMs();
        log.log(Level.INFO, "resuming session {0} (giving up after {1,number,#} ms)", session.sessionId(), giveUp);
        setState(ConnectionState.RESUMING);
        events.add(listener::onResuming);
        reconnector.start(giveUp, resumeAttempts);
    }

    private void sendResume(Connection attempt, Transport.Link link) {
        if (attempt != connection) {
            link.abort();
            return;
        }
        attempt.link = link;
        attempt.resumeId = newId();
        log.log(Level.DEBUG, "resuming session {0} after seq {1,number,#}", session.sessionId(), session.lastSeq());
        link.send(codec.encodeCommand(new Command.Resume(attempt.resumeId, session.sessionId(),
                session.resumeToken(), session.lastSeq())));
        attempt.resumeTimer = scheduler.schedule(() -> resumeTimedOut(attempt), config.requestTimeout().toMillis());
    }

    private void resumeTimedOut(Connection attempt) {
        if (attempt != connection || attempt.signedIn || attempt.resumeTimer == null) {
            return;
        }
        attempt.resumeTimer = null;
        log.log(Level.INFO, "no reply to resume within {0,number,#} ms", config.requestTimeout().toMillis());
        attemptFailed(attempt, Connection.Leave.ABORT);
    }

    /** A resume attempt failed but the session may still be resumable: try again after the backoff wait. */
    private void attemptFailed(Connection attempt, Connection.Leave action) {
        connection = null;
        attempt.cancelResumeTimer();
        if (attempt.resumeId != null && outage != null) {
            outage.resumeUnanswered = true;
        }
        attempt.leave(action, "resume attempt abandoned");
        long delay = reconnector.attemptFailed();
        log.log(Level.DEBUG, "next resume attempt in {0,number,#} ms", delay);
    }

    /** The reply to {@code resume} (anything else before it is ignored). */
    private void resumeReply(Connection from, ServerFrame frame) {
        String re = frame instanceof ServerFrame.OkFrame ok ? ok.re()
                : frame instanceof ServerFrame.ErrorFrame error ? error.re() : null;
        if (re == null || !re.equals(from.resumeId)) {
            log.log(Level.DEBUG, "ignoring {0} before the reply to resume", frame);
            return;
        }
        from.cancelResumeTimer();
        if (frame instanceof ServerFrame.OkFrame ok) {
            resumed(from, ok);
            return;
        }
        ServerFrame.ErrorFrame error = (ServerFrame.ErrorFrame) frame;
        if (error.code() == ErrorCode.RESUME_FAILED) {
            ResumeFailure reason = error.reason() != null ? error.reason() : ResumeFailure.INVALID;
            log.log(Level.WARNING, "session {0} cannot be resumed: {1} ({2}){3}", session.sessionId(), reason.wire(),
                    error.message(), reason == ResumeFailure.INVALID && outage != null && outage.resumeUnanswered
                            ? "; an earlier resume got no reply: the server probably resumed on it and rotated"
                            + " the token, whose new value never arrived" : "");
            endSession(from, Connection.Leave.CLOSE, resumeFailed(reason, "the server refused to resume the session: "
                    + reason.wire()));
        } else {
            log.log(Level.INFO, "resume refused: {0} {1}", error.code() == null ? "?" : error.code().wire(),
                    error.message());
            attemptFailed(from, Connection.Leave.CLOSE);
        }
    }

    private void resumed(Connection from, ServerFrame.OkFrame ok) {
        Result.Resume result;
        try {
            result = codec.result(ok, Result.Resume.class);
        } catch (ProtocolException e) {
            result = null;
        }
        if (result == null || result.resumeToken() == null || result.resumeToken().isEmpty()) {
            log.log(Level.WARNING, "unreadable reply to resume: {0}", ok);
            attemptFailed(from, Connection.Leave.CLOSE);
            return;
        }
        from.signedIn = true;
        from.replayedUntil = result.replayed() > 0 ? session.lastSeq() + result.replayed() : 0;
        String previous = session.resumed(result);
        String next = session.resumeToken();
        reconnector.stop();
        outage = null;
        log.log(Level.INFO, "resumed session {0} ({1,number,#} events replayed)", session.sessionId(),
                result.replayed());
        setState(ConnectionState.CONNECTED);
        events.add(() -> listener.onResumed(previous, next));
        ClientFuture<SessionInfo> waiting = connecting;
        connecting = null;
        if (waiting != null) {
            waiting.completeInOrder(session.info());
        }
        startHeartbeat();
        int resent = session.requests.resendAll(from.link);
        if (resent > 0) {
            log.log(Level.INFO, "sent {0,number,#} commands that waited for the resume", resent);
        }
    }

    /** The give-up time passed while resuming. */
    private void gaveUp() {
        if (state != ConnectionState.RESUMING) {
            return;
        }
        long giveUp = giveUpMs();
        log.log(Level.WARNING, "could not resume session {0} within {1,number,#} ms; giving up", session.sessionId(),
                giveUp);
        endSession(connection, Connection.Leave.ABORT, resumeFailed(ResumeFailure.EXPIRED,
                "could not resume the session within " + giveUp + " ms"));
    }

    private Ending resumeFailed(ResumeFailure reason, String why) {
        int code = outage != null ? outage.code : ABNORMAL_CLOSURE;
        return new Ending(code, "session not resumed (" + reason.wire() + ")", why, null,
                EndReason.CONNECTION_LOST, null, reason);
    }

    /**
     * Abandons the current connection and resumes on a new one, now; see
     * {@code DialtoneClient.networkChanged()}.
     */
    public void networkChanged() {
        lock.run(() -> {
            if (closed) {
                return;
            }
            if (state == ConnectionState.CONNECTED && connection != null && connection.signedIn) {
                log.log(Level.INFO, "the network changed: abandoning the connection to {0}", config.uri());
                connectionLost(connection, ABNORMAL_CLOSURE, "the network changed", true);
            } else if (state == ConnectionState.RESUMING) {
                if (connection != null && connection.resumeId != null) {
                    // Abandoning it could lose the rotated token if the server resumed on it.
                    log.log(Level.DEBUG, "the network changed; waiting for the reply to the resume already sent");
                    return;
                }
                if (connection != null) {
                    Connection opening = connection;
                    connection = null;
                    opening.leave(Connection.Leave.ABORT, null);
                }
                log.log(Level.INFO, "the network changed: resuming now");
                reconnector.now();
            } else if (state == ConnectionState.CONNECTING && rejoiner.active() && connection == null) {
                log.log(Level.INFO, "the network changed: signing in again now (conference resume)");
                rejoiner.now();
            }
        });
    }

    /**
     * Ends the session for good, under the lock: stops timers and attempts, fails every pending
     * request and the connect future, ends every call, tells the listener, and enters
     * DISCONNECTED. Order of callbacks: failures, then {@code onResumeFailed} (when the resume
     * failed), then {@code onEnded} per call, then the rooms' {@code onRoomResumeFailed} /
     * {@code onRoomLeft} (unless a conference resume keeps them), then {@code onDisconnected} (when
     * a socket had opened or the session was being resumed), then the state change — and, when the
     * resume failed and the client is in rooms, {@code CONNECTING} for the conference resume.
     */
    private void endSession(Connection ending, Connection.Leave action, Ending end) {
        boolean wasResuming = state == ConnectionState.RESUMING;
        connection = null;
        outage = null;
        heartbeat.stop();
        acks.stop();
        reconnector.stop();
        Transport.Link link = ending == null ? null : ending.link;
        if (ending != null) {
            ending.leave(action, end.reason());
        }
        SessionState ended = session;
        session = null;
        if (ended != null) {
            for (PendingRequest request : ended.requests.drain()) {
                request.handler.failed(DialtoneException.connection(request.command.type(), end.why(), end.cause()));
            }
        }
        if (connecting != null) {
            ClientFuture<SessionInfo> future = connecting;
            connecting = null;
            future.failInOrder(end.closeCode() == CloseCodes.UNAUTHORIZED
                    ? DialtoneException.rejected("auth", ErrorCode.UNAUTHORIZED, end.reason(), null, null)
                    : DialtoneException.connection("connect", end.why(), end.cause()));
        }
        if (end.resumeFailure() != null) {
            ResumeFailure failure = end.resumeFailure();
            events.add(() -> listener.onResumeFailed(failure));
        }
        router.endAll(end.callEnd(), end.by());
        boolean recover = end.resumeFailure() != null && !closed && rooms.suspend();
        if (!recover) {
            rejoiner.stop();
            rooms.endAll(DialtoneException.connection(null, end.why(), end.cause()));
        }
        if (link != null || wasResuming) {
            events.add(() -> listener.onDisconnected(end.closeCode(), end.reason()));
        }
        setState(ConnectionState.DISCONNECTED);
        if (recover) {
            recoverRooms();
        }
    }

    // ---- conference resume ---------------------------------------------------------------------

    /** The session could not be resumed but the client is in rooms: sign in afresh, at once, to join them again. */
    private void recoverRooms() {
        log.log(Level.INFO, "signing in again to join the rooms again (conference resume, giving up after "
                + "{0,number,#} ms)", config.roomResumeGiveUp().toMillis());
        connecting = new ClientFuture<>(events);
        setState(ConnectionState.CONNECTING);
        if (rejoiner.active()) {
            rejoiner.now();     // a new session of the same conference resume was lost too
        } else {
            rejoiner.start(config.roomResumeGiveUp().toMillis(), rejoinAttempts);
        }
    }

    /** The next step of the conference resume: sign in, or (signed in) send the re-joins that wait. */
    private void rejoinAttempt() {
        if (closed || !rooms.recovering()) {
            return;
        }
        if (state == ConnectionState.CONNECTED || state == ConnectionState.RESUMING) {
            rooms.rejoin();
        } else if (state == ConnectionState.CONNECTING && connection == null) {
            log.log(Level.DEBUG, "conference resume: signing in to {0}", config.uri());
            open(false);
        }
    }

    /**
     * During a conference resume, a sign-in attempt failed in a way a retry may fix (the server
     * cannot be reached, the connection broke, no reply, no token): abandons it and tries again
     * after the backoff wait. False when this is not such an attempt.
     */
    private boolean retrySignIn(Connection attempt, Connection.Leave action, String why, Throwable cause) {
        if (closed || attempt.resuming || attempt.signedIn || state != ConnectionState.CONNECTING
                || !rejoiner.active() || !rooms.recovering()) {
            return false;
        }
        connection = null;
        attempt.leave(action, "sign-in attempt abandoned");
        if (session != null) {
            session.requests.drain();
            session = null;
        }
        rooms.signInFailed(DialtoneException.connection("auth", why, cause));
        long delay = rejoiner.attemptFailed();
        log.log(Level.INFO, "conference resume: sign-in failed ({0}); next attempt in {1,number,#} ms", why, delay);
        return true;
    }

    /** The rooms' give-up time passed: the rooms still recovering are given up, and so is the sign-in. */
    private void roomsGaveUp() {
        long giveUp = config.roomResumeGiveUp().toMillis();
        log.log(Level.WARNING, "conference resume: rooms not joined again within {0,number,#} ms; giving up", giveUp);
        rooms.giveUp(giveUp);
        stopSignIn();
    }

    /** No room waits for its conference resume any more. */
    private void recoverySettled() {
        boolean wasRecovering = rejoiner.active();
        rejoiner.stop();
        if (wasRecovering) {
            stopSignIn();
        }
    }

    /** Stops the sign-in of a conference resume that has nothing left to resume (DISCONNECTED). */
    private void stopSignIn() {
        if (state != ConnectionState.CONNECTING || closed) {
            return;
        }
        Connection attempt = connection;
        connection = null;
        if (attempt != null) {
            attempt.leave(Connection.Leave.ABORT, null);
        }
        String why = "the conference resume ended before the client signed in again";
        endSession(null, Connection.Leave.AS_IS, Ending.lost(ABNORMAL_CLOSURE, "not signed in again", why, null));
    }

    /** Closes the client for good; see {@code DialtoneClient.close()}. */
    public void close() {
        lock.run(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (connection != null || state == ConnectionState.RESUMING || rejoiner.active()) {
                log.log(Level.INFO, "closing the connection to {0}", config.uri());
                endSession(connection, Connection.Leave.CLOSE, Ending.lost(NORMAL_CLOSURE, "client closed",
                        "the client was closed", null));
            }
        });
    }

    public ConnectionState connectionState() {
        return state;
    }

    public Optional<SessionInfo> session() {
        return lock.call(() -> session != null && session.isOpen() && state == ConnectionState.CONNECTED
                ? Optional.of(session.info()) : Optional.empty());
    }

    /** The calls the application was told about and not yet told ended, oldest first. */
    public List<Call> calls() {
        return router.calls();
    }

    public Optional<Call> call(String callId) {
        return router.call(callId);
    }

    // ---- frames in ---------------------------------------------------------------------------

    /** Processes one decoded frame as if it arrived on the current connection. */
    public void receive(ServerFrame frame) {
        lock.run(() -> {
            if (connection == null) {
                log.log(Level.DEBUG, "no connection; ignoring {0}", frame);
                return;
            }
            process(connection, frame);
        });
    }

    private void received(Connection from, String text) {
        ServerFrame frame = null;
        try {
            frame = codec.decodeServerFrame(text);
        } catch (ProtocolException e) {
            log.log(Level.WARNING, "ignoring a frame that cannot be decoded ({0}): {1}", e.getMessage(),
                    Texts.shorten(text));
        }
        ServerFrame decoded = frame;
        lock.run(() -> {
            if (from != connection) {
                return;
            }
            heartbeat.frameArrived();
            if (decoded != null) {
                process(from, decoded);
            }
        });
    }

    private void process(Connection from, ServerFrame frame) {
        heartbeat.frameArrived();
        if (from.resuming && !from.signedIn) {
            resumeReply(from, frame);
        } else if (session == null) {
            log.log(Level.DEBUG, "no session; ignoring {0}", frame);
        } else if (frame instanceof ServerFrame.EventFrame event) {
            inbox.event(session, event);
            if (from.replayedUntil > 0 && session.lastSeq() >= from.replayedUntil) {
                from.replayedUntil = 0;
                acks.now(session); // the replay is complete: let the server trim its buffer at once
            }
        } else if (frame instanceof ServerFrame.OkFrame ok) {
            inbox.ok(session, ok);
        } else if (frame instanceof ServerFrame.ErrorFrame error) {
            inbox.error(session, error);
        }
    }

    // ---- commands ------------------------------------------------------------------------------

    public CompletableFuture<Call> invite(InviteOptions options) {
        return router.commands().invite(options);
    }

    public CompletableFuture<HistoryPage> history(int limit, String before) {
        return router.commands().history(limit, before);
    }

    public CompletableFuture<List<CallSnapshot>> listCalls() {
        return router.commands().listCalls();
    }

    public CompletableFuture<Call> joinCall(String callId) {
        return router.commands().join(callId);
    }

    public CompletableFuture<Room> joinRoom(String room, JsonNode payload) {
        return rooms.join(room, payload);
    }

    /** The rooms the application was told about and not yet told left, in joining order. */
    public List<Room> rooms() {
        return rooms.rooms();
    }

    /**
     * Ends the session with {@code logout}. While resuming, nothing can reach the server: the
     * attempts stop and the session ends here at once (the server ends it when its resume window
     * passes).
     */
    public CompletableFuture<Void> logout() {
        return lock.call(() -> {
            boolean signingInAgain = state == ConnectionState.CONNECTING && rejoiner.active();
            if ((state == ConnectionState.RESUMING || signingInAgain) && !closed) {
                log.log(Level.INFO, "logging out while resuming: the session ends here; the server ends it when "
                        + "its resume window passes");
                ClientFuture<Void> done = new ClientFuture<>(events);
                done.completeInOrder(null);
                endSession(connection, Connection.Leave.CLOSE, Ending.lost(NORMAL_CLOSURE, "logged out", "logged out",
                        null));
                return done;
            }
            return request(Command.Logout::new, (future, loggingOut) -> new Requester.Answer<Void>(future) {
                @Override
                public void ok(ServerFrame.OkFrame ok) {
                    future.completeInOrder(null);
                    log.log(Level.INFO, "logged out");
                    // The server ended the session's calls as if this user hung up.
                    endSession(connection, Connection.Leave.CLOSE, new Ending(NORMAL_CLOSURE, "logged out", "logged out",
                            null, EndReason.HANGUP, loggingOut.user(), null));
                }
            });
        });
    }

    /**
     * Sends a command built with a fresh id and returns its future (see {@link Requester}). While
     * resuming, the command waits (unsent) for the resume, at most the request timeout.
     */
    private <T> CompletableFuture<T> request(Function<String, Command> build, Requester.HandlerFactory<T> handler) {
        ClientFuture<T> future = new ClientFuture<>(events);
        lock.run(() -> {
            Command command = build.apply(newId());
            boolean usable = state == ConnectionState.CONNECTED || state == ConnectionState.RESUMING;
            if (closed || !usable || session == null || !session.isOpen()) {
                future.failInOrder(DialtoneException.connection(command.type(),
                        closed ? "the client is closed" : "not connected", null));
                return;
            }
            send(command, handler.create(future, session), true, true);
        });
        return future;
    }

    /** Registers the command as pending and writes it, or queues it while resuming. Under the lock. */
    private void send(Command command, PendingRequest.Handler handler, boolean resendOnResume, boolean timed) {
        session.requests.add(command, handler, resendOnResume, timed, liveLink());
    }

    /** The link commands go out on now: the signed-in connection's; null while resuming. */
    private Transport.Link liveLink() {
        return state == ConnectionState.CONNECTED && connection != null && connection.signedIn
                ? connection.link : null;
    }

    private boolean sendAck(long seq) {
        Transport.Link link = liveLink();
        if (link == null) {
            return false;
        }
        link.send(codec.encodeCommand(new Command.Ack(seq)));
        return true;
    }

    private void startHeartbeat() {
        heartbeat.start(session.heartbeatMs(), () -> send(new Command.Ping(newId()), logOnly(), false, false),
                silentMs -> {
                    log.log(Level.WARNING, "no frame from {0} for {1,number,#} ms; the connection is lost",
                            config.uri(), silentMs);
                    connectionLost(connection, ABNORMAL_CLOSURE, "no frame from the server for " + silentMs + " ms",
                            true);
                });
    }

    private static PendingRequest.Handler logOnly() {
        return new PendingRequest.Handler() {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
            }

            @Override
            public void failed(DialtoneException error) {
                log.log(Level.DEBUG, "{0}", error.getMessage());
            }
        };
    }

    private String newId() {
        return Long.toString(++nextId);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Under the lock: records the state and queues the callback. */
    private void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            events.add(() -> listener.onConnectionStateChanged(next));
        }
    }

    private <T> ClientFuture<T> failedFuture(DialtoneException error) {
        ClientFuture<T> future = new ClientFuture<>(events);
        future.failInOrder(error);
        return future;
    }
}
