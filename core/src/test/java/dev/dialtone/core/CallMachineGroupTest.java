package dev.dialtone.core;

import static dev.dialtone.core.CallFixture.ALICE;
import static dev.dialtone.core.CallFixture.BOB;
import static dev.dialtone.core.CallFixture.CALL;
import static dev.dialtone.core.CallFixture.CAROL;
import static dev.dialtone.core.CallFixture.MALLORY;
import static dev.dialtone.core.CallFixture.RING_MS;
import static dev.dialtone.core.CallFixture.accept;
import static dev.dialtone.core.CallFixture.busy;
import static dev.dialtone.core.CallFixture.callDeclined;
import static dev.dialtone.core.CallFixture.callEnded;
import static dev.dialtone.core.CallFixture.decline;
import static dev.dialtone.core.CallFixture.free;
import static dev.dialtone.core.CallFixture.hangup;
import static dev.dialtone.core.CallFixture.hold;
import static dev.dialtone.core.CallFixture.lost;
import static dev.dialtone.core.CallFixture.offline;
import static dev.dialtone.core.CallFixture.toDevice;
import static dev.dialtone.core.CallFixture.toUser;
import static dev.dialtone.core.CallFixture.wake;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.ParticipantState;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The group-call rules: later joins, invite more, join again, leaving, and the last two. */
class CallMachineGroupTest {
    private static final Actor DAVE = new Actor("dave", "d1");
    private final CallFixture f = new CallFixture();

    /** alice calls bob and carol; bob accepts; carol still rings. */
    private Call activeWithCarolRinging() {
        return f.apply(f.ringingGroup(), accept(BOB)).call();
    }

    /** alice, bob and carol all in the call. */
    private Call threeWay() {
        return f.apply(activeWithCarolRinging(), accept(CAROL)).call();
    }

    private static Action inviteMore(Actor actor, Invitation... invitations) {
        return new Action.InviteMore(actor, List.of(invitations));
    }

    @Nested
    class LaterJoins {
        @Test
        void the_first_acceptance_starts_the_call_and_the_others_keep_ringing() {
            Call call = activeWithCarolRinging();
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            assertThat(call.party("carol").state()).isEqualTo(ParticipantState.RINGING);
        }

        @Test
        void a_later_acceptance_joins_the_active_call() {
            Transition t = f.apply(activeWithCarolRinging(), accept(CAROL));

            assertThat(t.call().party("carol").joined()).isTrue();
            assertThat(t.effects()).containsExactly(
                    toUser("alice", new Event.CallAccepted(CALL, "carol", CallFixture.ANSWER_PAYLOAD)),
                    toDevice(BOB, new Event.CallAccepted(CALL, "carol", CallFixture.ANSWER_PAYLOAD)),
                    new Effect.Send(new Target.UserExcept("carol", "k1"),
                            new Event.CallCanceled(CALL, CancelReason.ANSWERED_ELSEWHERE)),
                    toUser("alice", new Event.CallParticipantJoined(CALL, "carol")),
                    toDevice(BOB, new Event.CallParticipantJoined(CALL, "carol")),
                    toDevice(CAROL, new Event.CallStarted(CALL, "r-1", List.of("alice", "bob", "carol"))));
        }

        @Test
        void a_late_invitee_declining_leaves_the_active_call_going() {
            Transition t = f.apply(activeWithCarolRinging(), decline(CAROL, DeclineReason.REFUSED));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.effects()).contains(toUser("alice", callDeclined("carol", DeclineReason.REFUSED, null)),
                    toDevice(BOB, callDeclined("carol", DeclineReason.REFUSED, null)));
        }

