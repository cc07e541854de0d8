package dev.dialtone.core;

import static dev.dialtone.core.CallFixture.ALICE;
import static dev.dialtone.core.CallFixture.ALICE_2;
import static dev.dialtone.core.CallFixture.ANSWER_PAYLOAD;
import static dev.dialtone.core.CallFixture.BOB;
import static dev.dialtone.core.CallFixture.BOB_2;
import static dev.dialtone.core.CallFixture.CALL;
import static dev.dialtone.core.CallFixture.CAROL;
import static dev.dialtone.core.CallFixture.DECLINE_PAYLOAD;
import static dev.dialtone.core.CallFixture.INVITE_PAYLOAD;
import static dev.dialtone.core.CallFixture.RING_MS;
import static dev.dialtone.core.CallFixture.ROOM;
import static dev.dialtone.core.CallFixture.T0;
import static dev.dialtone.core.CallFixture.accept;
import static dev.dialtone.core.CallFixture.busy;
import static dev.dialtone.core.CallFixture.callAccepted;
import static dev.dialtone.core.CallFixture.callCanceled;
import static dev.dialtone.core.CallFixture.callDeclined;
import static dev.dialtone.core.CallFixture.callEnded;
import static dev.dialtone.core.CallFixture.callHoldChanged;
import static dev.dialtone.core.CallFixture.callIncoming;
import static dev.dialtone.core.CallFixture.callReconnecting;
import static dev.dialtone.core.CallFixture.callResumed;
import static dev.dialtone.core.CallFixture.callRinging;
import static dev.dialtone.core.CallFixture.callSignal;
import static dev.dialtone.core.CallFixture.callStarted;
import static dev.dialtone.core.CallFixture.cancel;
import static dev.dialtone.core.CallFixture.decline;
import static dev.dialtone.core.CallFixture.detach;
import static dev.dialtone.core.CallFixture.free;
import static dev.dialtone.core.CallFixture.freeNotDelivered;
import static dev.dialtone.core.CallFixture.hangup;
import static dev.dialtone.core.CallFixture.hold;
import static dev.dialtone.core.CallFixture.logout;
import static dev.dialtone.core.CallFixture.lost;
import static dev.dialtone.core.CallFixture.offline;
import static dev.dialtone.core.CallFixture.resume;
import static dev.dialtone.core.CallFixture.signal;
import static dev.dialtone.core.CallFixture.toDevice;
import static dev.dialtone.core.CallFixture.toOtherDevices;
import static dev.dialtone.core.CallFixture.toUser;
import static dev.dialtone.core.CallFixture.unhold;
import static dev.dialtone.core.CallFixture.userActions;
import static dev.dialtone.core.CallFixture.waiting;
import static dev.dialtone.core.CallFixture.wake;
import static dev.dialtone.core.CallFixture.wakeAt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the transition table in {@link CallMachine}'s javadoc: each action on a call that
 * is RINGING, ACTIVE or ENDED, by each kind of party (caller, invitee in each of its states). Legal
 * pairs: the new state and the exact effects (event, target, order). Illegal pairs: the documented
 * error code, and the call unchanged.
 */
class CallMachineTransitionTest {

    private final CallFixture f = new CallFixture();

    // ================================================================================================
    @Nested
    class Create {

