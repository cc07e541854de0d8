package dev.dialtone.core;

import static dev.dialtone.core.CallFixture.ALICE;
import static dev.dialtone.core.CallFixture.BOB;
import static dev.dialtone.core.CallFixture.BOB_2;
import static dev.dialtone.core.CallFixture.CAROL;
import static dev.dialtone.core.CallFixture.MALLORY;
import static dev.dialtone.core.CallFixture.RING_MS;
import static dev.dialtone.core.CallFixture.T0;
import static dev.dialtone.core.CallFixture.accept;
import static dev.dialtone.core.CallFixture.callCanceled;
import static dev.dialtone.core.CallFixture.callDeclined;
import static dev.dialtone.core.CallFixture.callEnded;
import static dev.dialtone.core.CallFixture.callHoldChanged;
import static dev.dialtone.core.CallFixture.callStarted;
import static dev.dialtone.core.CallFixture.cancel;
import static dev.dialtone.core.CallFixture.decline;
import static dev.dialtone.core.CallFixture.detach;
import static dev.dialtone.core.CallFixture.free;
import static dev.dialtone.core.CallFixture.hangup;
import static dev.dialtone.core.CallFixture.hold;
import static dev.dialtone.core.CallFixture.logout;
import static dev.dialtone.core.CallFixture.lost;
import static dev.dialtone.core.CallFixture.resume;
import static dev.dialtone.core.CallFixture.signal;
import static dev.dialtone.core.CallFixture.toDevice;
import static dev.dialtone.core.CallFixture.toOtherDevices;
import static dev.dialtone.core.CallFixture.toUser;
import static dev.dialtone.core.CallFixture.unhold;
import static dev.dialtone.core.CallFixture.userActions;
import static dev.dialtone.core.CallFixture.wake;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.core.LineBook.Admission;
import dev.dialtone.core.Outcome.Rejection;
import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The protocol's rules (protocol-v1.md, "Rules the server enforces"), one nested class per rule. */
class CallMachineRulesTest {

    private final CallFixture f = new CallFixture();

    /** The cross-call side of the rules: admission through a {@link LineBook}, then the machine. */
    private final LineBook lines = new LineBook();
    private final Map<String, Presence> presence = new HashMap<>();

    private Admission admit(String callId, String caller, BusyPolicy policy, String... invitees) {
        return lines.admit(callId, caller, List.of(invitees), policy,
                user -> presence.getOrDefault(user, Presence.ATTACHED));
    }

    /** Admits an invite that must be admitted, creates the call and updates the lines, as the server does. */
    private Transition place(String callId, Actor caller, BusyPolicy policy, String... invitees) {
        Admission admission = admit(callId, caller.user(), policy, invitees);
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        Transition created = f.machine.create(callId, caller, ((Admission.Admitted) admission).invitations(),
                Media.AUDIO, null, null, f.now);
        lines.update(created.call());
        return created;
    }

    /** Applies an action and updates the lines, as the server does. */
    private Call commit(Call call, Action action) {
        Call after = f.apply(call, action).call();
        lines.update(after);
        return after;
    }

    // ================================================================================================
    /** Rule 1: one outgoing call at a time. */
    @Nested
    class OneOutgoingCall {

        private final Call ringing = place("c-1", ALICE, BusyPolicy.REJECT, "bob").call();

        @Test
        void a_second_invite_while_the_first_rings_is_refused_and_claims_nothing() {
            assertThat(admit("c-2", "alice", BusyPolicy.REJECT, "carol")).isEqualTo(new Admission.CallerBusy("c-1"));

            assertThat(lines.engaged("carol")).isFalse();
            assertThat(lines.callsOf("alice")).containsExactly("c-1");
            assertThat(lines.outgoing("alice")).isEqualTo("c-1");
        }

        @Test
        void the_caller_may_invite_again_once_the_call_is_answered() {
            Call active = commit(ringing, accept(BOB));

            assertThat(lines.outgoing("alice")).isNull();
            assertThat(lines.engaged("alice")).isTrue();
            assertThat(active.state()).isEqualTo(CallState.ACTIVE);
            assertThat(admit("c-2", "alice", BusyPolicy.REJECT, "carol")).isInstanceOf(Admission.Admitted.class);
        }

