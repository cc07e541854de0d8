package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.client.Call;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.Result;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Requests get client ids, replies are matched by {@code re}, and every failure is a DialtoneException. */
class RequestTest {

    private static DialtoneException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(DialtoneException.class);
            return (DialtoneException) e.getCause();
        }
        throw new AssertionError("not failed");
    }

    @Test
    void repliesAreMatchedByReNotByOrder() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob"));
        String listId = h.idOf(Command.CallsList.class);
        String inviteId = h.idOf(Command.CallInvite.class);
        assertThat(listId).isNotEqualTo(inviteId);

        h.ok(inviteId, new Result.Invite("c-1", null, null));
        assertThat(invite).isCompleted();
        assertThat(list).isNotDone();
        CallSnapshot snapshot = new CallSnapshot("c-1", "alice", Media.AUDIO, CallState.RINGING, null, 1L,
                List.of(new CallSnapshot.Participant("alice", ParticipantState.JOINED, false, true),
                        new CallSnapshot.Participant("bob", ParticipantState.RINGING, false, true)));
        h.ok(listId, new Result.CallsList(List.of(snapshot)));
        assertThat(list.join()).containsExactly(snapshot);
    }

    @Test
    void commandIdsAreUniqueAndShort() {
        Harness h = new Harness();
        h.connected();
        for (int i = 0; i < 20; i++) {
            h.core.listCalls();
        }
        List<String> ids = h.link().commands().stream().map(Command::id).filter(id -> id != null).toList();
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id.length()).isLessThanOrEqualTo(64));
    }

    @Test
    void anErrorReplyFailsWithItsCodeAndHookCode() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob"));
        String id = h.idOf(Command.CallInvite.class);
        h.core.receive(Harness.decode(Harness.CODEC.encodeReply(
                new Reply.Error(id, ErrorCode.DENIED, "the business server said no", null, "vip-only"))));

        DialtoneException e = failure(invite);
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.REJECTED);
        assertThat(e.code()).isEqualTo(ErrorCode.DENIED);
        assertThat(e.hookCode()).isEqualTo("vip-only");
        assertThat(e.command()).isEqualTo("call.invite");
        assertThat(e.getMessage()).contains("denied", "the business server said no", "vip-only");
        assertThat(DialtoneException.of(new CompletionException(e))).isSameAs(e);
    }

    @Test
    void resumeFailuresCarryTheirReason() {
        DialtoneException e = DialtoneException.rejected("resume", ErrorCode.RESUME_FAILED, "window passed",
                ResumeFailure.EXPIRED, null);
        assertThat(e.resumeFailure()).isEqualTo(ResumeFailure.EXPIRED);
        assertThat(e.isTimeout()).isFalse();
    }

    @Test
    void aRequestWithoutReplyTimesOutAndTheLateReplyIsIgnored() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        String id = h.idOf(Command.CallsList.class);
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis() - 1);
        assertThat(list).isNotDone();
        h.scheduler.advance(1);

        DialtoneException e = failure(list);
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.TIMEOUT);
        assertThat(e.isTimeout()).isTrue();
        assertThat(e.code()).isNull();
        assertThat(e.getMessage()).isEqualTo("calls.list timed out: no reply from the server within 10000 ms");

        h.ok(id, new Result.CallsList(List.of()));
        assertThat(failure(list)).isSameAs(e);
    }

    @Test
    void anAnsweredRequestDoesNotTimeOut() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        h.ok(h.idOf(Command.CallsList.class), new Result.CallsList(List.of()));
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis() * 2);
        assertThat(list.join()).isEmpty();
    }

    @Test
    void requestsFailWhenNotConnected() {
        Harness h = new Harness();
        DialtoneException e = failure(h.core.invite(InviteOptions.to("bob")));
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(e.getMessage()).contains("not connected");
        assertThat(h.transport.links).isEmpty();
    }

    @Test
    void pendingRequestsFailWhenTheSessionEnds() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        h.link().listener.onClosed(4409, "replaced by a newer login of the same device");
        DialtoneException e = failure(list);
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(e.command()).isEqualTo("calls.list");
        assertThat(e.getMessage()).contains("4409 replaced by a newer login");
    }

    @Test
    void pendingRequestsWaitWhileTheSessionIsResumed() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        h.lose();
        assertThat(list).isNotDone();
        h.resumed("r-2", 0);
        h.ok(h.idOf(Command.CallsList.class), new Result.CallsList(List.of()));
        assertThat(list.join()).isEmpty();
    }

    @Test
    void invalidArgumentsThrowAtOnceAndSendNothing() {
        Harness h = new Harness();
        h.connected();
        h.event(new Event.CallIncoming("c-1", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        Call call = h.recorder.incoming.get(0);
        int sent = h.link().sent.size();
        assertThatThrownBy(() -> call.signal("bob", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> call.decline(dev.dialtone.protocol.DeclineReason.NO_ANSWER, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refused or busy");
        assertThatThrownBy(() -> call.accept(Harness.CODEC.mapper().createArrayNode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThat(h.link().sent).hasSize(sent);
    }

    @Test
    void waitingForAFutureInsideACallbackFailsFastInsteadOfDeadlocking() {
        Harness h = new Harness();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        h.recorder.onIncoming = call -> {
            try {
                call.accept().join();
            } catch (Throwable t) {
                thrown.set(t);
            }
        };
        h.connected();
        h.event(new Event.CallIncoming("c-1", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("deadlock");

        // Chained stages are checked too; a finished future can be read anywhere.
        AtomicReference<Throwable> chained = new AtomicReference<>();
        h.recorder.onIncoming = call -> {
            try {
                call.accept().thenApply(room -> room.length()).get();
            } catch (Throwable t) {
                chained.set(t);
            }
        };
        h.event(new Event.CallIncoming("c-2", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        assertThat(chained.get()).isInstanceOf(IllegalStateException.class);
    }
}
