package dev.dialtone.client.internal;

import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.IceServer;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Everything about one server session that must survive a dropped connection so that it can be
 * resumed: the session id and resume token (rotated by each resume), the last event seq processed
 * (what {@code resume} sends as {@code lastSeq}), the last seq acknowledged, and the commands not
 * answered yet ({@link #requests}: re-sent after a resume; the server answers a re-sent id with its
 * original reply). A new {@code auth} starts a new SessionState; a resume keeps it.
 *
 * <p>Not thread-safe: guarded by ClientCore's lock.
 */
final class SessionState {
    /** Most events kept for calls the client does not know yet (see {@link #holdEarly}). */
    static final int MAX_EARLY_EVENTS = 256;

    private String sessionId;
    private String resumeToken;
    private String user;
    private String device;
    private long resumeWindowMs;
    private long heartbeatMs;

    private long lastSeq;
    private long ackedSeq;

    /** Unanswered (and, while resuming, unsent) commands, in sending order. */
    final PendingRequests requests;
    /**
     * Events about a call id the client does not know yet, received while a {@code call.invite} or
     * {@code call.join} is unanswered: after a resume the replayed events of a new call can precede
     * the reply to its re-sent invite (or join). Replayed when the reply names the call, dropped
     * otherwise.
     */
    private final Map<String, List<ServerFrame.EventFrame>> early = new LinkedHashMap<>();
    private int earlyCount;

    private Integer missedCalls;
    /** From the auth result, then from each resume result: those carry fresh TURN credentials. */
    private List<IceServer> iceServers = List.of();

    SessionState(PendingRequests requests) {
        this.requests = requests;
    }

    /** Records the {@code auth} result: the session is open. */
    void opened(Result.Auth auth) {
        sessionId = auth.session();
        resumeToken = auth.resumeToken();
        user = auth.user();
        device = auth.device();
        resumeWindowMs = auth.resumeWindowMs();
        heartbeatMs = auth.heartbeatMs();
        missedCalls = auth.missedCalls();
        iceServers = auth.iceServers() == null ? List.of() : auth.iceServers();
    }

    /**
     * Records a {@code resume} result: the rotated token is the one for the next resume, and
     * everything up to {@link #lastSeq()} counts as acknowledged (a resume acknowledges it).
     * Returns the previous token.
     */
    String resumed(Result.Resume resume) {
        String previous = resumeToken;
        resumeToken = resume.resumeToken();
        if (resume.iceServers() != null) {
            // A resume result without the field (a server that predates it) keeps the auth's list.
            iceServers = resume.iceServers();
        }
        ackedSeq = Math.max(ackedSeq, lastSeq);
        return previous;
    }

    boolean isOpen() {
        return sessionId != null;
    }

    String sessionId() {
        return sessionId;
    }

    String resumeToken() {
        return resumeToken;
    }

    String user() {
        return user;
    }

    long heartbeatMs() {
        return heartbeatMs;
    }

    /** How long the server keeps the session after its connection drops. */
    long resumeWindowMs() {
        return resumeWindowMs;
    }

    SessionInfo info() {
        return new SessionInfo(sessionId, user, device, Duration.ofMillis(resumeWindowMs),
                Duration.ofMillis(heartbeatMs), missedCalls == null ? OptionalInt.empty() : OptionalInt.of(missedCalls),
                iceServers);
    }

    /** The last event seq processed. */
    long lastSeq() {
        return lastSeq;
    }

    /**
     * Takes an event's seq: false for a seq already processed (a duplicate, never delivered
     * twice); otherwise it becomes {@link #lastSeq()}.
     */
    boolean advance(long seq) {
        if (seq <= lastSeq) {
            return false;
        }
        lastSeq = seq;
        return true;
    }

    /** How many processed events have not been acknowledged. */
    long unacked() {
        return lastSeq - ackedSeq;
    }

    /** The last seq acknowledged to the server. */
    long ackedSeq() {
        return ackedSeq;
    }

    /** An {@code ack} for {@code seq} was sent. */
    void acked(long seq) {
        ackedSeq = Math.max(ackedSeq, seq);
    }

    /** Whether a {@code call.invite} or a {@code call.join} waits for its reply (it may name a call not known yet). */
    boolean awaitingCall() {
        return requests.contains(Command.CallInvite.class) || requests.contains(Command.CallJoin.class);
    }

    /** Keeps an event about an unknown call; false when the buffer is full (the event is dropped). */
    boolean holdEarly(ServerFrame.EventFrame frame) {
        if (earlyCount >= MAX_EARLY_EVENTS) {
            return false;
        }
        early.computeIfAbsent(((Event.CallEvent) frame.event()).callId(), id -> new ArrayList<>()).add(frame);
        earlyCount++;
        return true;
    }

    /** Removes and returns the events held for {@code callId}, in seq order. */
    List<ServerFrame.EventFrame> takeEarly(String callId) {
        List<ServerFrame.EventFrame> frames = early.remove(callId);
        if (frames == null) {
            return List.of();
        }
        earlyCount -= frames.size();
        return frames;
    }

    /** Drops held events once no invite or join can claim them any more. */
    void dropEarlyUnlessAwaitingCall() {
        if (!awaitingCall() && earlyCount > 0) {
            early.clear();
            earlyCount = 0;
        }
    }
}