        @Test
        void the_caller_is_free_again_once_the_call_is_canceled() {
            commit(ringing, cancel(ALICE));

            assertThat(lines.engaged("alice")).isFalse();
            assertThat(lines.engaged("bob")).isFalse();
            assertThat(admit("c-2", "alice", BusyPolicy.REJECT, "carol")).isInstanceOf(Admission.Admitted.class);
        }

        @Test
        void the_caller_is_free_again_once_the_call_ends_unanswered() {
            f.advance(RING_MS);
            commit(ringing, wake());

            assertThat(lines.engaged("alice")).isFalse();
            assertThat(admit("c-2", "alice", BusyPolicy.REJECT, "carol")).isInstanceOf(Admission.Admitted.class);
        }

        @Test
        void the_caller_is_free_again_once_the_answered_call_ends() {
            commit(commit(ringing, accept(BOB)), hangup(BOB));

            assertThat(lines.engagedUsers()).isZero();
            assertThat(admit("c-2", "alice", BusyPolicy.REJECT, "bob")).isInstanceOf(Admission.Admitted.class);
        }

        @Test
        void an_invite_that_ends_at_once_frees_the_caller_at_once() {
            commit(ringing, cancel(ALICE));
            presence.put("carol", Presence.OFFLINE);

            Transition created = place("c-2", ALICE, BusyPolicy.REJECT, "carol");

            assertThat(created.call().state()).isEqualTo(CallState.ENDED);
            assertThat(lines.engaged("alice")).isFalse();
        }
    }

    // ================================================================================================
    /** Rule 2: busy invitees. */
    @Nested
    class BusyInvitees {

        @Test
        void under_reject_an_invitee_in_an_active_call_is_declined_busy_and_the_call_ends_busy() {
            Call other = place("c-1", CAROL, BusyPolicy.REJECT, "bob").call();
            commit(other, accept(BOB));

            Transition created = place("c-2", ALICE, BusyPolicy.REJECT, "bob");

            assertThat(created.call().party("bob").declineReason()).isEqualTo(DeclineReason.BUSY);
            assertThat(created.call().endReason()).isEqualTo(EndReason.BUSY);
            assertThat(created.effects()).containsExactly(
                    toUser("alice", new Event.CallDeclined("c-2", "bob", DeclineReason.BUSY, null)),
                    toUser("alice", new Event.CallEnded("c-2", EndReason.BUSY, null, 0)));
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
            assertThat(lines.engaged("alice")).isFalse();
        }

        @Test
        void under_reject_an_invitee_ringing_in_another_call_is_busy() {
            place("c-1", CAROL, BusyPolicy.REJECT, "bob");

            Admission admission = admit("c-2", "alice", BusyPolicy.REJECT, "bob");

            assertThat(((Admission.Admitted) admission).invitations())
                    .extracting(Invitation::availability).containsExactly(Invitation.Availability.BUSY);
        }

        @Test
        void under_reject_an_invitee_whose_own_invite_rings_is_busy() {
            place("c-1", BOB, BusyPolicy.REJECT, "carol");

            Admission admission = admit("c-2", "alice", BusyPolicy.REJECT, "bob");

            assertThat(((Admission.Admitted) admission).invitations())
                    .extracting(Invitation::availability).containsExactly(Invitation.Availability.BUSY);
        }

        @Test
        void under_call_waiting_the_busy_invitee_rings_with_waiting_true() {
            Call other = place("c-1", CAROL, BusyPolicy.WAITING, "bob").call();
            commit(other, accept(BOB));

            Transition created = place("c-2", ALICE, BusyPolicy.WAITING, "bob");

            assertThat(created.call().state()).isEqualTo(CallState.RINGING);
            assertThat(created.call().party("bob").waiting()).isTrue();
            assertThat(created.effects()).first().isEqualTo(toUser("bob", new Event.CallIncoming("c-2", "alice",
                    Media.AUDIO, null, List.of("bob"), T0 + RING_MS, Boolean.TRUE)));
            assertThat(lines.callsOf("bob")).containsExactlyInAnyOrder("c-1", "c-2");
        }

        @Test
        void a_free_invitee_never_carries_waiting() {
            Transition created = place("c-1", ALICE, BusyPolicy.WAITING, "bob");

            assertThat(created.effects()).first().isEqualTo(toUser("bob", new Event.CallIncoming("c-1", "alice",
                    Media.AUDIO, null, List.of("bob"), T0 + RING_MS, null)));
        }
    }

    // ================================================================================================
    /** Rule 3: offline invitees. */
    @Nested
    class OfflineInvitees {

