package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.Result;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Group calls as this client sees them: participants who come and go without ending the call, this
 * device's own leave, {@code call.join} and {@code call.invite_more}. The test plays the server; the
 * signed-in user is alice.
 */
class GroupCallTest {
    private static final long EXPIRES = 1_767_225_600_000L;

    private static Event.CallIncoming incoming(String callId, String from, List<String> invitees) {
        return new Event.CallIncoming(callId, from, Media.VIDEO, null, invitees, EXPIRES, null);
    }

    /** alice accepted bob's group call to alice and carol; the call is active with bob and alice. */
    private static Call inBobsGroupCall(Harness h) {
        h.connected();
        h.event(incoming("c-1", "bob", List.of("alice", "carol")));
        Call call = h.recorder.incoming.get(0);
        call.accept();
        h.ok(h.idOf(Command.CallAccept.class), new Result.Accept("c-1", "r-1"));
        h.event(new Event.CallStarted("c-1", "r-1", List.of("bob", "alice")));
        return call;
    }

    private static DialtoneException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return DialtoneException.of(e);
        }
        throw new AssertionError("not failed");
    }

    @Test
    void theCallersGroupCallStaysActiveAsParticipantsComeAndGo() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob", "carol", "dave"));
        assertThat(h.link().last(Command.CallInvite.class).to()).containsExactly("bob", "carol", "dave");
        h.ok(h.idOf(Command.CallInvite.class), new Result.Invite("c-1", null, null));
        Call call = invite.join();

        h.event(new Event.CallRinging("c-1", "bob"));
        h.event(new Event.CallRinging("c-1", "carol"));
        h.event(new Event.CallDeclined("c-1", "dave", DeclineReason.BUSY, null));
        h.event(new Event.CallAccepted("c-1", "bob", null));
        h.event(new Event.CallStarted("c-1", "r-1", List.of("alice", "bob")));
        h.event(new Event.CallAccepted("c-1", "carol", null));
        h.event(new Event.CallParticipantJoined("c-1", "carol"));
        assertThat(call.participants()).containsExactly("alice", "bob", "carol");

        h.event(new Event.CallHoldChanged("c-1", "bob", true));
        h.event(new Event.CallParticipantReconnecting("c-1", "bob"));
        h.event(new Event.CallParticipantLeft("c-1", "bob", LeaveReason.CONNECTION_LOST));
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
        assertThat(call.participants()).containsExactly("alice", "carol");
        assertThat(call.heldBy()).isEmpty();               // a participant who left holds nothing
        assertThat(call.isReconnecting("bob")).isFalse();
        assertThat(h.core.calls()).containsExactly(call);

        h.event(new Event.CallParticipantLeft("c-1", "carol", LeaveReason.HANGUP));
        assertThat(call.state()).isEqualTo(CallState.ACTIVE); // only the server's call.ended ends it
        h.event(new Event.CallEnded("c-1", EndReason.HANGUP, "carol", 42_000));

        assertThat(h.recorder.callLines()).containsExactly(
                "ringing c-1 [ringing] bob",
                "ringing c-1 [ringing] carol",
                "declined c-1 [ringing] dave busy",
                "accepted c-1 [ringing] bob",
                "started c-1 [active r-1] [alice, bob]",
                "accepted c-1 [active r-1] carol",
                "participant joined c-1 [active r-1] carol [alice, bob, carol]",
                "hold c-1 [active r-1] bob true",
                "reconnecting c-1 [active r-1] bob",
                "participant left c-1 [active r-1] bob connection_lost [alice, carol]",
                "participant left c-1 [active r-1] carol hangup [alice]",
                "ended c-1 [ended r-1] hangup by carol 42000ms");
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void leavingAGroupCallEndsItForThisDeviceOnly() {
        Harness h = new Harness();
        Call call = inBobsGroupCall(h);
        h.event(new Event.CallAccepted("c-1", "carol", null));
        h.event(new Event.CallParticipantJoined("c-1", "carol"));

        CompletableFuture<Void> leave = call.hangup();
        h.ok(h.idOf(Command.CallHangup.class));
        assertThat(leave).isCompleted();
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);    // until this device's own call.ended
        h.event(new Event.CallEnded("c-1", EndReason.HANGUP, "alice", 9_000));

        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-1 [ringing] from bob",
                "started c-1 [active r-1] [bob, alice]",
                "accepted c-1 [active r-1] carol",
                "participant joined c-1 [active r-1] carol [bob, alice, carol]",
                "ended c-1 [ended r-1] hangup by alice 9000ms");
        assertThat(call.endReason()).isEqualTo(EndReason.HANGUP);
        assertThat(h.core.calls()).isEmpty();
        // What the others do afterwards is not this device's business any more.
        h.event(new Event.CallParticipantLeft("c-1", "carol", LeaveReason.HANGUP));
        assertThat(h.recorder.callLines()).hasSize(5);
    }

    @Test
    void joinCallAfterLeavingGivesANewActiveCallWithTheSameFacts() {
        Harness h = new Harness();
        Call before = inBobsGroupCall(h);
        before.hangup();
        h.ok(h.idOf(Command.CallHangup.class));
        h.event(new Event.CallEnded("c-1", EndReason.HANGUP, "alice", 9_000));
        h.recorder.lines.clear();

        CompletableFuture<Call> join = h.core.joinCall("c-1");
        join.thenAccept(call -> h.recorder.record("join done " + call.id() + " [" + call.state().wire() + " "
                + call.roomId() + "] " + call.participants()));
        Command.CallJoin sent = h.link().last(Command.CallJoin.class);
        assertThat(sent.callId()).isEqualTo("c-1");
        assertThat(join).isNotDone();
        h.ok(sent.id(), new Result.Accept("c-1", "r-1"));
        Call call = join.join();
        assertThat(call).isNotSameAs(before);
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
        assertThat(call.roomId()).isEqualTo("r-1");
        assertThat(call.direction()).isEqualTo(CallDirection.INCOMING);
        assertThat(call.caller()).isEqualTo("bob");
        assertThat(call.invitees()).containsExactly("alice", "carol");
        assertThat(call.media()).isEqualTo(Media.VIDEO);
        assertThat(h.core.calls()).containsExactly(call);
        assertThat(before.state()).isEqualTo(CallState.ENDED);

        h.event(new Event.CallStarted("c-1", "r-1", List.of("bob", "carol", "alice")));
        h.event(new Event.CallParticipantLeft("c-1", "bob", LeaveReason.HANGUP));
        assertThat(call.participants()).containsExactly("carol", "alice");
        assertThat(h.recorder.callLines()).containsExactly(
                "join done c-1 [active r-1] []",
                "started c-1 [active r-1] [bob, carol, alice]",
                "participant left c-1 [active r-1] bob hangup [carol, alice]");
    }

    @Test
    void joinCallOnACallRingingHereAcceptsItAndKeepsTheObject() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-1", "bob", List.of("alice", "carol")));
        Call ringing = h.recorder.incoming.get(0);
        CompletableFuture<Call> join = h.core.joinCall("c-1");
        h.ok(h.idOf(Command.CallJoin.class), new Result.Accept("c-1", "r-1"));
        assertThat(join.join()).isSameAs(ringing);
        assertThat(ringing.state()).isEqualTo(CallState.ACTIVE);
        h.event(new Event.CallStarted("c-1", "r-1", List.of("bob", "carol", "alice")));
        assertThat(ringing.participants()).containsExactly("bob", "carol", "alice");
        assertThat(h.core.calls()).containsExactly(ringing);
    }

    @Test
    void joinCallOnACallThisClientNeverSawHasUnknownFacts() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> join = h.core.joinCall("c-9");
        h.ok(h.idOf(Command.CallJoin.class), new Result.Accept("c-9", "r-9"));
        Call call = join.join();
        assertThat(call.id()).isEqualTo("c-9");
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
        assertThat(call.caller()).isNull();
        assertThat(call.media()).isNull();
        assertThat(call.invitees()).isEmpty();
        assertThat(call.toString()).contains("c-9");
        h.event(new Event.CallStarted("c-9", "r-9", List.of("bob", "alice")));
        h.event(new Event.CallEnded("c-9", EndReason.HANGUP, "bob", 1_000));
        assertThat(h.recorder.callLines()).containsExactly(
                "started c-9 [active r-9] [bob, alice]",
                "ended c-9 [ended r-9] hangup by bob 1000ms");
    }

    @Test
    void aRefusedJoinFailsWithTheServersCode() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> join = h.core.joinCall("c-1");
        h.error(h.idOf(Command.CallJoin.class), ErrorCode.INVALID_STATE, "only an active call can be joined");
        DialtoneException e = failure(join);
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(e.command()).isEqualTo("call.join");
        assertThat(h.core.calls()).isEmpty();
        assertThatThrownBy(() -> h.core.joinCall("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventsReplayedBeforeTheJoinReplyWaitForIt() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> join = h.core.joinCall("c-5");
        join.thenAccept(call -> h.recorder.record("join done " + call.id()));
        String joinId = h.idOf(Command.CallJoin.class);
        h.lose();
        h.resumed("r-2", 2);
        // The server joined before the loss: its events are replayed before the re-sent join's reply.
        h.event(1, new Event.CallStarted("c-5", "r-5", List.of("bob", "alice")));
        h.event(2, new Event.CallParticipantJoined("c-5", "carol"));
        assertThat(h.link().last(Command.CallJoin.class).id()).isEqualTo(joinId);
        h.ok(joinId, new Result.Accept("c-5", "r-5"));
        assertThat(h.recorder.callLines()).containsExactly(
                "join done c-5",
                "started c-5 [active r-5] [bob, alice]",
                "participant joined c-5 [active r-5] carol [bob, alice, carol]");
    }

    @Test
    void inviteMoreRingsMoreUsersAndTheInviterHearsWhatBecomesOfThem() {
        Harness h = new Harness();
        Call call = inBobsGroupCall(h);
        h.recorder.lines.clear();

        CompletableFuture<Void> more = call.inviteMore("dave", "erin");
        Command.CallInviteMore sent = h.link().last(Command.CallInviteMore.class);
        assertThat(sent.callId()).isEqualTo("c-1");
        assertThat(sent.to()).containsExactly("dave", "erin");
        h.ok(sent.id());
        assertThat(more).isCompleted();

        h.event(new Event.CallRinging("c-1", "dave"));
        h.event(new Event.CallDeclined("c-1", "erin", DeclineReason.OFFLINE, null));
        h.event(new Event.CallAccepted("c-1", "dave", null));
        h.event(new Event.CallParticipantJoined("c-1", "dave"));
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
        assertThat(h.recorder.callLines()).containsExactly(
                "ringing c-1 [active r-1] dave",
                "declined c-1 [active r-1] erin offline",
                "accepted c-1 [active r-1] dave",
                "participant joined c-1 [active r-1] dave [bob, alice, dave]");
    }

    @Test
    void aRefusedInviteMoreFailsWithTheServersCode() {
        Harness h = new Harness();
        Call call = inBobsGroupCall(h);
        CompletableFuture<Void> more = call.inviteMore("carol");
        h.error(h.idOf(Command.CallInviteMore.class), ErrorCode.INVALID_STATE, "everyone named is already in it");
        assertThat(failure(more).code()).isEqualTo(ErrorCode.INVALID_STATE);
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
    }

    @Test
    void inviteMoreValidatesTheUsersBeforeSendingAnything() {
        Harness h = new Harness();
        Call call = inBobsGroupCall(h);
        int sent = h.link().sent.size();
        assertThatThrownBy(call::inviteMore).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> call.inviteMore("dave", "dave")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> call.inviteMore("dave", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> call.inviteMore("dave", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> call.inviteMore((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThat(h.link().sent).hasSize(sent);
    }

    @Test
    void aLostSessionEndsAGroupCallLikeAnyOther() {
        Harness h = new Harness();
        Call call = inBobsGroupCall(h);
        h.scheduler.advance(2_000);
        h.lose();
        h.resumeFailed(dev.dialtone.protocol.ResumeFailure.UNKNOWN);
        assertThat(call.endReason()).isEqualTo(EndReason.CONNECTION_LOST);
        assertThat(h.core.connectionState()).isEqualTo(dev.dialtone.client.ConnectionState.DISCONNECTED);
        assertThat(h.transport.links).hasSize(2);   // no rooms: no new sign-in
    }
}
