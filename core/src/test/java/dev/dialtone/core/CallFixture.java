package dev.dialtone.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dialtone.core.Outcome.Rejection;
import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import java.util.ArrayList;
import java.util.List;

/**
 * The test bench of the call state machine: deterministic ids ({@code c-1}, {@code r-1}, …), a
 * hand-driven clock, a cast of users with their devices, ready-made calls in each state, and
 * builders for actions, events and effects so that a test can spell out exactly which event goes
 * to which target, in which order.
 *
 * <p>The cast: alice (device {@code a1}, second device {@code a2}) always calls; bob (devices
 * {@code b1}, {@code b2}) and carol ({@code k1}) are invitees; mallory has no part in any call.
 */
final class CallFixture {

    /** 2026-01-01T00:00:00Z: a realistic epoch, so that "answeredAt == 0" never happens by accident. */
    static final long T0 = 1_767_225_600_000L;
    /** {@link CallPolicy#DEFAULT}'s ring timeout. */
    static final long RING_MS = 30_000;
    static final String CALL = "c-1";
    static final String ROOM = "r-1";

    static final Actor ALICE = new Actor("alice", "a1");
    static final Actor ALICE_2 = new Actor("alice", "a2");
    static final Actor BOB = new Actor("bob", "b1");
    static final Actor BOB_2 = new Actor("bob", "b2");
    static final Actor CAROL = new Actor("carol", "k1");
    static final Actor MALLORY = new Actor("mallory", "m1");

    static final JsonNode INVITE_PAYLOAD = json("subject", "lunch?");
    static final JsonNode ANSWER_PAYLOAD = json("note", "on my way");
    static final JsonNode DECLINE_PAYLOAD = json("note", "in a meeting");
    static final JsonNode SIGNAL_DATA = json("sdp", "v=0");

    /** Ids {@code c-1, c-2, …} and {@code r-1, r-2, …}. */
    static final class SequentialIds implements IdSource {
        private int calls;
        private int rooms;

        @Override
        public String newCallId() {
            return "c-" + ++calls;
        }

        @Override
        public String newRoomId() {
            return "r-" + ++rooms;
        }
    }

    final SequentialIds ids = new SequentialIds();
    final CallMachine machine;
    /** The machine's "now"; tests move it by hand, so timeouts are tested instantly. */
    long now = T0;

    CallFixture() {
        this(CallPolicy.DEFAULT);
    }

    CallFixture(CallPolicy policy) {
        machine = new CallMachine(policy, ids);
    }

    void advance(long millis) {
        now += millis;
    }

    // ---- calls in each state -------------------------------------------------------------------

    /** alice (a1) invites the given invitees, with the default ring timeout. */
    Transition create(Invitation... invitations) {
        return create(null, invitations);
    }

    Transition create(Integer timeoutMs, Invitation... invitations) {
        return machine.create(ids.newCallId(), ALICE, List.of(invitations), Media.AUDIO, INVITE_PAYLOAD, timeoutMs,
                now);
    }

    /** alice calls bob; the invite reached bob's devices. State RINGING. */
    Call ringing() {
        return create(free("bob")).call();
    }

    /** alice calls bob and carol; both ring. */
    Call ringingGroup() {
        return create(free("bob"), free("carol")).call();
    }

    /** alice calls bob, bob accepts from {@code b1}. State ACTIVE, room r-1, answered at {@link #now}. */
    Call active() {
        return apply(ringing(), accept(BOB)).call();
    }

    /** An active call that bob hung up. State ENDED (hangup by bob). */
    Call ended() {
        return apply(active(), hangup(BOB)).call();
    }

    // ---- applying actions ----------------------------------------------------------------------

    /** Applies an action that must be accepted. */
    Transition apply(Call call, Action action) {
        Outcome outcome = machine.apply(call, action, now);
        assertThat(outcome).as("outcome of %s", action).isInstanceOf(Transition.class);
        return (Transition) outcome;
    }

    /**
     * Applies an action that must be refused with {@code code}; checks that the call is unchanged
     * (equal to a deep copy taken before).
     */
    Rejection reject(Call call, Action action, ErrorCode code) {
        Call before = copyOf(call);
        Outcome outcome = machine.apply(call, action, now);
        assertThat(outcome).as("outcome of %s", action).isInstanceOf(Rejection.class);
        Rejection rejection = (Rejection) outcome;
        assertThat(rejection.code()).as("error code of %s (%s)", action, rejection.message()).isEqualTo(code);
        assertThat(rejection.message()).isNotBlank();
        assertThat(call).isEqualTo(before);
        return rejection;
    }

    /** Applies an action that must change nothing and send nothing. */
    void assertIgnored(Call call, Action action) {
        Call before = copyOf(call);
        Transition transition = apply(call, action);
        assertThat(transition.call()).as("call after %s", action).isEqualTo(before);
        assertThat(transition.effects()).as("effects of %s", action).isEmpty();
    }

