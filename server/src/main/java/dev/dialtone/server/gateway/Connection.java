package dev.dialtone.server.gateway;

import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.session.Session;
import dev.dialtone.server.session.SessionRegistry;
import dev.dialtone.server.util.LogThrottle;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket: frame limits, the sign-in handshake ({@code auth} or {@code resume} first, within
 * the deadline), then hands commands to the {@link CommandDispatcher}. Implements the session's
 * outlet, so a session writes to whichever connection it is attached to.
 *
 * <p>Threading: frame and close handlers run on the socket's event loop; {@link #send} and
 * {@link #close} may be called from any thread (Vert.x queues the write on the event loop).
 */
final class Connection implements Session.Outlet {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Most frames kept while an auth is being completed; a client that floods it gets bad_request. */
    private static final int MAX_HELD_FRAMES = 64;
    /** A records outage would otherwise log a line per sign-in. */
    private static final LogThrottle MISSED_CALLS_LOG = new LogThrottle(Duration.ofSeconds(10));

    private final ServerWebSocket socket;
    private final Gateway gateway;
    private final FrameLimits limits;
    private volatile Session session;
    private volatile long lastSeen;
    private long firstFrameTimer;
    /**
     * Frames that arrived while an {@code auth} waited for the user's missed-call count; handled in
     * order once the session is open. Touched only on the socket's event loop.
     */
    private List<String> heldFrames;

    Connection(ServerWebSocket socket, Gateway gateway) {
        this.socket = socket;
        this.gateway = gateway;
        ServerLimits config = gateway.limits();
        this.limits = new FrameLimits(config.maxFrameBytes(), config.maxBadFrames(), config.commandsPerSecond());
        this.lastSeen = gateway.now();
    }

    void start() {
        socket.textMessageHandler(this::onText);
        socket.binaryMessageHandler(buffer -> rejectFrame(null, "binary frames are not supported; send JSON text"));
        socket.pongHandler(buffer -> lastSeen = gateway.now());
        socket.exceptionHandler(e -> log.debug("socket error: {}", e.toString()));
        socket.closeHandler(v -> onClose());
        firstFrameTimer = gateway.vertx().setTimer(gateway.limits().firstFrameTimeoutMs(), id -> {
            if (session == null) {
                close(CloseCodes.UNAUTHORIZED, "no auth or resume within the first-frame deadline");
            }
        });
    }

    long lastSeen() {
        return lastSeen;
    }

    boolean signedIn() {
        return session != null;
    }

    @Override
    public void send(String frame) {
        socket.writeTextMessage(frame);
    }

    @Override
    public void close(int code, String reason) {
        if (!socket.isClosed()) {
            socket.close((short) code, reason);
        }
    }

    private void onText(String text) {
        lastSeen = gateway.now();
        if (heldFrames != null) {
            if (heldFrames.size() >= MAX_HELD_FRAMES) {
                rejectFrame(null, "too many frames sent before the auth reply; wait for it");
            } else {
                heldFrames.add(text);
            }
            return;
        }
        handleText(text);
    }

    private void handleText(String text) {
        long received = System.nanoTime();
        if (!limits.fits(text)) {
            rejectFrame(null, "frame is larger than " + limits.maxFrameBytes() + " bytes");
            return;
        }
        Command command;
        try {
            command = gateway.codec().decodeCommand(text);
        } catch (ProtocolException e) {
            rejectFrame(e.re(), e.getMessage());
            return;
        }
        limits.goodFrame();
        // Acks are bookkeeping the client owes the server; they never count against the rate.
        switch (command instanceof Command.Ack ? 0 : limits.admit(gateway.now())) {
            case 1 -> {
                sendReply(Reply.error(command.id(), ErrorCode.RATE_LIMITED, "too many commands; slow down"));
                return;
            }
            case 2 -> {
                close(CloseCodes.RATE_LIMITED, "rate limit exceeded");
                return;
            }
            default -> {
            }
        }
        Session current = session;
        if (current != null) {
            gateway.dispatcher().handle(current, this, command, received);
        } else {
            signIn(command, received);
        }
    }

    private void signIn(Command command, long received) {
        if (gateway.shuttingDown()) {
            close(CloseCodes.GOING_AWAY, "server shutting down");
            return;
        }
        switch (command) {
            case Command.Auth auth -> authenticate(auth, received);
            case Command.Resume resume -> resume(resume, received);
            case Command.Ack ack -> {
                // No reply for ack; nothing to acknowledge before sign-in.
            }
            default -> sendReply(Reply.error(command.id(), ErrorCode.UNAUTHORIZED, "sign in with auth or resume first"));
        }
    }

    private void authenticate(Command.Auth auth, long received) {
        TokenService.Principal principal;
        try {
            principal = gateway.tokens().verify(auth.token());
        } catch (TokenService.InvalidTokenException e) {
            sendReply(Reply.error(auth.id(), ErrorCode.UNAUTHORIZED, e.getMessage()));
            close(CloseCodes.UNAUTHORIZED, e.getMessage());
            return;
        }
        gateway.vertx().cancelTimer(firstFrameTimer);
        // The auth reply carries the user's missed-call count, read from the call records; frames
        // that come meanwhile wait, so that nothing overtakes the sign-in.
        heldFrames = new ArrayList<>();
        Context context = gateway.vertx().getOrCreateContext();
        gateway.missedCalls(principal.user()).whenComplete((missed, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                MISSED_CALLS_LOG.warn(log, "signing in without missed-call counts: {}", failure.toString());
            }
            open(auth, principal, failure == null ? missed : null, received);
        }));
    }

    private void open(Command.Auth auth, TokenService.Principal principal, Integer missedCalls, long received) {
        if (gateway.shuttingDown()) {
            // The server began to stop while the count was read: no new session now.
            close(CloseCodes.GOING_AWAY, "server shutting down");
            return;
        }
        String user = principal.user();
        String device = auth.device() != null ? auth.device() : "device-" + UUID.randomUUID();
        ServerLimits config = gateway.limits();
        SessionRegistry sessions = gateway.sessions();
        // The heartbeat counts from here: the time spent reading the missed-call count is the
        // server's, not the client's silence (set before the session, which the sweep checks first).
        lastSeen = gateway.now();
        session = sessions.open(user, device, principal.rooms(), this, opened -> gateway.codec().encodeReply(Reply.ok(auth.id(),
                new Result.Auth(opened.id(), opened.resumeToken(), user, device, config.resumeWindowMs(),
                        config.heartbeatMs(), missedCalls, gateway.iceServers(user)))));
        if (socket.isClosed()) {
            // The socket died while signing in: treat it like any other lost socket.
            sessions.detach(session, this);
        }
        gateway.metrics().commandHandled("auth", System.nanoTime() - received);
        List<String> held = heldFrames;
        heldFrames = null;
        held.forEach(this::handleText);
    }

    private void resume(Command.Resume resume, long received) {
        // The reply carries fresh TURN credentials for the session's user. It is only built when the
        // resume succeeds, which an unknown session (target null) never does.
        Session target = gateway.sessions().find(resume.session());
        String user = target == null ? null : target.user();
        SessionRegistry.Resumed resumed = gateway.sessions().resume(resume.session(), resume.resumeToken(),
                resume.lastSeq(), this, (token, replayed) -> gateway.codec().encodeReply(Reply.ok(resume.id(),
                        new Result.Resume(resume.session(), token, replayed,
                                user == null ? null : gateway.iceServers(user)))));
        if (resumed.session() == null) {
            sendReply(new Reply.Error(resume.id(), ErrorCode.RESUME_FAILED,
                    "cannot resume session " + resume.session() + ": " + resumed.failure().wire(),
                    resumed.failure(), null));
            return;
        }
        gateway.vertx().cancelTimer(firstFrameTimer);
        session = resumed.session();
        if (socket.isClosed()) {
            gateway.sessions().detach(session, this);
        }
        gateway.metrics().commandHandled("resume", System.nanoTime() - received);
    }

    /** Answers a malformed frame with bad_request; too many in a row close the connection (4400). */
    void rejectFrame(String re, String message) {
        gateway.metrics().badFrame();
        sendReply(Reply.error(re, ErrorCode.BAD_REQUEST, message));
        if (limits.badFrame()) {
            close(CloseCodes.TOO_MANY_BAD_FRAMES, "too many malformed frames");
        }
    }

    /** A reply outside the de-duplicated command path; goes through the session, if any, to keep order. */
    private void sendReply(Reply reply) {
        String frame = gateway.codec().encodeReply(reply);
        Session current = session;
        if (current != null) {
            current.sendRaw(frame);
        } else {
            send(frame);
        }
    }

    private void onClose() {
        gateway.vertx().cancelTimer(firstFrameTimer);
        gateway.forget(this);
        Session current = session;
        if (current != null) {
            gateway.sessions().detach(current, this);
        }
    }
}
