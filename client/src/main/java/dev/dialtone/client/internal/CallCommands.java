package dev.dialtone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.HistoryPage;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The commands about calls: builds each one, sends it through the {@link Requester} and turns its
 * reply into the future's result and, through the {@link CallRouter}, into changes of the call.
 * {@link RealCall}'s command methods land here. Reply handlers run under ClientCore's lock.
 */
final class CallCommands {
    private final Requester requester;
    private final CallRouter router;
    private final WireCodec codec = WireCodec.get();

    CallCommands(Requester requester, CallRouter router) {
        this.requester = requester;
        this.router = router;
    }

    CompletableFuture<Call> invite(InviteOptions options) {
        Objects.requireNonNull(options, "options");
        Integer timeoutMs = options.timeout().map(timeout -> (int) timeout.toMillis()).orElse(null);
        return requester.request(id -> new Command.CallInvite(id, options.invitees(), options.media(),
                options.payload(), timeoutMs), (future, session) -> new Requester.Answer<Call>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        router.invited(options, codec.result(ok, Result.Invite.class), future, session);
                    }

                    @Override
                    public void failed(DialtoneException error) {
                        super.failed(error);
                        session.dropEarlyUnlessAwaitingCall();
                    }
                });
    }

    CompletableFuture<String> accept(RealCall call, JsonNode payload) {
        return requester.request(id -> new Command.CallAccept(id, call.id(), payload),
                (future, session) -> new Requester.Answer<String>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        router.accepted(call, codec.result(ok, Result.Accept.class).roomId(), future);
                    }
                });
    }

    CompletableFuture<Void> decline(RealCall call, DeclineReason reason, JsonNode payload) {
        return requester.request(id -> new Command.CallDecline(id, call.id(), reason, payload),
                (future, session) -> new Requester.Answer<Void>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) {
                        future.completeInOrder(null);
                        router.declinedHere(call, reason, session.user());
                    }
                });
    }

    CompletableFuture<Void> inviteMore(RealCall call, String... users) {
        Objects.requireNonNull(users, "users");
        List<String> to = Arrays.asList(users.clone()); // validated by the command: IllegalArgumentException
        return requester.request(id -> new Command.CallInviteMore(id, call.id(), to), CallCommands::simple);
    }

    /** {@code call.join}: completes with the call (the tracked one, or a new object), active. */
    CompletableFuture<Call> join(String callId) {
        return requester.request(id -> new Command.CallJoin(id, callId),
                (future, session) -> new Requester.Answer<Call>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        Result.Accept joined = codec.result(ok, Result.Accept.class);
                        router.joined(callId, joined.roomId(), future, session);
                    }

                    @Override
                    public void failed(DialtoneException error) {
                        super.failed(error);
                        session.dropEarlyUnlessAwaitingCall();
                    }
                });
    }

    CompletableFuture<Void> cancel(RealCall call) {
        return requester.request(id -> new Command.CallCancel(id, call.id()), CallCommands::simple);
    }

    CompletableFuture<Void> hangup(RealCall call) {
        return requester.request(id -> new Command.CallHangup(id, call.id()),
                (future, session) -> new Requester.Answer<Void>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) {
                        future.completeInOrder(null);
                        router.hungUpHere(call, session.user());
                    }
                });
    }

    CompletableFuture<Void> hold(RealCall call, boolean hold) {
        return requester.request(id -> hold ? new Command.CallHold(id, call.id()) : new Command.CallUnhold(id, call.id()),
                CallCommands::simple);
    }

    CompletableFuture<Void> signal(RealCall call, String to, JsonNode data) {
        return requester.request(id -> new Command.CallSignal(id, call.id(), to, data), CallCommands::simple);
    }

    CompletableFuture<List<CallSnapshot>> listCalls() {
        return requester.request(Command.CallsList::new,
                (future, session) -> new Requester.Answer<List<CallSnapshot>>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        List<CallSnapshot> snapshots = codec.result(ok, Result.CallsList.class).calls();
                        future.completeInOrder(snapshots == null ? List.of() : List.copyOf(snapshots));
                    }
                });
    }

    CompletableFuture<HistoryPage> history(int limit, String before) {
        return requester.request(id -> new Command.CallsHistory(id, limit, before),
                (future, session) -> new Requester.Answer<HistoryPage>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        Result.History history = codec.result(ok, Result.History.class);
                        future.completeInOrder(new HistoryPage(
                                history.calls() == null ? List.of() : history.calls(), history.next()));
                    }
                });
    }

    /** A handler for replies without fields: the future completes with null. */
    private static PendingRequest.Handler simple(ClientFuture<Void> future, SessionState session) {
        return new Requester.Answer<>(future) {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
                future.completeInOrder(null);
            }
        };
    }
}