    static Call copyOf(Call c) {
        return new Call(c.id(), c.caller(), c.media(), c.payload() == null ? null : c.payload().deepCopy(),
                c.createdAt(), c.state(), c.roomId(), c.answeredAt(), new ArrayList<>(c.parties()), c.endReason(),
                c.endedBy(), c.endedAt());
    }

    // ---- invitations ---------------------------------------------------------------------------

    static Invitation free(String user) {
        return new Invitation(user, Invitation.Availability.FREE, true);
    }

    /** Free, but only detached sessions: the invite waits in their replay buffers. */
    static Invitation freeNotDelivered(String user) {
        return new Invitation(user, Invitation.Availability.FREE, false);
    }

    static Invitation waiting(String user) {
        return new Invitation(user, Invitation.Availability.WAITING, true);
    }

    static Invitation busy(String user) {
        return new Invitation(user, Invitation.Availability.BUSY, true);
    }

    static Invitation offline(String user) {
        return new Invitation(user, Invitation.Availability.OFFLINE, false);
    }

    // ---- actions -------------------------------------------------------------------------------

    static Action accept(Actor actor) {
        return new Action.Accept(actor, ANSWER_PAYLOAD);
    }

    static Action decline(Actor actor, DeclineReason reason) {
        return new Action.Decline(actor, reason, null);
    }

    static Action cancel(Actor actor) {
        return new Action.Cancel(actor);
    }

    static Action hangup(Actor actor) {
        return new Action.Hangup(actor);
    }

    static Action hold(Actor actor) {
        return new Action.Hold(actor);
    }

    static Action unhold(Actor actor) {
        return new Action.Unhold(actor);
    }

    static Action signal(Actor actor, String to) {
        return new Action.Signal(actor, to, SIGNAL_DATA);
    }

    static Action wake() {
        return new Action.Wake();
    }

    static Action detach(Actor actor) {
        return new Action.Detached(actor.user(), actor.session());
    }

    static Action resume(Actor actor) {
        return new Action.Resumed(actor.user(), actor.session());
    }

    /** The session's resume window passed ({@code lost = true}). */
    static Action lost(Actor actor, boolean userStillOnline) {
        return new Action.SessionEnded(actor.user(), actor.session(), true, userStillOnline);
    }

    /** The session logged out ({@code lost = false}). */
    static Action logout(Actor actor, boolean userStillOnline) {
        return new Action.SessionEnded(actor.user(), actor.session(), false, userStillOnline);
    }

    /** Every action a user can ask for, performed by {@code actor}. */
    static List<Action> userActions(Actor actor, String signalTo) {
        return List.of(accept(actor), decline(actor, DeclineReason.REFUSED), decline(actor, DeclineReason.BUSY),
                cancel(actor), hangup(actor), hold(actor), unhold(actor), signal(actor, signalTo));
    }

    // ---- events (about call c-1) ---------------------------------------------------------------

    static Event callIncoming(List<String> invitees, long expiresAt, Boolean waiting) {
        return new Event.CallIncoming(CALL, "alice", Media.AUDIO, INVITE_PAYLOAD, invitees, expiresAt, waiting);
    }

    static Event callRinging(String user) {
        return new Event.CallRinging(CALL, user);
    }

    static Event callAccepted(String user) {
        return new Event.CallAccepted(CALL, user, ANSWER_PAYLOAD);
    }

    static Event callStarted(String... participants) {
        return new Event.CallStarted(CALL, ROOM, List.of(participants));
    }

    static Event callDeclined(String user, DeclineReason reason, JsonNode payload) {
        return new Event.CallDeclined(CALL, user, reason, payload);
    }

    static Event callCanceled(CancelReason reason) {
        return new Event.CallCanceled(CALL, reason);
    }

    static Event callEnded(EndReason reason, String by, long durationMs) {
        return new Event.CallEnded(CALL, reason, by, durationMs);
    }

    static Event callHoldChanged(String user, boolean held) {
        return new Event.CallHoldChanged(CALL, user, held);
    }

    static Event callReconnecting(String user) {
        return new Event.CallParticipantReconnecting(CALL, user);
    }

    static Event callResumed(String user) {
        return new Event.CallParticipantResumed(CALL, user);
    }

    static Event callSignal(String from) {
        return new Event.CallSignal(CALL, from, SIGNAL_DATA);
    }

    // ---- effects -------------------------------------------------------------------------------

    /** To every device of the user. */
    static Effect toUser(String user, Event event) {
        return new Effect.Send(new Target.User(user), event);
    }

    /** To every device of the actor's user except the actor's own device. */
    static Effect toOtherDevices(Actor actor, Event event) {
        return new Effect.Send(new Target.UserExcept(actor.user(), actor.session()), event);
    }

    /** To the actor's device only. */
    static Effect toDevice(Actor actor, Event event) {
        return new Effect.Send(new Target.Session(actor.user(), actor.session()), event);
    }

    static Effect wakeAt(long at) {
        return new Effect.WakeAt(CALL, at);
    }

    private static JsonNode json(String field, String value) {
        return JsonNodeFactory.instance.objectNode().put(field, value);
    }
}
