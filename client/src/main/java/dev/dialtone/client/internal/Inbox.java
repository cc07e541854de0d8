package dev.dialtone.client.internal;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * The frames of a signed-in session: a reply goes to its pending request (by {@code re}); an event
 * goes through the seq check — a seq already processed is dropped, so nothing is delivered twice
 * or out of order, also when a resume replays — is acknowledged (batched) and routed to its call
 * or its room.
 *
 * <p>Not thread-safe: called under ClientCore's lock.
 */
final class Inbox {
    private static final System.Logger log = System.getLogger(Inbox.class.getName());

    private final CallRouter router;
    private final RoomRouter rooms;
    private final AckBatcher acks;
    /** Hangs up a call (by id) whose invite timed out but was placed after all. */
    private final Consumer<String> hangUpLateCall;
    private final WireCodec codec = WireCodec.get();

    Inbox(CallRouter router, RoomRouter rooms, AckBatcher acks, Consumer<String> hangUpLateCall) {
        this.router = router;
        this.rooms = rooms;
        this.acks = acks;
        this.hangUpLateCall = hangUpLateCall;
    }

    void ok(SessionState session, ServerFrame.OkFrame ok) {
        PendingRequest request = session.requests.take(ok.re());
        if (request == null) {
            lateReply(session, ok);
            return;
        }
        try {
            request.handler.ok(ok);
        } catch (ProtocolException | RuntimeException e) {
            log.log(Level.WARNING, "cannot read the reply to " + request.command.type(), e);
            request.handler.failed(DialtoneException.protocol(request.command.type(), e.getMessage()));
        }
    }

    void error(SessionState session, ServerFrame.ErrorFrame error) {
        PendingRequest request = session.requests.take(error.re());
        if (request == null) {
            if (session.requests.abandonedInvite(error.re())) {
                return;
            }
            log.log(error.re() == null ? Level.WARNING : Level.DEBUG, "error reply to {0}: {1} {2}", error.re(),
                    error.code() == null ? "?" : error.code().wire(), error.message());
            return;
        }
        request.handler.failed(DialtoneException.rejected(request.command.type(), error.code(), error.message(),
                error.reason(), error.hookCode()));
    }

    /** A reply whose request is gone: it timed out. A timed-out invite that was placed after all is hung up. */
    private void lateReply(SessionState session, ServerFrame.OkFrame ok) {
        if (session.requests.abandonedInvite(ok.re())) {
            try {
                Result.Invite invite = codec.result(ok, Result.Invite.class);
                if (!Boolean.TRUE.equals(invite.merged()) && invite.callId() != null) {
                    log.log(Level.INFO, "call {0} was placed after its invite timed out; hanging it up",
                            invite.callId());
                    hangUpLateCall.accept(invite.callId());
                }
            } catch (ProtocolException e) {
                log.log(Level.DEBUG, "unreadable late invite reply: {0}", e.getMessage());
            }
            return;
        }
        log.log(Level.DEBUG, "reply to unknown or timed-out request {0}", ok.re());
    }

    void event(SessionState session, ServerFrame.EventFrame frame) {
        if (!session.isOpen()) {
            log.log(Level.DEBUG, "ignoring event {0} before sign-in", frame.type());
            return;
        }
        long expected = session.lastSeq() + 1;
        if (!session.advance(frame.seq())) {
            log.log(Level.DEBUG, "dropping duplicate event {0} (seq {1,number,#}, last {2,number,#})", frame.type(),
                    frame.seq(), session.lastSeq());
            return;
        }
        if (frame.seq() != expected) {
            log.log(Level.INFO, "event seq jumped from {0,number,#} to {1,number,#}", expected - 1, frame.seq());
        }
        acks.processed(session);
        if (frame.event() == null) {
            log.log(Level.DEBUG, "skipping event of unknown type {0} (seq {1,number,#})", frame.type(), frame.seq());
            return;
        }
        if (frame.event() instanceof Event.RoomEvent) {
            rooms.route(frame, session);
        } else {
            router.route(frame, session);
        }
    }
}
