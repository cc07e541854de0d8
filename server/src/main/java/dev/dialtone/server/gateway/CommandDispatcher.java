package dev.dialtone.server.gateway;

import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.calls.CallHistory;
import dev.dialtone.server.calls.CallService;
import dev.dialtone.server.calls.Replier;
import dev.dialtone.server.hooks.PreCallHook;
import dev.dialtone.server.metrics.Metrics;
import dev.dialtone.server.rooms.RoomService;
import dev.dialtone.server.session.Session;
import dev.dialtone.server.session.SessionRegistry;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the commands of a signed-in session: de-duplication by id first, then one branch per
 * command type. Every command is answered exactly once, through the session, so the reply is
 * cached for a re-send and ordered with the session's events.
 */
final class CommandDispatcher {
    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    private final SessionRegistry sessions;
    private final CallService calls;
    private final RoomService rooms;
    private final CallHistory history;
    private final HookGate hookGate;
    private final Metrics metrics;
    private final WireCodec codec = WireCodec.get();

    CommandDispatcher(SessionRegistry sessions, CallService calls, RoomService rooms, CallHistory history,
                      PreCallHook hook, Metrics metrics) {
        this.sessions = sessions;
        this.calls = calls;
        this.rooms = rooms;
        this.history = history;
        this.hookGate = new HookGate(hook);
        this.metrics = metrics;
    }

    void handle(Session session, Connection connection, Command command, long receivedNanos) {
        session.tokenConfirmed();
        if (command instanceof Command.Ack ack) {
            session.ack(ack.seq());
            return;
        }
        if (command instanceof Command.Ping ping) {
            // Not cached for de-duplication: a ping changes nothing, and must not push out the
            // replies of commands a client may have to re-send.
            session.sendRaw(codec.encodeReply(Reply.ok(ping.id())));
            metrics.commandHandled("ping", System.nanoTime() - receivedNanos);
            return;
        }
        String previous = session.begin(command.id());
        if (previous != null) {
            // A re-sent command: answer with the original reply, or let the pending one answer it.
            if (!previous.isEmpty()) {
                session.sendRaw(previous);
            }
            return;
        }
        String type = command.type();
        Replier replier = Replier.once(reply -> {
            session.reply(command.id(), reply);
            metrics.commandHandled(type, System.nanoTime() - receivedNanos);
        });
        if (hookGate.decides(command)) {
            hookGate.check(session, command, replier, () -> routeSafely(session, command, replier));
        } else {
            routeSafely(session, command, replier);
        }
    }

    private void routeSafely(Session session, Command command, Replier replier) {
        try {
            route(session, command, replier);
        } catch (RuntimeException e) {
            log.error("{} failed", command.type(), e);
            replier.reply(Replier.internal(command.id(), command.type()));
        }
    }

    private void route(Session session, Command command, Replier replier) {
        switch (command) {
            case Command.Ping ping -> throw new AssertionError("handled above");
            case Command.CallsList list ->
                    replier.reply(Reply.ok(list.id(), new Result.CallsList(calls.snapshotsFor(session.user()))));
            case Command.CallsHistory page -> history(session, page, replier);
            case Command.Logout logout -> {
                replier.reply(Reply.ok(logout.id()));
                sessions.end(session, false, 1000, "logged out");
            }
            case Command.CallInvite invite -> calls.invite(session, invite, replier);
            case Command.OnCall onCall -> calls.act(session, onCall, replier);
            case Command.RoomJoin join -> rooms.join(session, join, replier);
            case Command.RoomLeave leave -> rooms.leave(session, leave, replier);
            case Command.Auth auth -> replier.reply(Reply.error(auth.id(), ErrorCode.INVALID_STATE,
                    "this connection is already signed in as " + session.user()));
            case Command.Resume resume -> replier.reply(Reply.error(resume.id(), ErrorCode.INVALID_STATE,
                    "this connection is already signed in; open a new connection to resume"));
            case Command.Ack ack -> throw new AssertionError("handled above");
        }
    }

    private void history(Session session, Command.CallsHistory page, Replier replier) {
        history.history(session.user(), page.limit(), page.before()).whenComplete((result, failure) -> {
            if (failure == null) {
                replier.reply(Reply.ok(page.id(), result));
            } else if (unwrap(failure) instanceof IllegalArgumentException) {
                replier.reply(Reply.error(page.id(), ErrorCode.BAD_REQUEST,
                        "before is not a cursor from a previous calls.history page"));
            } else {
                log.warn("calls.history for {} failed: {}", session.user(), failure.toString());
                replier.reply(Reply.error(page.id(), ErrorCode.UNAVAILABLE,
                        "call history is unavailable right now; try again shortly"));
            }
        });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
