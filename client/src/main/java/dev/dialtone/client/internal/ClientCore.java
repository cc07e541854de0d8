package dev.dialtone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The client's engine: sends commands and matches their replies, processes the server's decoded
 * frames ({@link #receive(ServerFrame)}), keeps the session ({@link SessionState}) and the calls,
 * and hands callbacks and future completions to the {@link EventQueue} in order.
 *
 * <p>Frame flow: transport text → decode (outside the lock) → under the lock: reply → pending
 * request by {@code re}; event → seq check (duplicates dropped, {@code lastSeq} advanced, ack
 * batched) → the call it is about → a task on the EventQueue that updates the {@link RealCall}'s
 * view and calls the listener. The lock is released before the queue is flushed, so application
 * code never runs under it.
 *
 * <p>Threading: one lock ({@code lock}) guards every mutable field below it; every entry point
 * (public methods, transport callbacks, timer tasks) takes it, does bounded work without blocking
 * (sends are asynchronous), and calls {@link EventQueue#flush()} after releasing it. The only
 * state written outside the lock is the calls' views and the {@code visible} map, both written
 * only by EventQueue tasks, one at a time.
 *
 * <p>Resume seam: {@link #connectionLost} is where a dropped connection is handled. This version
 * ends the session there; automatic resume will instead keep the {@link SessionState} (session id,
 * resume token, {@code lastSeq}, pending commands) and the calls, enter
 * {@link ConnectionState#RESUMING}, open a new {@link Transport} connection, send {@code resume},
 * and re-send the pending commands that are {@link PendingRequest#resendOnResume}.
 */
public final class ClientCore {
    private static final System.Logger log = System.getLogger(ClientCore.class.getName());

    /** Acknowledge at the latest after this many events … */
    static final int ACK_BATCH = 16;
    /** … or this long after the first unacknowledged one. */
    static final long ACK_DELAY_MS = 1_000;
    /** WebSocket close codes this class reports besides the protocol's {@link CloseCodes}. */
    static final int NORMAL_CLOSURE = 1000;
    static final int ABNORMAL_CLOSURE = 1006;

    private enum LinkAction { NONE, CLOSE, ABORT }

    /** One connection attempt: the transport reports to it, and reports from a replaced one are ignored. */
    private final class Connection implements Transport.Listener {
        /** Set under the lock once the socket is open. */
        Transport.Link link;

        @Override
        public void onText(String text) {
            received(this, text);
        }

        @Override
        public void onClosed(int code, String reason) {
            connectionLost(this, code, reason == null || reason.isEmpty() ? "closed by the server" : reason, false);
        }

        @Override
        public void onFailure(Throwable error) {
            connectionLost(this, ABNORMAL_CLOSURE, describe(error), false);
        }
    }

    /** A call the core routes events to, with what only the core needs to know about it. */
    private static final class Tracked {
        final RealCall call;
        /** The caller from the start; an invitee once this device accepted (or a glare merge did). */
        boolean joined;
        long activeSinceNanos = -1;

        Tracked(RealCall call) {
            this.call = call;
        }

        void active(long now) {
            if (activeSinceNanos < 0) {
                activeSinceNanos = now;
            }
        }
    }

    /** A reply handler whose failure fails its future. */
    private abstract class Answer<T> implements PendingRequest.Handler {
        final ClientFuture<T> future;

        Answer(ClientFuture<T> future) {
            this.future = future;
        }

        @Override
        public void failed(DialtoneException error) {
            fail(future, error);
        }
    }

    private final ClientConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final LongSupplier nanoClock;
    private final EventQueue events;
    private final DialtoneListener listener;
    private final WireCodec codec = WireCodec.get();
    /** Calls the application was told about and not yet told ended. Written only by EventQueue tasks. */
    private final Map<String, RealCall> visible = Collections.synchronizedMap(new LinkedHashMap<>());

    private final Object lock = new Object();
    // ---- guarded by lock ---------------------------------------------------------------------
    /** Written under the lock; volatile so that {@link #connectionState()} needs no lock. */
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private boolean closed;
    private long nextId;
    private Connection connection;
    private SessionState session;
    private ClientFuture<SessionInfo> connecting;
    private final Map<String, Tracked> calls = new LinkedHashMap<>();
    private Scheduler.Cancellable heartbeatTimer;
    private Scheduler.Cancellable ackTimer;
    private long lastFrameNanos;

    /**
     * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime}), for heartbeats and
     *     locally measured durations
     * @param callbackExecutor where listener callbacks and future completions run (serialized)
     */
    public ClientCore(ClientConfig config, Transport transport, Scheduler scheduler, LongSupplier nanoClock,
                      Executor callbackExecutor, DialtoneListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.events = new EventQueue(Objects.requireNonNull(callbackExecutor, "callbackExecutor"));
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    // ---- connection ----------------------------------------------------------------------------

    /** Opens a connection and signs in with {@code auth}; see {@code DialtoneClient.connect()}. */
    public CompletableFuture<SessionInfo> connect() {
        Connection attempt;
        ClientFuture<SessionInfo> future;
        try {
            synchronized (lock) {
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
                future = new ClientFuture<>(events);
                connecting = future;
                attempt = new Connection();
                connection = attempt;
                setState(ConnectionState.CONNECTING);
            }
        } finally {
            events.flush();
        }
        log.log(Level.DEBUG, "connecting to {0}", config.uri());
        CompletableFuture<Transport.Link> opening;
        try {
            opening = transport.open(config.uri(), config.connectTimeout(), attempt);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((link, error) -> opened(attempt, link, error));
        return future;
    }

    /** The socket opened (or could not): fetch a token and send {@code auth}. */
    private void opened(Connection attempt, Transport.Link link, Throwable error) {
        if (error != null) {
            Throwable cause = unwrap(error);
            try {
                synchronized (lock) {
                    if (attempt == connection) {
                        log.log(Level.INFO, "cannot connect to {0}: {1}", config.uri(), describe(cause));
                        endSession(attempt, ABNORMAL_CLOSURE, describe(cause), LinkAction.NONE,
                                "cannot connect to " + config.uri() + ": " + describe(cause), cause,
                                EndReason.CONNECTION_LOST, null);
                    }
                }
            } finally {
                events.flush();
            }
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
        try {
            synchronized (lock) {
                if (attempt != connection) {
                    link.abort();
                    return;
                }
                attempt.link = link;
                if (tokenError != null || token == null || token.isEmpty()) {
                    String why = tokenError != null ? "the token supplier failed: " + describe(tokenError)
                            : "the token supplier returned no token";
                    log.log(Level.WARNING, why);
                    endSession(attempt, NORMAL_CLOSURE, why, LinkAction.CLOSE, why, tokenError,
                            EndReason.CONNECTION_LOST, null);
                    return;
                }
                session = new SessionState();
                lastFrameNanos = nanoClock.getAsLong();
                send(new Command.Auth(newId(), token, config.device()), authHandler(), false, config.requestTimeout());
            }
        } finally {
            events.flush();
        }
    }

    private PendingRequest.Handler authHandler() {
        return new PendingRequest.Handler() {
            @Override
            public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                Result.Auth auth = codec.result(ok, Result.Auth.class);
                session.opened(auth);
                SessionInfo info = session.info();
                log.log(Level.INFO, "connected to {0} as {1} (device {2}, session {3})", config.uri(), info.user(),
                        info.device(), info.sessionId());
                setState(ConnectionState.CONNECTED);
                startHeartbeat();
                ClientFuture<SessionInfo> future = connecting;
                connecting = null;
                if (future != null) {
                    events.add(() -> future.complete(info));
                }
            }

            @Override
            public void failed(DialtoneException error) {
                if (error.kind() == DialtoneException.Kind.CONNECTION) {
                    return; // the session is already ending; endSession fails the connect future
                }
                ClientFuture<SessionInfo> future = connecting;
                connecting = null;
                if (future != null) {
                    fail(future, error);
                }
                int code = error.code() == ErrorCode.UNAUTHORIZED ? CloseCodes.UNAUTHORIZED : NORMAL_CLOSURE;
                log.log(Level.WARNING, "sign-in failed: {0}", error.getMessage());
                endSession(connection, code, error.getMessage(), LinkAction.CLOSE, error.getMessage(), null,
                        EndReason.CONNECTION_LOST, null);
            }
        };
    }

    /**
     * The current connection dropped ({@code abort}: detected by this client, e.g. a heartbeat
     * timeout). The resume seam: see the class comment.
     */
    private void connectionLost(Connection lost, int code, String reason, boolean abort) {
        try {
            synchronized (lock) {
                if (lost != connection) {
                    return;
                }
                log.log(Level.INFO, "connection to {0} lost: {1,number,#} {2}", config.uri(), code, reason);
                // Automatic resume (next version) goes here: when the session is open and the code
                // allows it, keep session and calls, enter RESUMING and reconnect with `resume`.
                endSession(lost, code, reason, abort ? LinkAction.ABORT : LinkAction.NONE,
                        "the connection was lost (" + code + " " + reason + ")", null, EndReason.CONNECTION_LOST, null);
            }
        } finally {
            events.flush();
        }
    }

    /**
     * Ends the session for good, under the lock: stops timers, fails every pending request and the
     * connect future, ends every call ({@code callEnd} by {@code by}, reported by the SDK), tells
     * the listener, and enters DISCONNECTED. Order of callbacks: failures, then {@code onEnded}
     * per call, then {@code onDisconnected} (when the socket had opened), then the state change.
     */
    private void endSession(Connection ending, int closeCode, String reason, LinkAction action, String why,
                            Throwable cause, EndReason callEnd, String by) {
        connection = null;
        cancelTimers();
        Transport.Link link = ending == null ? null : ending.link;
        if (link != null) {
            if (action == LinkAction.CLOSE) {
                link.close(NORMAL_CLOSURE, closeReason(reason));
            } else if (action == LinkAction.ABORT) {
                link.abort();
            }
        }
        SessionState ended = session;
        session = null;
        if (ended != null) {
            List<PendingRequest> unanswered = new ArrayList<>(ended.pending.values());
            ended.pending.clear();
            for (PendingRequest request : unanswered) {
                request.cancelTimeout();
                request.handler.failed(DialtoneException.connection(request.command.type(), why, cause));
            }
        }
        if (connecting != null) {
            ClientFuture<SessionInfo> future = connecting;
            connecting = null;
            fail(future, closeCode == CloseCodes.UNAUTHORIZED
                    ? DialtoneException.rejected("auth", ErrorCode.UNAUTHORIZED, reason, null, null)
                    : DialtoneException.connection("connect", why, cause));
        }
        long now = nanoClock.getAsLong();
        for (Tracked tracked : new ArrayList<>(calls.values())) {
            long durationMs = tracked.activeSinceNanos < 0 ? 0 : (now - tracked.activeSinceNanos) / 1_000_000;
            finish(tracked, callEnd, by, durationMs, null);
        }
        if (link != null) {
            events.add(() -> listener.onDisconnected(closeCode, reason));
        }
        setState(ConnectionState.DISCONNECTED);
    }

    /** Closes the client for good; see {@code DialtoneClient.close()}. */
    public void close() {
        try {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                if (connection != null) {
                    log.log(Level.INFO, "closing the connection to {0}", config.uri());
                    endSession(connection, NORMAL_CLOSURE, "client closed", LinkAction.CLOSE, "the client was closed",
                            null, EndReason.CONNECTION_LOST, null);
                }
            }
        } finally {
            events.flush();
        }
    }

    public ConnectionState connectionState() {
        return state;
    }

    public Optional<SessionInfo> session() {
        synchronized (lock) {
            return session != null && session.isOpen() && state == ConnectionState.CONNECTED
                    ? Optional.of(session.info()) : Optional.empty();
        }
    }

    /** The calls the application was told about and not yet told ended, oldest first. */
    public List<Call> calls() {
        synchronized (visible) {
            return List.copyOf(visible.values());
        }
    }

    public Optional<Call> call(String callId) {
        return Optional.ofNullable(visible.get(callId));
    }

    // ---- frames in ---------------------------------------------------------------------------

    /** Processes one decoded frame as if it arrived on the current connection. */
    public void receive(ServerFrame frame) {
        try {
            synchronized (lock) {
                if (connection == null) {
                    log.log(Level.DEBUG, "no connection; ignoring {0}", frame);
                    return;
                }
                lastFrameNanos = nanoClock.getAsLong();
                process(frame);
            }
        } finally {
            events.flush();
        }
    }

    private void received(Connection from, String text) {
        ServerFrame frame = null;
        try {
            frame = codec.decodeServerFrame(text);
        } catch (ProtocolException e) {
            log.log(Level.WARNING, "ignoring a frame that cannot be decoded ({0}): {1}", e.getMessage(),
                    shorten(text));
        }
        try {
            synchronized (lock) {
                if (from != connection) {
                    return;
                }
                lastFrameNanos = nanoClock.getAsLong();
                if (frame != null) {
                    process(frame);
                }
            }
        } finally {
            events.flush();
        }
    }

    private void process(ServerFrame frame) {
        if (frame instanceof ServerFrame.EventFrame event) {
            onEvent(event);
        } else if (frame instanceof ServerFrame.OkFrame ok) {
            onOk(ok);
        } else if (frame instanceof ServerFrame.ErrorFrame error) {
            onError(error);
        }
    }

    private void onOk(ServerFrame.OkFrame ok) {
        if (session == null) {
            return;
        }
        PendingRequest request = ok.re() == null ? null : session.pending.remove(ok.re());
        if (request == null) {
            lateReply(ok);
            return;
        }
        request.cancelTimeout();
        try {
            request.handler.ok(ok);
        } catch (ProtocolException | RuntimeException e) {
            log.log(Level.WARNING, "cannot read the reply to " + request.command.type(), e);
            request.handler.failed(DialtoneException.protocol(request.command.type(), e.getMessage()));
        }
    }

    private void onError(ServerFrame.ErrorFrame error) {
        if (session == null) {
            return;
        }
        PendingRequest request = error.re() == null ? null : session.pending.remove(error.re());
        if (request == null) {
            if (error.re() != null && session.abandonedInvites.remove(error.re())) {
                return;
            }
            log.log(error.re() == null ? Level.WARNING : Level.DEBUG, "error reply to {0}: {1} {2}", error.re(),
                    error.code() == null ? "?" : error.code().wire(), error.message());
            return;
        }
        request.cancelTimeout();
        request.handler.failed(DialtoneException.rejected(request.command.type(), error.code(), error.message(),
                error.reason(), error.hookCode()));
    }

    /** A reply whose request is gone: it timed out. A timed-out invite that was placed after all is hung up. */
    private void lateReply(ServerFrame.OkFrame ok) {
        if (ok.re() != null && session.abandonedInvites.remove(ok.re())) {
            try {
                Result.Invite invite = codec.result(ok, Result.Invite.class);
                if (!Boolean.TRUE.equals(invite.merged()) && invite.callId() != null) {
                    log.log(Level.INFO, "call {0} was placed after its invite timed out; hanging it up",
                            invite.callId());
                    send(new Command.CallHangup(newId(), invite.callId()), logOnly(), true, config.requestTimeout());
                }
            } catch (ProtocolException e) {
                log.log(Level.DEBUG, "unreadable late invite reply: {0}", e.getMessage());
            }
            return;
        }
        log.log(Level.DEBUG, "reply to unknown or timed-out request {0}", ok.re());
    }

    private void onEvent(ServerFrame.EventFrame frame) {
        if (session == null || !session.isOpen()) {
            log.log(Level.DEBUG, "ignoring event {0} before sign-in", frame.type());
            return;
        }
        long expected = session.lastSeq() + 1;
        if (!session.advance(frame.seq())) {
            log.log(Level.DEBUG, "dropping duplicate event {0} (seq {1,number,#}, last {2,number,#})", frame.type(), frame.seq(),
                    session.lastSeq());
            return;
        }
        if (frame.seq() != expected) {
            log.log(Level.INFO, "event seq jumped from {0,number,#} to {1,number,#}", expected - 1, frame.seq());
        }
        ackProgress();
        if (frame.event() == null) {
            log.log(Level.DEBUG, "skipping event of unknown type {0} (seq {1,number,#})", frame.type(), frame.seq());
            return;
        }
        apply(frame);
    }

    /** Routes an event (its seq already taken) to its call. */
    private void apply(ServerFrame.EventFrame frame) {
        Event event = frame.event();
        if (event instanceof Event.CallIncoming incoming) {
            incoming(incoming);
            return;
        }
        Tracked tracked = calls.get(event.callId());
        if (tracked == null) {
            if (session.invitePending()) {
                if (!session.holdEarly(frame)) {
                    log.log(Level.WARNING, "too many events for unknown calls; dropping {0}", frame.type());
                }
            } else {
                // For example a call placed from another device of this user: not this client's call.
                log.log(Level.DEBUG, "ignoring {0} for call {1}, which this client does not track", frame.type(),
                        event.callId());
            }
            return;
        }
        RealCall call = tracked.call;
        if (event instanceof Event.CallRinging e) {
            events.add(() -> listener.onRinging(call, e.user()));
        } else if (event instanceof Event.CallAccepted e) {
            events.add(() -> {
                call.update(view -> view.joined(e.user()));
                listener.onAccepted(call, e.user(), e.payload());
            });
        } else if (event instanceof Event.CallStarted e) {
            tracked.joined = true;
            tracked.active(nanoClock.getAsLong());
            events.add(() -> {
                call.update(view -> view.started(e.roomId(), e.participants()));
                listener.onStarted(call, e.roomId(), call.participants());
            });
        } else if (event instanceof Event.CallDeclined e) {
            events.add(() -> listener.onDeclined(call, e.user(), e.reason(), e.payload()));
        } else if (event instanceof Event.CallCanceled e) {
            if (call.direction() == CallDirection.INCOMING && !tracked.joined) {
                finish(tracked, endReasonOf(e.reason()), canceledBy(e.reason()), 0, e.reason());
            } else {
                log.log(Level.DEBUG, "call.canceled for call {0}, which this device joined or placed", call.id());
                events.add(() -> listener.onCanceled(call, e.reason()));
            }
        } else if (event instanceof Event.CallEnded e) {
            finish(tracked, e.reason(), e.by(), e.durationMs(), null);
        } else if (event instanceof Event.CallHoldChanged e) {
            events.add(() -> {
                call.update(view -> view.held(e.user(), e.held()));
                listener.onHoldChanged(call, e.user(), e.held());
            });
        } else if (event instanceof Event.CallParticipantReconnecting e) {
            events.add(() -> {
                call.update(view -> view.reconnecting(e.user(), true));
                listener.onParticipantReconnecting(call, e.user());
            });
        } else if (event instanceof Event.CallParticipantResumed e) {
            events.add(() -> {
                call.update(view -> view.reconnecting(e.user(), false));
                listener.onParticipantResumed(call, e.user());
            });
        } else if (event instanceof Event.CallSignal e) {
            events.add(() -> listener.onSignal(call, e.from(), e.data()));
        } else {
            log.log(Level.DEBUG, "no handling for event {0}", frame.type());
        }
    }

    private void incoming(Event.CallIncoming incoming) {
        if (calls.containsKey(incoming.callId())) {
            log.log(Level.DEBUG, "call {0} is already known; ignoring call.incoming", incoming.callId());
            return;
        }
        boolean waiting = Boolean.TRUE.equals(incoming.waiting());
        RealCall call = new RealCall(this, incoming.callId(), CallDirection.INCOMING, incoming.from(),
                incoming.invitees(), incoming.media(), incoming.payload(), incoming.expiresAt(), waiting);
        calls.put(call.id(), new Tracked(call));
        events.add(() -> {
            visible.put(call.id(), call);
            listener.onIncomingCall(call, waiting);
        });
    }

    /** The call is over for this client: forget it, then tell the application (the final callback). */
    private void finish(Tracked tracked, EndReason reason, String by, long durationMs, CancelReason canceled) {
        RealCall call = tracked.call;
        calls.remove(call.id());
        log.log(Level.DEBUG, "call {0} ended: {1}", call.id(), reason);
        events.add(() -> {
            call.update(view -> view.ended(reason, by, canceled));
            visible.remove(call.id());
            if (canceled != null) {
                listener.onCanceled(call, canceled);
            }
        });
        events.add(() -> listener.onEnded(call, reason, by, durationMs));
    }

    private static EndReason endReasonOf(CancelReason reason) {
        if (reason == null) {
            return EndReason.CANCELED;
        }
        switch (reason) {
            case NO_ANSWER:
                return EndReason.NO_ANSWER;
            case DECLINED_ELSEWHERE:
                return EndReason.DECLINED;
            case CANCELED:
            case ANSWERED_ELSEWHERE:
            default:
                return EndReason.CANCELED;
        }
    }

    /** Another device of this user acted: this user; otherwise unknown. */
    private String canceledBy(CancelReason reason) {
        return reason == CancelReason.ANSWERED_ELSEWHERE || reason == CancelReason.DECLINED_ELSEWHERE
                ? session.user() : null;
    }

    // ---- commands ------------------------------------------------------------------------------

    public CompletableFuture<Call> invite(InviteOptions options) {
        Objects.requireNonNull(options, "options");
        Integer timeoutMs = options.timeout().map(timeout -> (int) timeout.toMillis()).orElse(null);
        return request(id -> new Command.CallInvite(id, options.invitees(), options.media(), options.payload(),
                timeoutMs), future -> new Answer<Call>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        invited(options, codec.result(ok, Result.Invite.class), future);
                    }

                    @Override
                    public void failed(DialtoneException error) {
                        super.failed(error);
                        if (session != null) {
                            session.dropEarlyUnlessInvitePending();
                        }
                    }
                });
    }

    private void invited(InviteOptions options, Result.Invite result, ClientFuture<Call> future) {
        String callId = result.callId();
        Tracked tracked = calls.get(callId);
        if (Boolean.TRUE.equals(result.merged())) {
            // Glare (rule 7): our invite met the invitee's ringing invite to us, which the server
            // accepted on our behalf; the call is that incoming call, now active.
            if (tracked == null) {
                RealCall call = new RealCall(this, callId, CallDirection.INCOMING, options.invitees().get(0),
                        List.of(session.user()), options.media(), null, 0, false);
                tracked = new Tracked(call);
                calls.put(callId, tracked);
                events.add(() -> visible.put(callId, call));
            }
            tracked.joined = true;
            tracked.active(nanoClock.getAsLong());
            RealCall call = tracked.call;
            log.log(Level.INFO, "invite to {0} merged into their call {1}", options.invitees(), callId);
            events.add(() -> {
                if (call.state() == CallState.RINGING) {
                    call.update(view -> view.active(null));
                }
                future.complete(call);
            });
        } else {
            if (tracked == null) {
                RealCall call = new RealCall(this, callId, CallDirection.OUTGOING, session.user(), options.invitees(),
                        options.media(), options.payload(), 0, false);
                tracked = new Tracked(call);
                tracked.joined = true;
                calls.put(callId, tracked);
            }
            RealCall call = tracked.call;
            events.add(() -> {
                visible.put(callId, call);
                future.complete(call);
            });
        }
        for (ServerFrame.EventFrame early : session.takeEarly(callId)) {
            apply(early);
        }
        session.dropEarlyUnlessInvitePending();
    }

    CompletableFuture<String> accept(RealCall call, JsonNode payload) {
        return request(id -> new Command.CallAccept(id, call.id(), payload), future -> new Answer<String>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                String roomId = codec.result(ok, Result.Accept.class).roomId();
                Tracked tracked = calls.get(call.id());
                if (tracked != null) {
                    tracked.joined = true;
                    tracked.active(nanoClock.getAsLong());
                }
                events.add(() -> {
                    if (call.state() != CallState.ENDED) {
                        call.update(view -> view.active(roomId));
                    }
                    future.complete(roomId);
                });
            }
        });
    }

    CompletableFuture<Void> decline(RealCall call, DeclineReason reason, JsonNode payload) {
        return request(id -> new Command.CallDecline(id, call.id(), reason, payload), future -> new Answer<Void>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
                complete(future, null);
                // The server sends no call.ended to the device that declined: end the call here.
                Tracked tracked = calls.get(call.id());
                if (tracked != null && !tracked.joined) {
                    finish(tracked, reason == DeclineReason.BUSY ? EndReason.BUSY : EndReason.DECLINED,
                            session.user(), 0, null);
                }
            }
        });
    }

    CompletableFuture<Void> cancel(RealCall call) {
        return request(id -> new Command.CallCancel(id, call.id()), this::simple);
    }

    CompletableFuture<Void> hangup(RealCall call) {
        return request(id -> new Command.CallHangup(id, call.id()), future -> new Answer<Void>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
                complete(future, null);
                // A hang-up of a call ringing here is a decline: no call.ended follows for this device.
                Tracked tracked = calls.get(call.id());
                if (tracked != null && tracked.call.direction() == CallDirection.INCOMING && !tracked.joined) {
                    finish(tracked, EndReason.DECLINED, session.user(), 0, null);
                }
            }
        });
    }

    CompletableFuture<Void> hold(RealCall call, boolean hold) {
        return request(id -> hold ? new Command.CallHold(id, call.id()) : new Command.CallUnhold(id, call.id()),
                this::simple);
    }

    CompletableFuture<Void> signal(RealCall call, String to, JsonNode data) {
        return request(id -> new Command.CallSignal(id, call.id(), to, data), this::simple);
    }

    public CompletableFuture<List<CallSnapshot>> listCalls() {
        return request(Command.CallsList::new, future -> new Answer<List<CallSnapshot>>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                List<CallSnapshot> snapshots = codec.result(ok, Result.CallsList.class).calls();
                complete(future, snapshots == null ? List.of() : List.copyOf(snapshots));
            }
        });
    }

    public CompletableFuture<Void> logout() {
        return request(Command.Logout::new, future -> new Answer<Void>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
                complete(future, null);
                log.log(Level.INFO, "logged out");
                // The server ended the session's calls as if this user hung up.
                endSession(connection, NORMAL_CLOSURE, "logged out", LinkAction.CLOSE, "logged out", null,
                        EndReason.HANGUP, session.user());
            }
        });
    }

    /**
     * Sends a command built with a fresh id and returns its future. Arguments are validated by the
     * command record and throw {@link IllegalArgumentException} here, synchronously; a client that
     * is not connected fails the future with a CONNECTION {@link DialtoneException}.
     */
    private <T> CompletableFuture<T> request(Function<String, Command> build,
                                             Function<ClientFuture<T>, PendingRequest.Handler> handler) {
        ClientFuture<T> future = new ClientFuture<>(events);
        try {
            synchronized (lock) {
                Command command = build.apply(newId());
                if (closed || state != ConnectionState.CONNECTED || session == null) {
                    fail(future, DialtoneException.connection(command.type(),
                            closed ? "the client is closed" : "not connected", null));
                    return future;
                }
                send(command, handler.apply(future), true, config.requestTimeout());
            }
        } finally {
            events.flush();
        }
        return future;
    }

    /** Registers the command as pending (with a timeout unless null) and writes it. Under the lock. */
    private void send(Command command, PendingRequest.Handler handler, boolean resendOnResume, Duration timeout) {
        SessionState current = session;
        PendingRequest request = new PendingRequest(command, handler, resendOnResume);
        current.pending.put(command.id(), request);
        if (timeout != null) {
            request.timeout = scheduler.schedule(() -> timedOut(current, command.id()), timeout.toMillis());
        }
        connection.link.send(codec.encodeCommand(command));
    }

    private void timedOut(SessionState owner, String id) {
        try {
            synchronized (lock) {
                if (owner != session) {
                    return;
                }
                PendingRequest request = owner.pending.remove(id);
                if (request == null) {
                    return;
                }
                request.timeout = null;
                if (request.command instanceof Command.CallInvite) {
                    owner.abandonedInvites.add(id);
                }
                log.log(Level.INFO, "{0} {1} timed out after {2,number,#} ms", request.command.type(), id,
                        config.requestTimeout().toMillis());
                request.handler.failed(DialtoneException.timeout(request.command.type(), config.requestTimeout()));
            }
        } finally {
            events.flush();
        }
    }

    private Answer<Void> simple(ClientFuture<Void> future) {
        return new Answer<>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
                complete(future, null);
            }
        };
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

    // ---- heartbeat and acks ----------------------------------------------------------------------

    private void startHeartbeat() {
        SessionState owner = session;
        long interval = owner.heartbeatMs();
        if (interval > 0) {
            heartbeatTimer = scheduler.schedule(() -> heartbeat(owner), interval);
        }
    }

    /** Every heartbeat interval: give up on a silent server (2 intervals), otherwise ping. */
    private void heartbeat(SessionState owner) {
        Connection silent = null;
        long silentMs = 0;
        try {
            synchronized (lock) {
                if (owner != session || state != ConnectionState.CONNECTED) {
                    return;
                }
                long interval = owner.heartbeatMs();
                silentMs = (nanoClock.getAsLong() - lastFrameNanos) / 1_000_000;
                if (silentMs >= 2 * interval) {
                    silent = connection;
                } else {
                    send(new Command.Ping(newId()), logOnly(), false, null);
                    heartbeatTimer = scheduler.schedule(() -> heartbeat(owner), interval);
                }
            }
        } finally {
            events.flush();
        }
        if (silent != null) {
            log.log(Level.WARNING, "no frame from {0} for {1,number,#} ms; the connection is lost", config.uri(), silentMs);
            connectionLost(silent, ABNORMAL_CLOSURE, "no frame from the server for " + silentMs + " ms", true);
        }
    }

    /** After each event: acknowledge now when a batch is full, otherwise within {@link #ACK_DELAY_MS}. */
    private void ackProgress() {
        if (session.unacked() >= ACK_BATCH) {
            sendAck();
        } else if (ackTimer == null) {
            SessionState owner = session;
            ackTimer = scheduler.schedule(() -> ackDue(owner), ACK_DELAY_MS);
        }
    }

    private void ackDue(SessionState owner) {
        synchronized (lock) {
            if (owner != session) {
                return;
            }
            ackTimer = null;
            if (connection != null && connection.link != null) {
                sendAck();
            }
        }
    }

    private void sendAck() {
        if (ackTimer != null) {
            ackTimer.cancel();
            ackTimer = null;
        }
        long seq = session.ackAll();
        if (seq > 0) {
            connection.link.send(codec.encodeCommand(new Command.Ack(seq)));
        }
    }

    private void cancelTimers() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
        if (ackTimer != null) {
            ackTimer.cancel();
            ackTimer = null;
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Under the lock: records the state and queues the callback. */
    private void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            events.add(() -> listener.onConnectionStateChanged(next));
        }
    }

    private <T> void complete(ClientFuture<T> future, T value) {
        events.add(() -> future.complete(value));
    }

    private void fail(CompletableFuture<?> future, DialtoneException error) {
        events.add(() -> future.completeExceptionally(error));
    }

    private <T> ClientFuture<T> failedFuture(DialtoneException error) {
        ClientFuture<T> future = new ClientFuture<>(events);
        fail(future, error);
        return future;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable error) {
        Throwable cause = unwrap(error);
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A WebSocket close reason: at most 123 bytes of UTF-8. */
    private static String closeReason(String reason) {
        String text = reason == null ? "" : reason;
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 123) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** Frames quoted in log lines. */
    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
