package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.Result;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The client-side call view and the callbacks, from scripted sequences of server frames. */
class CallViewTest {
    private static final long EXPIRES = 1_767_225_600_000L;

    private static ObjectNode json(String field, String value) {
        return Harness.CODEC.mapper().createObjectNode().put(field, value);
    }

    private static Event.CallIncoming incoming(String callId, String from) {
        return new Event.CallIncoming(callId, from, Media.VIDEO, json("topic", "support"), List.of("alice"), EXPIRES,
                null);
    }

    /** Places a call to bob and answers the invite with {@code callId}. */
    private static Call placed(Harness h, String callId) {
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob").media(Media.VIDEO));
        h.recorder.record("invite sent");
        h.ok(h.idOf(Command.CallInvite.class), new Result.Invite(callId, null, null));
        assertThat(invite).isCompleted();
        Call call = invite.join();
        h.recorder.record("invite done " + call.id() + " [" + call.state().wire() + "]");
        return call;
    }

    @Test
    void outgoingCallFromInviteToHangup() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob").media(Media.VIDEO)
                .payload(json("topic", "demo")).timeout(Duration.ofSeconds(20)));
        Command.CallInvite sent = h.link().last(Command.CallInvite.class);
        assertThat(sent.to()).containsExactly("bob");
        assertThat(sent.media()).isEqualTo(Media.VIDEO);
        assertThat(sent.payload()).isEqualTo(json("topic", "demo"));
        assertThat(sent.timeoutMs()).isEqualTo(20_000);
        assertThat(invite).isNotDone();

        h.ok(sent.id(), new Result.Invite("c-1", null, null));
        Call call = invite.join();
        assertThat(call.id()).isEqualTo("c-1");
        assertThat(call.direction()).isEqualTo(CallDirection.OUTGOING);
        assertThat(call.caller()).isEqualTo("alice");
        assertThat(call.invitees()).containsExactly("bob");
        assertThat(call.state()).isEqualTo(CallState.RINGING);
        assertThat(call.participants()).containsExactly("alice");
        assertThat(h.core.calls()).containsExactly(call);

        h.event(new Event.CallRinging("c-1", "bob"));
        h.event(new Event.CallAccepted("c-1", "bob", json("note", "hi")));
        assertThat(call.participants()).containsExactly("alice", "bob");
        h.event(new Event.CallStarted("c-1", "r-1", List.of("alice", "bob")));
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
        assertThat(call.roomId()).isEqualTo("r-1");

        h.event(new Event.CallHoldChanged("c-1", "bob", true));
        assertThat(call.isHeldBy("bob")).isTrue();
        assertThat(call.heldBy()).containsExactly("bob");
        h.event(new Event.CallHoldChanged("c-1", "alice", true));
        h.event(new Event.CallHoldChanged("c-1", "bob", false));
        assertThat(call.heldBy()).containsExactly("alice");

        h.event(new Event.CallParticipantReconnecting("c-1", "bob"));
        assertThat(call.isReconnecting("bob")).isTrue();
        h.event(new Event.CallParticipantResumed("c-1", "bob"));
        assertThat(call.isReconnecting("bob")).isFalse();

        h.event(new Event.CallSignal("c-1", "bob", json("sdp", "v=0")));
        h.event(new Event.CallEnded("c-1", EndReason.HANGUP, "bob", 61_234));

        assertThat(h.recorder.callLines()).containsExactly(
                "ringing c-1 [ringing] bob",
                "accepted c-1 [ringing] bob {\"note\":\"hi\"}",
                "started c-1 [active r-1] [alice, bob]",
                "hold c-1 [active r-1] bob true",
                "hold c-1 [active r-1] alice true",
                "hold c-1 [active r-1] bob false",
                "reconnecting c-1 [active r-1] bob",
                "resumed c-1 [active r-1] bob",
                "signal c-1 [active r-1] bob {\"sdp\":\"v=0\"}",
                "ended c-1 [ended r-1] hangup by bob 61234ms");
        assertThat(call.state()).isEqualTo(CallState.ENDED);
        assertThat(call.endReason()).isEqualTo(EndReason.HANGUP);
        assertThat(h.core.calls()).isEmpty();

        // Nothing after the final callback, even if the server repeated itself under a new seq.
        h.event(new Event.CallEnded("c-1", EndReason.HANGUP, "bob", 61_234));
        h.event(new Event.CallSignal("c-1", "bob", json("late", "x")));
        assertThat(h.recorder.callLines()).hasSize(10);
    }

    @Test
    void theInviteResultComesBeforeAnyCallbackAboutTheCall() {
        Harness h = new Harness();
        h.connected();
        placed(h, "c-1");
        h.event(new Event.CallRinging("c-1", "bob"));
        h.event(new Event.CallDeclined("c-1", "bob", DeclineReason.BUSY, null));
        h.event(new Event.CallEnded("c-1", EndReason.BUSY, null, 0));

        assertThat(h.recorder.callLines()).containsExactly(
                "invite sent",
                "invite done c-1 [ringing]",
                "ringing c-1 [ringing] bob",
                "declined c-1 [ringing] bob busy",
                "ended c-1 [ended] busy by null 0ms");
    }

    @Test
    void incomingCallAcceptedThenHungUp() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-2", "bob"));
        Call call = h.recorder.incoming.get(0);
        assertThat(call.direction()).isEqualTo(CallDirection.INCOMING);
        assertThat(call.caller()).isEqualTo("bob");
        assertThat(call.media()).isEqualTo(Media.VIDEO);
        assertThat(call.payload()).isEqualTo(json("topic", "support"));
        assertThat(call.expiresAt()).isEqualTo(EXPIRES);
        assertThat(call.participants()).containsExactly("bob");
        assertThat(h.core.calls()).containsExactly(call);

        CompletableFuture<String> accept = call.accept(json("device", "laptop"));
        Command.CallAccept sent = h.link().last(Command.CallAccept.class);
        assertThat(sent.callId()).isEqualTo("c-2");
        assertThat(sent.payload()).isEqualTo(json("device", "laptop"));
        h.ok(sent.id(), new Result.Accept("c-2", "r-2"));
        assertThat(accept.join()).isEqualTo("r-2");
        assertThat(call.state()).isEqualTo(CallState.ACTIVE);
        assertThat(call.roomId()).isEqualTo("r-2");

        h.event(new Event.CallStarted("c-2", "r-2", List.of("bob", "alice")));
        CompletableFuture<Void> hangup = call.hangup();
        h.ok(h.idOf(Command.CallHangup.class));
        assertThat(hangup).isCompleted();
        assertThat(call.state()).isEqualTo(CallState.ACTIVE); // the server's call.ended ends it
        h.event(new Event.CallEnded("c-2", EndReason.HANGUP, "alice", 5_000));

        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-2 [ringing] from bob",
                "started c-2 [active r-2] [bob, alice]",
                "ended c-2 [ended r-2] hangup by alice 5000ms");
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void anIncomingCallCanceledByTheCallerEndsWithCanceledThenEnded() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-3", "bob"));
        h.event(new Event.CallCanceled("c-3", CancelReason.CANCELED));
        Call call = h.recorder.incoming.get(0);

        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-3 [ringing] from bob",
                "canceled c-3 [ended] canceled",
                "ended c-3 [ended] canceled by null 0ms");
        assertThat(call.cancelReason()).isEqualTo(CancelReason.CANCELED);
        assertThat(call.endReason()).isEqualTo(EndReason.CANCELED);
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void cancelReasonsMapToEndReasons() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-4", "bob"));
        h.event(new Event.CallCanceled("c-4", CancelReason.ANSWERED_ELSEWHERE));
        h.event(incoming("c-5", "bob"));
        h.event(new Event.CallCanceled("c-5", CancelReason.DECLINED_ELSEWHERE));
        h.event(incoming("c-6", "bob"));
        h.event(new Event.CallCanceled("c-6", CancelReason.NO_ANSWER));

        assertThat(h.recorder.callLines()).filteredOn(line -> line.startsWith("ended")).containsExactly(
                "ended c-4 [ended] canceled by alice 0ms",
                "ended c-5 [ended] declined by alice 0ms",
                "ended c-6 [ended] no_answer by null 0ms");
        assertThat(h.recorder.incoming).extracting(Call::cancelReason).containsExactly(
                CancelReason.ANSWERED_ELSEWHERE, CancelReason.DECLINED_ELSEWHERE, CancelReason.NO_ANSWER);
    }

    @Test
    void decliningEndsTheCallAfterTheReply() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-7", "bob"));
        Call call = h.recorder.incoming.get(0);
        CompletableFuture<Void> decline = call.decline(DeclineReason.BUSY, json("why", "in a meeting"));
        decline.thenRun(() -> h.recorder.record("decline done"));
        Command.CallDecline sent = h.link().last(Command.CallDecline.class);
        assertThat(sent.reason()).isEqualTo(DeclineReason.BUSY);
        assertThat(h.recorder.callLines()).containsExactly("incoming c-7 [ringing] from bob");

        h.ok(sent.id());
        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-7 [ringing] from bob",
                "decline done",
                "ended c-7 [ended] busy by alice 0ms");
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void hangingUpARingingIncomingCallDeclinesIt() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-8", "bob"));
        h.recorder.incoming.get(0).hangup();
        h.ok(h.idOf(Command.CallHangup.class));
        assertThat(h.recorder.callLines()).last().isEqualTo("ended c-8 [ended] declined by alice 0ms");
    }

    @Test
    void aRejectedDeclineDoesNotEndTheCall() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-9", "bob"));
        Call call = h.recorder.incoming.get(0);
        CompletableFuture<Void> decline = call.decline();
        h.error(h.idOf(Command.CallDecline.class), dev.dialtone.protocol.ErrorCode.INVALID_STATE, "call c-9 has ended");
        assertThat(decline).isCompletedExceptionally();
        assertThat(call.state()).isEqualTo(CallState.RINGING);
        assertThat(h.core.calls()).containsExactly(call);
    }

    @Test
    void glareMergesTheInviteIntoTheRingingIncomingCall() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-10", "bob"));
        Call incoming = h.recorder.incoming.get(0);

        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob"));
        h.ok(h.idOf(Command.CallInvite.class), new Result.Invite("c-10", true, null));
        Call merged = invite.join();
        assertThat(merged).isSameAs(incoming);
        assertThat(merged.direction()).isEqualTo(CallDirection.INCOMING);
        assertThat(merged.state()).isEqualTo(CallState.ACTIVE);

        h.event(new Event.CallStarted("c-10", "r-10", List.of("bob", "alice")));
        assertThat(merged.roomId()).isEqualTo("r-10");
        assertThat(h.core.calls()).containsExactly(merged);

        // Having joined, a later call.canceled would not end it for this device; call.ended does.
        h.event(new Event.CallEnded("c-10", EndReason.HANGUP, "bob", 1_000));
        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-10 [ringing] from bob",
                "started c-10 [active r-10] [bob, alice]",
                "ended c-10 [ended r-10] hangup by bob 1000ms");
    }

    @Test
    void eventsThatArriveBeforeTheInviteReplyAreHeldUntilIt() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob"));
        invite.thenAccept(call -> h.recorder.record("invite done " + call.id()));
        // As after a resume: the replayed events of the new call come before the re-sent invite's reply.
        h.event(new Event.CallRinging("c-11", "bob"));
        h.event(new Event.CallRinging("c-other", "carol")); // another device's call: dropped later
        assertThat(h.recorder.callLines()).isEmpty();

        h.ok(h.idOf(Command.CallInvite.class), new Result.Invite("c-11", null, null));
        h.event(new Event.CallAccepted("c-11", "bob", null));
        assertThat(h.recorder.callLines()).containsExactly(
                "invite done c-11",
                "ringing c-11 [ringing] bob",
                "accepted c-11 [ringing] bob");
    }

    @Test
    void eventsForCallsThisClientDoesNotTrackAreIgnored() {
        Harness h = new Harness();
        h.connected();
        // Placed from another device of alice: the caller's devices all get its events.
        h.event(new Event.CallRinging("c-elsewhere", "bob"));
        h.event(new Event.CallEnded("c-elsewhere", EndReason.CANCELED, "alice", 0));
        assertThat(h.recorder.callLines()).isEmpty();
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void insideACallbackTheViewShowsThatEventAndNothingLater() {
        Deque<Runnable> queued = new ArrayDeque<>();
        Executor later = queued::add;
        Recorder recorder = new Recorder();
        Harness h = new Harness(recorder, later);
        h.core.connect();
        h.ok(h.idOf(Command.Auth.class), new Result.Auth("s-1", "r-1", "alice", "laptop", 60_000, 15_000, 0, null));
        h.event(incoming("c-12", "bob"));
        h.event(new Event.CallCanceled("c-12", CancelReason.CANCELED));
        // Both frames are processed; no callback has run yet.
        assertThat(recorder.callLines()).isEmpty();
        assertThat(h.core.calls()).isEmpty();

        List<String> calls = new ArrayList<>();
        recorder.onIncoming = call -> calls.add(h.core.calls().toString());
        while (!queued.isEmpty()) {
            queued.poll().run();
        }
        assertThat(recorder.callLines()).containsExactly(
                "incoming c-12 [ringing] from bob",
                "canceled c-12 [ended] canceled",
                "ended c-12 [ended] canceled by null 0ms");
        assertThat(calls).singleElement().asString().contains("c-12");
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void aSessionEndedByTheServerEndsEveryCallWithConnectionLost() {
        Harness h = new Harness();
        h.connected();
        Call outgoing = placed(h, "c-13");
        h.event(new Event.CallStarted("c-13", "r-13", List.of("alice", "bob")));
        h.event(incoming("c-14", "carol"));
        h.scheduler.advance(4_000);

        h.link().listener.onClosed(4409, "replaced");
        assertThat(h.recorder.lines).endsWith(
                "ended c-13 [ended r-13] connection_lost by null 4000ms",
                "ended c-14 [ended] connection_lost by null 0ms",
                "disconnected 4409 replaced",
                "state DISCONNECTED");
        assertThat(outgoing.endReason()).isEqualTo(EndReason.CONNECTION_LOST);
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void hangsUpACallThatWasPlacedAfterItsInviteTimedOut() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob"));
        String id = h.idOf(Command.CallInvite.class);
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis());
        assertThat(invite).isCompletedExceptionally();

        h.ok(id, new Result.Invite("c-15", null, null));
        Command.CallHangup hangup = h.link().last(Command.CallHangup.class);
        assertThat(hangup.callId()).isEqualTo("c-15");
        h.event(new Event.CallEnded("c-15", EndReason.CANCELED, "alice", 0));
        assertThat(h.recorder.callLines()).isEmpty();
        assertThat(h.core.calls()).isEmpty();
    }

    @Test
    void signalAndHoldSendTheirCommands() {
        Harness h = new Harness();
        h.connected();
        Call call = placed(h, "c-16");
        JsonNode data = json("candidate", "a=1");
        call.signal("bob", data);
        Command.CallSignal signal = h.link().last(Command.CallSignal.class);
        assertThat(signal.to()).isEqualTo("bob");
        assertThat(signal.data()).isEqualTo(data);
        call.hold();
        call.unhold();
        call.cancel();
        assertThat(h.link().last(Command.CallHold.class).callId()).isEqualTo("c-16");
        assertThat(h.link().last(Command.CallUnhold.class).callId()).isEqualTo("c-16");
        assertThat(h.link().last(Command.CallCancel.class).callId()).isEqualTo("c-16");
    }
}