        @Test
        void a_late_invitee_who_does_not_answer_is_declined_and_the_call_goes_on() {
            Call call = activeWithCarolRinging();
            f.advance(RING_MS);

            Transition t = f.apply(call, wake());

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().party("carol").declineReason()).isEqualTo(DeclineReason.NO_ANSWER);
        }
    }

    @Nested
    class InviteMore {
        @Test
        void a_joined_participant_rings_more_users_and_hears_how_they_fare() {
            Transition t = f.apply(threeWay(), inviteMore(BOB, free("dave"), busy("erin"), offline("fay")));

            assertThat(t.call().party("dave").state()).isEqualTo(ParticipantState.RINGING);
            assertThat(t.call().party("erin").declineReason()).isEqualTo(DeclineReason.BUSY);
            assertThat(t.call().party("fay").declineReason()).isEqualTo(DeclineReason.OFFLINE);
            assertThat(t.effects()).contains(
                    toUser("alice", new Event.CallRinging(CALL, "dave")),
                    toDevice(BOB, new Event.CallRinging(CALL, "dave")),
                    toDevice(CAROL, new Event.CallRinging(CALL, "dave")),
                    toDevice(BOB, callDeclined("erin", DeclineReason.BUSY, null)),
                    new Effect.WakeAt(CALL, f.now + RING_MS));
            assertThat(t.effects()).anySatisfy(e -> assertThat(((Effect.Send) e).event())
                    .isInstanceOf(Event.CallIncoming.class));
        }

        @Test
        void a_participant_who_joins_later_hears_who_holds_the_call() {
            Call held = f.apply(activeWithCarolRinging(), hold(BOB)).call();

            Transition t = f.apply(held, accept(CAROL));

            assertThat(t.effects()).contains(toDevice(CAROL, new Event.CallHoldChanged(CALL, "bob", true)));
        }

        @Test
        void the_new_invitee_can_accept_and_join() {
            Call call = f.apply(threeWay(), inviteMore(BOB, free("dave"))).call();

            Transition t = f.apply(call, accept(DAVE));

            assertThat(t.call().joinedParties()).extracting(Party::user).containsExactly("alice", "bob", "carol", "dave");
        }

        @Test
        void only_joined_participants_of_an_active_call_invite_more() {
            f.reject(f.ringingGroup(), inviteMore(ALICE, free("dave")), ErrorCode.INVALID_STATE);
            f.reject(activeWithCarolRinging(), inviteMore(CAROL, free("dave")), ErrorCode.INVALID_STATE);
            f.reject(threeWay(), inviteMore(MALLORY, free("dave")), ErrorCode.NOT_FOUND);
        }

        @Test
        void inviting_only_people_already_in_the_call_is_invalid_state() {
            f.reject(threeWay(), inviteMore(ALICE, free("bob")), ErrorCode.INVALID_STATE);
        }

        @Test
        void the_invitee_limit_counts_every_invite() {
            CallFixture small = new CallFixture(new CallPolicy(BusyPolicy.REJECT, true, RING_MS, 3));
            Call call = small.apply(small.apply(small.ringingGroup(), accept(BOB)).call(), accept(CAROL)).call();

            small.reject(call, inviteMore(BOB, free("dave"), free("erin")), ErrorCode.BAD_REQUEST);
            small.apply(call, inviteMore(BOB, free("dave")));
        }
    }

    @Nested
    class Leaving {
        @Test
        void hanging_up_in_a_group_means_leaving() {
            Transition t = f.apply(threeWay(), hangup(CAROL));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().party("carol").state()).isEqualTo(ParticipantState.LEFT);
            assertThat(t.effects()).containsExactly(
                    toDevice(CAROL, new Event.CallEnded(CALL, EndReason.HANGUP, "carol", 0)),
                    toUser("alice", new Event.CallParticipantLeft(CALL, "carol", LeaveReason.HANGUP)),
                    toDevice(BOB, new Event.CallParticipantLeft(CALL, "carol", LeaveReason.HANGUP)));
        }

        @Test
        void the_caller_may_leave_and_the_others_go_on() {
            Transition t = f.apply(threeWay(), hangup(ALICE));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().joinedParties()).extracting(Party::user).containsExactly("bob", "carol");
        }

        @Test
        void when_the_last_two_part_the_call_ends_for_the_remaining_one() {
            Call two = f.apply(threeWay(), hangup(CAROL)).call();

            Transition t = f.apply(two, hangup(BOB));

            assertThat(t.call().state()).isEqualTo(CallState.ENDED);
            assertThat(t.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.HANGUP, "bob", 0)),
                    toDevice(BOB, callEnded(EndReason.HANGUP, "bob", 0)));
        }

        @Test
        void one_left_with_someone_still_ringing_keeps_the_call() {
            Transition t = f.apply(activeWithCarolRinging(), hangup(BOB));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.call().party("carol").pending()).isTrue();
        }

        @Test
        void a_participant_lost_for_good_is_reported_as_left_with_connection_lost() {
            Transition t = f.apply(threeWay(), lost(CAROL, false));

            assertThat(t.call().state()).isEqualTo(CallState.ACTIVE);
            assertThat(t.effects()).contains(
                    toUser("alice", new Event.CallParticipantLeft(CALL, "carol", LeaveReason.CONNECTION_LOST)));
        }

        @Test
        void hold_rules_apply_per_participant() {
            Call held = f.apply(threeWay(), hold(BOB)).call();
            f.reject(held, new Action.Unhold(CAROL), ErrorCode.NOT_HOLDER);
            assertThat(f.apply(held, hold(CAROL)).call().joinedParties()).filteredOn(Party::held).hasSize(2);
        }
    }

    @Nested
    class JoinAgain {
        @Test
        void a_user_who_declined_joins_the_active_call_again() {
            Call declined = f.apply(activeWithCarolRinging(), decline(CAROL, DeclineReason.REFUSED)).call();

            Transition t = f.apply(declined, new Action.Join(CAROL));

            assertThat(t.call().party("carol").joined()).isTrue();
            assertThat(t.effects()).contains(
                    toUser("alice", new Event.CallParticipantJoined(CALL, "carol")),
                    toDevice(CAROL, new Event.CallStarted(CALL, "r-1", List.of("alice", "bob", "carol"))));
        }

        @Test
        void a_user_who_left_joins_again() {
            Call left = f.apply(threeWay(), hangup(CAROL)).call();

            assertThat(f.apply(left, new Action.Join(CAROL)).call().party("carol").joined()).isTrue();
        }

        @Test
        void a_ringing_invitee_joining_is_an_accept() {
            assertThat(f.apply(activeWithCarolRinging(), new Action.Join(CAROL)).call().party("carol").joined())
                    .isTrue();
        }

        @Test
        void joining_is_refused_when_already_in_or_before_the_call_is_active_or_after_it_ended() {
            f.reject(threeWay(), new Action.Join(CAROL), ErrorCode.INVALID_STATE);
            Call ringingDeclined = f.apply(f.ringingGroup(), decline(CAROL, DeclineReason.REFUSED)).call();
            f.reject(ringingDeclined, new Action.Join(CAROL), ErrorCode.INVALID_STATE);
            Call two = f.apply(threeWay(), hangup(CAROL)).call();
            Call ended = f.apply(two, hangup(BOB)).call();
            f.reject(ended, new Action.Join(CAROL), ErrorCode.INVALID_STATE);
            f.reject(threeWay(), new Action.Join(MALLORY), ErrorCode.NOT_FOUND);
        }
    }
}