        @Test
        void free_invitee_rings_and_the_caller_hears_ringing() {
            Transition t = f.create(free("bob"));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callIncoming(List.of("bob"), T0 + RING_MS, null)),
                    toUser("alice", callRinging("bob")),
                    wakeAt(T0 + RING_MS));
            Call call = t.call();
            assertThat(call.id()).isEqualTo(CALL);
            assertThat(call.caller()).isEqualTo("alice");
            assertThat(call.media()).isEqualTo(Media.AUDIO);
            assertThat(call.payload()).isEqualTo(INVITE_PAYLOAD);
            assertThat(call.state()).isEqualTo(CallState.RINGING);
            assertThat(call.createdAt()).isEqualTo(T0);
            assertThat(call.roomId()).isNull();
            assertThat(call.answeredAt()).isZero();
            assertThat(call.parties()).containsExactly(
                    new Party("alice", ParticipantState.JOINED, "a1", false, true, 0, false, null),
                    new Party("bob", ParticipantState.RINGING, null, false, true, T0 + RING_MS, false, null));
        }

        @Test
        void an_invite_that_waits_in_a_replay_buffer_is_invited_not_ringing_and_the_caller_hears_nothing_yet() {
            Transition t = f.create(freeNotDelivered("bob"));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callIncoming(List.of("bob"), T0 + RING_MS, null)),
                    wakeAt(T0 + RING_MS));
            assertThat(t.call().party("bob").state()).isEqualTo(ParticipantState.INVITED);
        }

        @Test
        void the_invite_timeout_sets_the_ring_deadline() {
            Transition t = f.create(5_000, free("bob"));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callIncoming(List.of("bob"), T0 + 5_000, null)),
                    toUser("alice", callRinging("bob")),
                    wakeAt(T0 + 5_000));
            assertThat(t.call().party("bob").expiresAt()).isEqualTo(T0 + 5_000);
        }

        @Test
        void the_policy_sets_the_default_ring_deadline() {
            CallFixture slow = new CallFixture(new CallPolicy(BusyPolicy.REJECT, true, 45_000, 16));

            Transition t = slow.create(free("bob"));

            assertThat(t.effects()).last().isEqualTo(wakeAt(T0 + 45_000));
        }

        @Test
        void every_invitee_of_a_group_call_rings_and_sees_the_whole_invitee_list() {
            Transition t = f.create(free("bob"), free("carol"));

            List<String> invitees = List.of("bob", "carol");
            assertThat(t.effects()).containsExactly(
                    toUser("bob", callIncoming(invitees, T0 + RING_MS, null)),
                    toUser("alice", callRinging("bob")),
                    toUser("carol", callIncoming(invitees, T0 + RING_MS, null)),
                    toUser("alice", callRinging("carol")),
                    wakeAt(T0 + RING_MS));
            assertThat(t.call().parties()).extracting(Party::user).containsExactly("alice", "bob", "carol");
        }

        @Test
        void call_waiting_rings_with_waiting_true() {
            Transition t = f.create(waiting("bob"));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callIncoming(List.of("bob"), T0 + RING_MS, Boolean.TRUE)),
                    toUser("alice", callRinging("bob")),
                    wakeAt(T0 + RING_MS));
            assertThat(t.call().party("bob").waiting()).isTrue();
            assertThat(t.call().state()).isEqualTo(CallState.RINGING);
        }

        @Test
        void a_busy_invitee_alone_ends_the_call_busy_at_once() {
            Transition t = f.create(busy("bob"));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.BUSY, null)),
                    toUser("alice", callEnded(EndReason.BUSY, null, 0)));
            assertThat(t.call().state()).isEqualTo(CallState.ENDED);
            assertThat(t.call().endReason()).isEqualTo(EndReason.BUSY);
            assertThat(t.call().endedAt()).isEqualTo(T0);
            assertThat(t.call().party("bob").state()).isEqualTo(ParticipantState.DECLINED);
            assertThat(t.call().party("bob").declineReason()).isEqualTo(DeclineReason.BUSY);
        }

        @Test
        void an_offline_invitee_alone_ends_the_call_offline_at_once() {
            Transition t = f.create(offline("bob"));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.OFFLINE, null)),
                    toUser("alice", callEnded(EndReason.OFFLINE, null, 0)));
            assertThat(t.call().state()).isEqualTo(CallState.ENDED);
            assertThat(t.call().endReason()).isEqualTo(EndReason.OFFLINE);
        }

        @Test
        void busy_and_offline_invitees_end_the_call_declined() {
            Transition t = f.create(busy("bob"), offline("carol"));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.BUSY, null)),
                    toUser("alice", callDeclined("carol", DeclineReason.OFFLINE, null)),
                    toUser("alice", callEnded(EndReason.DECLINED, null, 0)));
            assertThat(t.call().endReason()).isEqualTo(EndReason.DECLINED);
        }

        @Test
        void a_busy_invitee_does_not_stop_a_free_one_from_ringing() {
            Transition t = f.create(busy("bob"), free("carol"));

            List<String> invitees = List.of("bob", "carol");
            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.BUSY, null)),
                    toUser("carol", callIncoming(invitees, T0 + RING_MS, null)),
                    toUser("alice", callRinging("carol")),
                    wakeAt(T0 + RING_MS));
            assertThat(t.call().state()).isEqualTo(CallState.RINGING);
        }
    }

    // ================================================================================================
    @Nested
    class Ringing {

        private final Call call = f.ringing();

        @Test
        void accept_by_the_invitee_starts_the_call_and_stops_its_other_devices() {
            f.advance(3_000);

            Transition t = f.apply(call, accept(BOB_2));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callAccepted("bob")),
                    toOtherDevices(BOB_2, callCanceled(CancelReason.ANSWERED_ELSEWHERE)),
                    toUser("alice", callStarted("alice", "bob")),
                    toDevice(BOB_2, callStarted("alice", "bob")));
            Call active = t.call();
            assertThat(active.state()).isEqualTo(CallState.ACTIVE);
            assertThat(active.roomId()).isEqualTo(ROOM);
            assertThat(active.answeredAt()).isEqualTo(T0 + 3_000);
            assertThat(active.party("bob").state()).isEqualTo(ParticipantState.JOINED);
            assertThat(active.party("bob").session()).isEqualTo("b2");
        }

        @Test
        void accept_by_the_caller_is_invalid_state() {
            f.reject(call, accept(ALICE), ErrorCode.INVALID_STATE);
        }

        @Test
        void decline_refused_with_payload_ends_a_one_to_one_call_declined() {
            f.advance(1_000);

            Transition t = f.apply(call, new Action.Decline(BOB, DeclineReason.REFUSED, DECLINE_PAYLOAD));

            assertThat(t.effects()).containsExactly(
                    toOtherDevices(BOB, callCanceled(CancelReason.DECLINED_ELSEWHERE)),
                    toUser("alice", callDeclined("bob", DeclineReason.REFUSED, DECLINE_PAYLOAD)),
                    toUser("alice", callEnded(EndReason.DECLINED, "bob", 0)));
            Call ended = t.call();
            assertThat(ended.state()).isEqualTo(CallState.ENDED);
            assertThat(ended.endReason()).isEqualTo(EndReason.DECLINED);
            assertThat(ended.endedBy()).isEqualTo("bob");
            assertThat(ended.endedAt()).isEqualTo(T0 + 1_000);
            assertThat(ended.party("bob").state()).isEqualTo(ParticipantState.DECLINED);
            assertThat(ended.party("bob").declineReason()).isEqualTo(DeclineReason.REFUSED);
            assertThat(ended.party("alice").state()).isEqualTo(ParticipantState.LEFT);
        }

        @Test
        void decline_busy_ends_a_one_to_one_call_busy() {
            Transition t = f.apply(call, decline(BOB, DeclineReason.BUSY));

            assertThat(t.effects()).containsExactly(
                    toOtherDevices(BOB, callCanceled(CancelReason.DECLINED_ELSEWHERE)),
                    toUser("alice", callDeclined("bob", DeclineReason.BUSY, null)),
                    toUser("alice", callEnded(EndReason.BUSY, "bob", 0)));
            assertThat(t.call().endReason()).isEqualTo(EndReason.BUSY);
        }

        @Test
        void decline_by_the_caller_is_invalid_state() {
            f.reject(call, decline(ALICE, DeclineReason.REFUSED), ErrorCode.INVALID_STATE);
        }

        @Test
        void cancel_by_the_caller_ends_the_call_and_stops_the_invitee_ringing() {
            Transition t = f.apply(call, cancel(ALICE));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callCanceled(CancelReason.CANCELED)),
                    toUser("alice", callEnded(EndReason.CANCELED, "alice", 0)));
            assertThat(t.call().state()).isEqualTo(CallState.ENDED);
            assertThat(t.call().endReason()).isEqualTo(EndReason.CANCELED);
            assertThat(t.call().endedBy()).isEqualTo("alice");
            assertThat(t.call().party("bob").state()).isEqualTo(ParticipantState.DECLINED);
            assertThat(t.call().party("bob").declineReason()).isNull();
        }

        @Test
        void cancel_by_the_caller_from_another_device_is_the_same_cancel() {
            Transition t = f.apply(call, cancel(ALICE_2));

            assertThat(t.call().endReason()).isEqualTo(EndReason.CANCELED);
        }

        @Test
        void cancel_by_the_invitee_is_invalid_state() {
            f.reject(call, cancel(BOB), ErrorCode.INVALID_STATE);
        }

        @Test
        void hangup_by_the_caller_is_a_cancel() {
            Transition t = f.apply(call, hangup(ALICE));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callCanceled(CancelReason.CANCELED)),
                    toUser("alice", callEnded(EndReason.CANCELED, "alice", 0)));
            assertThat(t.call().endReason()).isEqualTo(EndReason.CANCELED);
        }

        @Test
        void hangup_by_the_invitee_is_a_decline_refused() {
            Transition t = f.apply(call, hangup(BOB));

            assertThat(t.effects()).containsExactly(
                    toOtherDevices(BOB, callCanceled(CancelReason.DECLINED_ELSEWHERE)),
                    toUser("alice", callDeclined("bob", DeclineReason.REFUSED, null)),
                    toUser("alice", callEnded(EndReason.DECLINED, "bob", 0)));
            assertThat(t.call().party("bob").declineReason()).isEqualTo(DeclineReason.REFUSED);
        }

        @Test
        void hold_and_unhold_are_invalid_state_for_everyone() {
            f.reject(call, hold(ALICE), ErrorCode.INVALID_STATE);
            f.reject(call, hold(BOB), ErrorCode.INVALID_STATE);
            f.reject(call, unhold(ALICE), ErrorCode.INVALID_STATE);
            f.reject(call, unhold(BOB), ErrorCode.INVALID_STATE);
        }

        @Test
        void hold_is_invalid_state_even_when_policy_forbids_holding() {
            CallFixture strict = new CallFixture(new CallPolicy(BusyPolicy.REJECT, false, RING_MS, 16));

            strict.reject(strict.ringing(), hold(ALICE), ErrorCode.INVALID_STATE);
        }

        @Test
        void signal_is_invalid_state_before_the_call_is_active() {
            f.reject(call, signal(ALICE, "bob"), ErrorCode.INVALID_STATE);
            f.reject(call, signal(BOB, "alice"), ErrorCode.INVALID_STATE);
        }

        @Test
        void wake_before_the_deadline_changes_nothing_but_re_arms_the_timer() {
            f.advance(RING_MS - 1);

            Transition t = f.apply(call, wake());

            assertThat(t.call()).isEqualTo(call);
            assertThat(t.effects()).containsExactly(wakeAt(T0 + RING_MS));
        }

        @Test
        void wake_at_the_deadline_declines_the_invitee_no_answer_and_ends_the_call() {
            f.advance(RING_MS);

            Transition t = f.apply(call, wake());

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.NO_ANSWER, null)),
                    toUser("bob", callCanceled(CancelReason.NO_ANSWER)),
                    toUser("alice", callEnded(EndReason.NO_ANSWER, null, 0)));
            assertThat(t.call().state()).isEqualTo(CallState.ENDED);
            assertThat(t.call().endReason()).isEqualTo(EndReason.NO_ANSWER);
            assertThat(t.call().endedBy()).isNull();
            assertThat(t.call().party("bob").declineReason()).isEqualTo(DeclineReason.NO_ANSWER);
        }

        @Test
        void a_late_wake_after_the_deadline_does_the_same() {
            f.advance(RING_MS + 5_000);

            Transition t = f.apply(call, wake());

            assertThat(t.call().endReason()).isEqualTo(EndReason.NO_ANSWER);
            assertThat(t.call().endedAt()).isEqualTo(T0 + RING_MS + 5_000);
        }

        @Test
        void detached_caller_device_is_marked_reconnecting_with_nobody_joined_to_tell() {
            Transition t = f.apply(call, detach(ALICE));

            assertThat(t.effects()).isEmpty();
            assertThat(t.call().party("alice").connected()).isFalse();
            assertThat(t.call().state()).isEqualTo(CallState.RINGING);

            Transition back = f.apply(t.call(), resume(ALICE));

            assertThat(back.effects()).isEmpty();
            assertThat(back.call()).isEqualTo(call);
        }

        @Test
        void detached_or_resumed_devices_that_did_not_join_change_nothing() {
            f.assertIgnored(call, detach(ALICE_2));
            f.assertIgnored(call, detach(BOB));
            f.assertIgnored(call, resume(BOB));
            f.assertIgnored(call, resume(ALICE));
        }

        @Test
        void caller_device_lost_ends_the_call_connection_lost() {
            Transition t = f.apply(call, lost(ALICE, true));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callCanceled(CancelReason.CANCELED)),
                    toUser("alice", callEnded(EndReason.CONNECTION_LOST, "alice", 0)));
            assertThat(t.call().endReason()).isEqualTo(EndReason.CONNECTION_LOST);
        }

        @Test
        void caller_device_logout_cancels_the_call() {
            Transition t = f.apply(call, logout(ALICE, false));

            assertThat(t.effects()).containsExactly(
                    toUser("bob", callCanceled(CancelReason.CANCELED)),
                    toUser("alice", callEnded(EndReason.CANCELED, "alice", 0)));
        }

        @Test
        void the_end_of_another_caller_device_changes_nothing() {
            f.assertIgnored(call, lost(ALICE_2, true));
            f.assertIgnored(call, logout(ALICE_2, true));
        }

        @Test
        void the_end_of_one_invitee_device_changes_nothing_while_another_can_still_answer() {
            f.assertIgnored(call, lost(BOB, true));
            f.assertIgnored(call, logout(BOB, true));
        }

        @Test
        void the_invitee_last_device_lost_declines_offline_and_ends_the_call() {
            Transition t = f.apply(call, lost(BOB, false));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.OFFLINE, null)),
                    toUser("alice", callEnded(EndReason.OFFLINE, "bob", 0)));
            assertThat(t.call().endReason()).isEqualTo(EndReason.OFFLINE);
        }

        @Test
        void the_invitee_last_device_logging_out_declines_refused_and_ends_the_call() {
            Transition t = f.apply(call, logout(BOB, false));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callDeclined("bob", DeclineReason.REFUSED, null)),
                    toUser("alice", callEnded(EndReason.DECLINED, "bob", 0)));
        }
    }

    // ================================================================================================
    @Nested
    class Active {

        private final Call call = f.active();

        @Test
        void accept_is_invalid_state_for_both_sides() {
            f.reject(call, accept(BOB), ErrorCode.INVALID_STATE);
            f.reject(call, accept(BOB_2), ErrorCode.INVALID_STATE);
            f.reject(call, accept(ALICE), ErrorCode.INVALID_STATE);
        }

        @Test
        void decline_is_invalid_state_for_both_sides() {
            f.reject(call, decline(BOB, DeclineReason.REFUSED), ErrorCode.INVALID_STATE);
            f.reject(call, decline(BOB, DeclineReason.BUSY), ErrorCode.INVALID_STATE);
            f.reject(call, decline(ALICE, DeclineReason.REFUSED), ErrorCode.INVALID_STATE);
        }

        @Test
        void cancel_is_invalid_state_once_answered() {
            assertThat(f.reject(call, cancel(ALICE), ErrorCode.INVALID_STATE).message()).contains("hang up");
            f.reject(call, cancel(BOB), ErrorCode.INVALID_STATE);
        }

        @Test
        void hangup_by_the_caller_ends_the_call_for_both() {
            f.advance(61_234);

            Transition t = f.apply(call, hangup(ALICE));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.HANGUP, "alice", 61_234)),
                    toDevice(BOB, callEnded(EndReason.HANGUP, "alice", 61_234)));
            Call ended = t.call();
            assertThat(ended.state()).isEqualTo(CallState.ENDED);
            assertThat(ended.endReason()).isEqualTo(EndReason.HANGUP);
            assertThat(ended.endedBy()).isEqualTo("alice");
            assertThat(ended.durationMs()).isEqualTo(61_234);
            assertThat(ended.roomId()).isEqualTo(ROOM);
            assertThat(ended.parties()).extracting(Party::state)
                    .containsExactly(ParticipantState.LEFT, ParticipantState.LEFT);
        }

        @Test
        void hangup_by_the_joined_invitee_ends_the_call_for_both() {
            f.advance(10_000);

            Transition t = f.apply(call, hangup(BOB));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.HANGUP, "bob", 10_000)),
                    toDevice(BOB, callEnded(EndReason.HANGUP, "bob", 10_000)));
        }

        @Test
        void hangup_from_the_invitee_other_device_is_accepted_as_the_user_hanging_up() {
            Transition t = f.apply(call, hangup(BOB_2));

            assertThat(t.call().endReason()).isEqualTo(EndReason.HANGUP);
            assertThat(t.call().endedBy()).isEqualTo("bob");
        }

        @Test
        void hold_tells_every_joined_participant_the_holder_included() {
            Transition t = f.apply(call, hold(ALICE));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callHoldChanged("alice", true)),
                    toDevice(BOB, callHoldChanged("alice", true)));
            assertThat(t.call().party("alice").held()).isTrue();
            assertThat(t.call().party("bob").held()).isFalse();
            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
        }

        @Test
        void unhold_when_nobody_holds_is_invalid_state() {
            f.reject(call, unhold(ALICE), ErrorCode.INVALID_STATE);
            f.reject(call, unhold(BOB), ErrorCode.INVALID_STATE);
        }

        @Test
        void signal_from_caller_is_relayed_to_the_invitee_joined_device_only() {
            Transition t = f.apply(call, signal(ALICE, "bob"));

            assertThat(t.effects()).containsExactly(toDevice(BOB, callSignal("alice")));
            assertThat(t.call()).isEqualTo(call);
        }

        @Test
        void signal_from_invitee_is_relayed_to_the_caller() {
            Transition t = f.apply(call, signal(BOB, "alice"));

            assertThat(t.effects()).hasSize(1);
            Effect.Send send = (Effect.Send) t.effects().get(0);
            assertThat(send.event()).isEqualTo(callSignal("bob"));
            assertThat(send.to()).isIn(new Target.User("alice"), new Target.Session("alice", "a1"));
            assertThat(t.call()).isEqualTo(call);
        }
        @Test
        void signal_from_invitee_reaches_only_the_caller_device_that_placed_the_call() {
            Transition t = f.apply(call, signal(BOB, "alice"));

            assertThat(t.effects()).containsExactly(toDevice(ALICE, callSignal("bob")));
        }

        @Test
        void signal_to_a_user_who_is_not_in_the_call_is_not_found() {
            f.reject(call, signal(ALICE, "mallory"), ErrorCode.NOT_FOUND);
        }

        @Test
        void signal_to_yourself_is_invalid_state() {
            f.reject(call, signal(ALICE, "alice"), ErrorCode.INVALID_STATE);
            f.reject(call, signal(BOB, "bob"), ErrorCode.INVALID_STATE);
        }

        @Test
        void wake_changes_nothing_even_after_the_old_ring_deadline() {
            f.assertIgnored(call, wake());
            f.advance(RING_MS * 2);
            f.assertIgnored(call, wake());
        }

        @Test
        void detached_invitee_device_makes_the_caller_see_reconnecting_then_resumed() {
            Transition gone = f.apply(call, detach(BOB));

            assertThat(gone.effects()).containsExactly(toUser("alice", callReconnecting("bob")));
            assertThat(gone.call().party("bob").connected()).isFalse();
            assertThat(gone.call().state()).isEqualTo(CallState.ACTIVE);
            f.assertIgnored(gone.call(), detach(BOB));

            Transition back = f.apply(gone.call(), resume(BOB));

            assertThat(back.effects()).containsExactly(toUser("alice", callResumed("bob")));
            assertThat(back.call()).isEqualTo(call);
        }

        @Test
        void detached_caller_device_makes_the_invitee_see_reconnecting_then_resumed() {
            Transition gone = f.apply(call, detach(ALICE));

            assertThat(gone.effects()).containsExactly(toDevice(BOB, callReconnecting("alice")));

            Transition back = f.apply(gone.call(), resume(ALICE));

            assertThat(back.effects()).containsExactly(toDevice(BOB, callResumed("alice")));
        }

        @Test
        void devices_that_are_not_in_the_call_do_not_change_it() {
            f.assertIgnored(call, detach(BOB_2));
            f.assertIgnored(call, detach(ALICE_2));
            f.assertIgnored(call, resume(BOB));
            f.assertIgnored(call, lost(BOB_2, true));
            f.assertIgnored(call, logout(ALICE_2, true));
        }

        @Test
        void invitee_device_lost_ends_the_call_connection_lost() {
            f.advance(5_000);

            Transition t = f.apply(call, lost(BOB, true));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.CONNECTION_LOST, "bob", 5_000)),
                    toDevice(BOB, callEnded(EndReason.CONNECTION_LOST, "bob", 5_000)));
        }

        @Test
        void invitee_device_logout_hangs_up() {
            Transition t = f.apply(call, logout(BOB, false));

            assertThat(t.call().endReason()).isEqualTo(EndReason.HANGUP);
            assertThat(t.call().endedBy()).isEqualTo("bob");
        }

        @Test
        void caller_device_lost_ends_the_call_connection_lost() {
            Transition t = f.apply(call, lost(ALICE, false));

            assertThat(t.call().endReason()).isEqualTo(EndReason.CONNECTION_LOST);
            assertThat(t.call().endedBy()).isEqualTo("alice");
        }

        @Test
        void caller_device_logout_hangs_up() {
            Transition t = f.apply(call, logout(ALICE, true));

            assertThat(t.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.HANGUP, "alice", 0)),
                    toDevice(BOB, callEnded(EndReason.HANGUP, "alice", 0)));
        }
    }

    // ================================================================================================
    @Nested
    class Ended {

        /** bob hung up an active call. */
        private final Call call = f.ended();

        static Stream<Action> actionsOfEveryoneInTheCall() {
            return Stream.of(userActions(ALICE, "bob"), userActions(BOB, "alice"), userActions(BOB_2, "alice"))
                    .flatMap(List::stream);
        }

        @ParameterizedTest
        @MethodSource("actionsOfEveryoneInTheCall")
        void every_user_action_is_invalid_state_saying_how_the_call_ended(Action action) {
            var rejection = f.reject(call, action, ErrorCode.INVALID_STATE);

            assertThat(rejection.message()).isEqualTo("call c-1 has ended (hangup by bob)");
        }

        @Test
        void a_call_that_ended_without_a_user_says_so_without_a_by() {
            CallFixture fresh = new CallFixture();
            Call ringing = fresh.ringing();
            fresh.advance(RING_MS);
            Call timedOut = fresh.apply(ringing, wake()).call();

            assertThat(fresh.reject(timedOut, accept(BOB), ErrorCode.INVALID_STATE).message())
                    .isEqualTo("call c-1 has ended (no_answer)");
        }

        @Test
        void an_accept_that_crossed_a_cancel_says_the_call_was_canceled() {
            CallFixture fresh = new CallFixture();
            Call canceled = fresh.apply(fresh.ringing(), cancel(ALICE)).call();

            assertThat(fresh.reject(canceled, accept(BOB), ErrorCode.INVALID_STATE).message())
                    .isEqualTo("call c-1 has ended (canceled by alice)");
        }

        @Test
        void timers_and_session_changes_do_nothing_and_never_end_it_twice() {
            f.advance(RING_MS * 3);
            f.assertIgnored(call, wake());
            f.assertIgnored(call, detach(ALICE));
            f.assertIgnored(call, detach(BOB));
            f.assertIgnored(call, resume(ALICE));
            f.assertIgnored(call, resume(BOB));
            f.assertIgnored(call, lost(ALICE, false));
            f.assertIgnored(call, lost(BOB, false));
            f.assertIgnored(call, logout(ALICE, true));
            f.assertIgnored(call, logout(BOB, false));
        }

        @Test
        void the_ended_call_keeps_its_facts() {
            assertThat(call.state()).isEqualTo(CallState.ENDED);
            assertThat(call.endReason()).isEqualTo(EndReason.HANGUP);
            assertThat(call.endedBy()).isEqualTo("bob");
            assertThat(call.roomId()).isEqualTo(ROOM);
            assertThat(call.parties()).extracting(Party::state)
                    .containsExactly(ParticipantState.LEFT, ParticipantState.LEFT);
        }
    }

    // ================================================================================================
    /** The per-party states the table does not show: invited, declined (while others ring), left. */
    @Nested
    class PartyStates {

        @Test
        void an_invited_invitee_whose_device_was_detached_can_still_accept() {
            Call call = f.create(freeNotDelivered("bob")).call();

            Transition t = f.apply(call, accept(BOB));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.effects()).contains(toUser("alice", callAccepted("bob")));
        }

        @Test
        void an_invited_invitee_can_decline_and_times_out_like_a_ringing_one() {
            Call call = f.create(freeNotDelivered("bob")).call();

            assertThat(f.apply(call, decline(BOB, DeclineReason.REFUSED)).call().endReason())
                    .isEqualTo(EndReason.DECLINED);
            f.advance(RING_MS);
            assertThat(f.apply(call, wake()).call().endReason()).isEqualTo(EndReason.NO_ANSWER);
        }

        @Test
        void an_invited_invitee_whose_device_resumes_starts_ringing_and_the_caller_hears_it_once() {
            Call call = f.create(freeNotDelivered("bob")).call();

            Transition t = f.apply(call, resume(BOB));

            assertThat(t.call().party("bob").state()).isEqualTo(ParticipantState.RINGING);
            assertThat(t.effects()).containsExactly(toUser("alice", callRinging("bob")));
            f.assertIgnored(t.call(), resume(BOB));
        }

        @Test
        void a_declined_invitee_of_a_call_that_still_rings_can_do_nothing_more() {
            Call call = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.REFUSED)).call();
            assertThat(call.state()).isEqualTo(CallState.RINGING);
            assertThat(call.party("bob").state()).isEqualTo(ParticipantState.DECLINED);

            assertThat(f.reject(call, accept(BOB), ErrorCode.INVALID_STATE).message())
                    .isEqualTo("you are declined in call c-1");
            f.reject(call, decline(BOB, DeclineReason.REFUSED), ErrorCode.INVALID_STATE);
            f.reject(call, cancel(BOB), ErrorCode.INVALID_STATE);
            f.reject(call, hangup(BOB), ErrorCode.INVALID_STATE);
            f.reject(call, hold(BOB), ErrorCode.INVALID_STATE);
            f.reject(call, unhold(BOB), ErrorCode.INVALID_STATE);
            f.reject(call, signal(BOB, "alice"), ErrorCode.INVALID_STATE);
        }

        @Test
        void session_changes_of_a_declined_invitee_change_nothing() {
            Call call = f.apply(f.ringingGroup(), decline(BOB, DeclineReason.REFUSED)).call();

            f.assertIgnored(call, detach(BOB));
            f.assertIgnored(call, resume(BOB));
            f.assertIgnored(call, lost(BOB, false));
            f.assertIgnored(call, logout(BOB, false));
        }

        @Test
        void the_first_accept_of_a_group_call_starts_it_and_the_others_keep_ringing() {
            Transition t = f.apply(f.ringingGroup(), accept(BOB));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().party("carol").state()).isEqualTo(ParticipantState.RINGING);
            assertThat(t.effects()).doesNotContain(toUser("carol", callCanceled(CancelReason.CANCELED)));
        }

        @Test
        void after_the_end_joined_parties_have_left_and_ringing_ones_are_declined_without_a_reason() {
            Call active = f.apply(f.ringingGroup(), accept(BOB)).call();
            Call aliceLeft = f.apply(active, hangup(ALICE)).call();

            Call ended = f.apply(aliceLeft, hangup(BOB)).call();

            assertThat(ended.party("alice").state()).isEqualTo(ParticipantState.LEFT);
            assertThat(ended.party("bob").state()).isEqualTo(ParticipantState.LEFT);
            assertThat(ended.party("carol").state()).isEqualTo(ParticipantState.DECLINED);
            assertThat(ended.party("carol").declineReason()).isNull();
            f.reject(ended, hangup(CAROL), ErrorCode.INVALID_STATE);
        }
    }
}