        @Test
        void an_invitee_without_any_session_is_declined_offline_and_the_call_ends_offline() {
            presence.put("bob", Presence.OFFLINE);

            Transition created = place("c-1", ALICE, BusyPolicy.REJECT, "bob");

            assertThat(created.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.OFFLINE, null)),
                    toUser("alice", callEnded(EndReason.OFFLINE, null, 0)));
            assertThat(lines.engagedUsers()).isZero();
        }

        @Test
        void an_invitee_with_only_detached_sessions_is_invited_and_the_caller_hears_no_ringing() {
            presence.put("bob", Presence.DETACHED);

            Transition created = place("c-1", ALICE, BusyPolicy.REJECT, "bob");

            assertThat(created.call().party("bob").state()).isEqualTo(ParticipantState.INVITED);
            assertThat(created.effects()).noneMatch(e -> e instanceof Effect.Send s
                    && s.event() instanceof Event.CallRinging);
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
        }
    }

    // ================================================================================================
    /** Rule 4: no answer. */
    @Nested
    class NoAnswer {

        @Test
        void every_invitee_still_ringing_at_the_deadline_is_declined_no_answer() {
            Call call = f.ringingGroup();
            f.advance(RING_MS);

            Transition t = f.apply(call, wake());

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.NO_ANSWER, null)),
                    toUser("bob", callCanceled(CancelReason.NO_ANSWER)),
                    toUser("alice", callDeclined("carol", DeclineReason.NO_ANSWER, null)),
                    toUser("carol", callCanceled(CancelReason.NO_ANSWER)),
                    toUser("alice", callEnded(EndReason.NO_ANSWER, null, 0)));
        }

        @Test
        void an_invitee_who_accepts_while_the_caller_reconnects_hears_so_at_once() {
            Call call = f.apply(f.ringing(), detach(ALICE)).call();

            Transition t = f.apply(call, accept(BOB));

            assertThat(t.effects()).endsWith(toDevice(BOB,
                    new Event.CallParticipantReconnecting(CallFixture.CALL, "alice")));
        }

        @Test
        void an_accept_after_the_deadline_is_refused_even_before_the_timer_fired() {
            Call call = f.ringing();
            f.advance(RING_MS);

            Rejection rejection = f.reject(call, accept(BOB), ErrorCode.INVALID_STATE);

            assertThat(rejection.message()).contains("timed out");
        }

        @Test
        void one_refusal_and_one_time_out_end_the_call_declined() {
            Call call = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.REFUSED)).call();
            f.advance(RING_MS);

            Transition t = f.apply(call, wake());

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("carol", DeclineReason.NO_ANSWER, null)),
                    toUser("carol", callCanceled(CancelReason.NO_ANSWER)),
                    toUser("alice", callEnded(EndReason.DECLINED, null, 0)));
        }

        @Test
        void an_invitee_still_ringing_in_an_active_call_times_out_without_ending_it() {
            Call call = f.apply(f.ringingGroup(), accept(BOB)).call();
            f.advance(RING_MS);

            Transition t = f.apply(call, wake());

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("carol", DeclineReason.NO_ANSWER, null)),
                    toDevice(BOB, callDeclined("carol", DeclineReason.NO_ANSWER, null)),
                    toUser("carol", callCanceled(CancelReason.NO_ANSWER)));
            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().party("carol").declineReason()).isEqualTo(DeclineReason.NO_ANSWER);
        }

        @Test
        void an_early_wake_of_an_active_call_with_a_ringing_invitee_only_re_arms() {
            Call call = f.apply(f.ringingGroup(), accept(BOB)).call();
            f.advance(RING_MS - 1);

            Transition t = f.apply(call, wake());

            assertThat(t.call()).isEqualTo(call);
            assertThat(t.effects()).containsExactly(CallFixture.wakeAt(T0 + RING_MS));
        }
    }

    // ================================================================================================
    /** Rule 5: a call ends by itself when fewer than two users can still take part. */
    @Nested
    class EndsByItself {

        @Test
        void one_decline_in_a_group_call_leaves_it_ringing() {
            Transition t = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.REFUSED));

            assertThat(t.call().state()).isEqualTo(CallState.RINGING);
            assertThat(t.effects()).containsExactly(
                    toOtherDevices(BOB, callCanceled(CancelReason.DECLINED_ELSEWHERE)),
                    toUser("alice", callDeclined("bob", DeclineReason.REFUSED, null)));
        }

        @Test
        void every_invitee_refusing_ends_it_declined() {
            Call call = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.REFUSED)).call();

            Transition t = f.apply(call, decline(CAROL, DeclineReason.REFUSED));

            assertThat(t.call().endReason()).isEqualTo(EndReason.DECLINED);
            assertThat(t.effects()).last().isEqualTo(toUser("alice", callEnded(EndReason.DECLINED, "carol", 0)));
        }

        @Test
        void every_invitee_busy_ends_it_busy() {
            Call call = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.BUSY)).call();

            Transition t = f.apply(call, decline(CAROL, DeclineReason.BUSY));

            assertThat(t.call().endReason()).isEqualTo(EndReason.BUSY);
        }

        @Test
        void different_reasons_end_it_declined() {
            Call call = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.BUSY)).call();

            Transition t = f.apply(call, lost(CAROL, false));

            assertThat(t.call().endReason()).isEqualTo(EndReason.DECLINED);
        }

        @Test
        void the_caller_canceling_a_group_call_stops_every_invitee_ringing() {
            Transition t = f.apply(f.ringingGroup(), cancel(ALICE));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callCanceled(CancelReason.CANCELED)),
                    toUser("carol", callCanceled(CancelReason.CANCELED)),
                    toUser("alice", callEnded(EndReason.CANCELED, "alice", 0)));
        }
    }

    // ================================================================================================
    /** Rule 6: multi-device. */
    @Nested
    class MultiDevice {

        private final Call call = f.ringing();

        @Test
        void accept_from_one_device_stops_the_others_with_answered_elsewhere() {
            Transition t = f.apply(call, accept(BOB_2));

            assertThat(t.effects()).contains(toOtherDevices(BOB_2, callCanceled(CancelReason.ANSWERED_ELSEWHERE)));
            assertThat(t.effects()).doesNotContain(toOtherDevices(BOB, callCanceled(CancelReason.ANSWERED_ELSEWHERE)));
        }

        @Test
        void decline_from_one_device_stops_the_others_with_declined_elsewhere() {
            Transition t = f.apply(call, decline(BOB_2, DeclineReason.REFUSED));

            assertThat(t.effects()).first()
                    .isEqualTo(toOtherDevices(BOB_2, callCanceled(CancelReason.DECLINED_ELSEWHERE)));
        }

        @Test
        void once_joined_from_one_device_the_invitee_is_reached_on_that_device_only() {
            Call active = f.apply(call, accept(BOB_2)).call();

            Transition held = f.apply(active, hold(ALICE));
            Transition signaled = f.apply(active, signal(ALICE, "bob"));
            Transition ended = f.apply(active, hangup(ALICE));

            assertThat(held.effects()).contains(toDevice(BOB_2, callHoldChanged("alice", true)));
            assertThat(signaled.effects()).containsExactly(toDevice(BOB_2, CallFixture.callSignal("alice")));
            assertThat(ended.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.HANGUP, "alice", 0)),
                    toDevice(BOB_2, callEnded(EndReason.HANGUP, "alice", 0)));
        }

        @Test
        void the_other_device_cannot_accept_too() {
            Call active = f.apply(call, accept(BOB_2)).call();

            f.reject(active, accept(BOB), ErrorCode.INVALID_STATE);
        }

        @Test
        void the_started_event_goes_to_the_answering_device_only() {
            Transition t = f.apply(call, accept(BOB_2));

            assertThat(t.effects()).contains(toDevice(BOB_2, callStarted("alice", "bob")));
            assertThat(t.effects()).doesNotContain(toUser("bob", callStarted("alice", "bob")));
        }
    }

    // ================================================================================================
    /** Rule 8: hold, double hold, unhold; the unhold_failed ending. */
    @Nested
    class Hold {

        private final Call call = f.active();

        @Test
        void both_sides_may_hold_and_unholding_restores_only_your_own_side() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            Transition bobHolds = f.apply(aliceHolds, hold(BOB));

            assertThat(bobHolds.effects()).containsExactly(
                    toUser("alice", callHoldChanged("bob", true)),
                    toDevice(BOB, callHoldChanged("bob", true)));
            assertThat(bobHolds.call().joinedParties()).allMatch(Party::held);

            Transition bobUnholds = f.apply(bobHolds.call(), unhold(BOB));

            assertThat(bobUnholds.effects()).containsExactly(
                    toUser("alice", callHoldChanged("bob", false)),
                    toDevice(BOB, callHoldChanged("bob", false)));
            assertThat(bobUnholds.call().party("alice").held()).isTrue();
            assertThat(bobUnholds.call().party("bob").held()).isFalse();
            assertThat(bobUnholds.call().state()).isEqualTo(CallState.ACTIVE);

            Transition aliceUnholds = f.apply(bobUnholds.call(), unhold(ALICE));

            assertThat(aliceUnholds.effects()).containsExactly(
                    toUser("alice", callHoldChanged("alice", false)),
                    toDevice(BOB, callHoldChanged("alice", false)));
            assertThat(aliceUnholds.call()).isEqualTo(call);
        }

        @Test
        void only_the_holder_can_unhold() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            f.reject(aliceHolds, unhold(BOB), ErrorCode.NOT_HOLDER);
            f.reject(aliceHolds, unhold(BOB_2), ErrorCode.NOT_HOLDER);
        }

        @Test
        void holding_twice_is_invalid_state() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            assertThat(f.reject(aliceHolds, hold(ALICE), ErrorCode.INVALID_STATE).message())
                    .isEqualTo("you already hold call c-1");
        }

        @Test
        void unholding_a_call_nobody_holds_is_invalid_state() {
            assertThat(f.reject(call, unhold(ALICE), ErrorCode.INVALID_STATE).message())
                    .isEqualTo("call c-1 is not on hold");
        }

        @Test
        void a_policy_without_hold_denies_it() {
            CallFixture strict = new CallFixture(new CallPolicy(BusyPolicy.REJECT, false, RING_MS, 16));
            Call active = strict.active();

            strict.reject(active, hold(ALICE), ErrorCode.DENIED);
            strict.reject(active, hold(BOB), ErrorCode.DENIED);
            strict.reject(active, unhold(ALICE), ErrorCode.INVALID_STATE);
        }

        @Test
        void hold_and_unhold_of_an_ended_call_are_invalid_state() {
            Call ended = f.apply(f.apply(call, hold(ALICE)).call(), hangup(BOB)).call();

            f.reject(ended, hold(BOB), ErrorCode.INVALID_STATE);
            f.reject(ended, unhold(ALICE), ErrorCode.INVALID_STATE);
        }

        @Test
        void the_snapshot_shows_who_holds() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            CallSnapshot snapshot = aliceHolds.snapshot();

            assertThat(snapshot.state()).isEqualTo(CallState.ACTIVE);
            assertThat(snapshot.roomId()).isEqualTo(CallFixture.ROOM);
            assertThat(snapshot.participants()).containsExactly(
                    new CallSnapshot.Participant("alice", ParticipantState.JOINED, true, true),
                    new CallSnapshot.Participant("bob", ParticipantState.JOINED, false, true));
        }

        @Test
        void the_holder_losing_the_other_side_for_good_ends_the_call_unhold_failed() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();
            f.advance(7_000);

            Transition t = f.apply(aliceHolds, lost(BOB, false));

            assertThat(t.call().endReason()).isEqualTo(EndReason.UNHOLD_FAILED);
            assertThat(t.call().endedBy()).isEqualTo("bob");
            assertThat(t.effects()).first()
                    .isEqualTo(toUser("alice", callEnded(EndReason.UNHOLD_FAILED, "bob", 7_000)));
        }

        @Test
        void the_invitee_holding_while_the_caller_is_lost_ends_the_call_unhold_failed() {
            Call bobHolds = f.apply(call, hold(BOB)).call();

            Transition t = f.apply(bobHolds, lost(ALICE, false));

            assertThat(t.call().endReason()).isEqualTo(EndReason.UNHOLD_FAILED);
            assertThat(t.effects()).contains(toDevice(BOB, callEnded(EndReason.UNHOLD_FAILED, "alice", 0)));
        }

        @Test
        void a_double_hold_with_one_side_lost_ends_the_call_unhold_failed() {
            Call bothHold = f.apply(f.apply(call, hold(ALICE)).call(), hold(BOB)).call();

            assertThat(f.apply(bothHold, lost(BOB, false)).call().endReason()).isEqualTo(EndReason.UNHOLD_FAILED);
        }

        @Test
        void losing_a_call_nobody_holds_ends_it_connection_lost() {
            assertThat(f.apply(call, lost(BOB, false)).call().endReason()).isEqualTo(EndReason.CONNECTION_LOST);
        }

        @Test
        void the_holder_itself_being_lost_ends_it_connection_lost() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            assertThat(f.apply(aliceHolds, lost(ALICE, false)).call().endReason())
                    .isEqualTo(EndReason.CONNECTION_LOST);
        }

        @Test
        void the_other_side_logging_out_of_a_held_call_is_a_plain_hangup() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            assertThat(f.apply(aliceHolds, logout(BOB, false)).call().endReason()).isEqualTo(EndReason.HANGUP);
        }

        @Test
        void a_detached_other_side_does_not_end_a_held_call() {
            Call aliceHolds = f.apply(call, hold(ALICE)).call();

            Transition t = f.apply(aliceHolds, detach(BOB));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().party("alice").held()).isTrue();
        }
    }

    // ================================================================================================
    /** Rule 9: a user with no part in a call gets not_found, never a hint that it exists. */
    @Nested
    class Privacy {

        enum Stage {
            RINGING, ACTIVE, ENDED;

            Call build(CallFixture fixture) {
                return switch (this) {
                    case RINGING -> fixture.ringing();
                    case ACTIVE -> fixture.active();
                    case ENDED -> fixture.ended();
                };
            }
        }

        static Stream<Arguments> outsiderActions() {
            return Stream.of(Stage.values())
                    .flatMap(stage -> userActions(MALLORY, "bob").stream().map(a -> Arguments.of(stage, a)));
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("outsiderActions")
        void every_action_of_an_outsider_is_not_found_whatever_the_state(Stage stage, Action action) {
            Call call = stage.build(f);

            assertThat(f.reject(call, action, ErrorCode.NOT_FOUND).message()).isEqualTo("no call c-1");
        }

        @Test
        void session_changes_of_an_outsider_change_nothing() {
            Call call = f.active();

            f.assertIgnored(call, detach(MALLORY));
            f.assertIgnored(call, resume(MALLORY));
            f.assertIgnored(call, lost(MALLORY, false));
            f.assertIgnored(call, logout(MALLORY, false));
        }
    }

    // ================================================================================================
    /** call.ended: who gets it, and its duration. */
    @Nested
    class Ending {

        @Test
        void duration_is_ended_at_minus_answered_at() {
            Call ringing = f.ringing();
            f.advance(4_000);
            Call active = f.apply(ringing, accept(BOB)).call();
            f.advance(90_500);

            Transition t = f.apply(active, hangup(ALICE));

            assertThat(t.call().answeredAt()).isEqualTo(T0 + 4_000);
            assertThat(t.call().endedAt()).isEqualTo(T0 + 94_500);
            assertThat(t.call().durationMs()).isEqualTo(90_500);
            assertThat(t.effects()).first().isEqualTo(toUser("alice", callEnded(EndReason.HANGUP, "alice", 90_500)));
        }

        @Test
        void duration_is_zero_for_a_call_that_never_became_active() {
            Call ringing = f.ringing();
            f.advance(12_000);

            Transition t = f.apply(ringing, cancel(ALICE));

            assertThat(t.call().durationMs()).isZero();
            assertThat(t.effects()).last().isEqualTo(toUser("alice", callEnded(EndReason.CANCELED, "alice", 0)));
        }

        @Test
        void ended_reaches_the_caller_devices_and_the_joined_device_and_ringing_invitees_are_canceled() {
            Call active = f.apply(f.ringingGroup(), accept(BOB_2)).call();
            Call aliceLeft = f.apply(active, hangup(ALICE)).call();

            Transition t = f.apply(aliceLeft, hangup(BOB_2));

            assertThat(t.effects()).containsExactly(
                    toUser("carol", callCanceled(CancelReason.CANCELED)),
                    toDevice(BOB_2, callEnded(EndReason.HANGUP, "bob", 0)));
            assertThat(t.call().party("carol").state()).isEqualTo(ParticipantState.DECLINED);
        }

        @Test
        void the_declining_invitee_gets_no_ended_event_only_the_caller_does() {
            Transition t = f.apply(f.ringing(), decline(BOB, DeclineReason.REFUSED));

            assertThat(t.effects()).filteredOn(e -> ((Effect.Send) e).event() instanceof Event.CallEnded)
                    .containsExactly(toUser("alice", callEnded(EndReason.DECLINED, "bob", 0)));
        }
    }
}
