package dev.dialtone.core;

import static dev.dialtone.core.CallFixture.ALICE;
import static dev.dialtone.core.CallFixture.BOB;
import static dev.dialtone.core.CallFixture.BOB_2;
import static dev.dialtone.core.CallFixture.CAROL;
import static dev.dialtone.core.CallFixture.T0;
import static dev.dialtone.core.CallFixture.RING_MS;
import static dev.dialtone.core.CallFixture.accept;
import static dev.dialtone.core.CallFixture.callCanceled;
import static dev.dialtone.core.CallFixture.callEnded;
import static dev.dialtone.core.CallFixture.callIncoming;
import static dev.dialtone.core.CallFixture.callRinging;
import static dev.dialtone.core.CallFixture.free;
import static dev.dialtone.core.CallFixture.freeNotDelivered;
import static dev.dialtone.core.CallFixture.hangup;
import static dev.dialtone.core.CallFixture.toDevice;
import static dev.dialtone.core.CallFixture.toUser;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ParticipantState;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The actions the server itself takes on a call: a new device signing in, and a forced end. */
class CallMachineServerActionsTest {
    private final CallFixture f = new CallFixture();

    private static Action signedIn(Actor actor) {
        return new Action.SignedIn(actor.user(), actor.session());
    }

    private static Action forceEnd(EndReason reason) {
        return new Action.ForceEnd(reason);
    }

    @Nested
    class SignedIn {

        @Test
        void an_invite_that_reached_no_device_rings_the_new_one_and_the_caller_hears_ringing() {
            Call call = f.create(freeNotDelivered("bob")).call();
            assertThat(call.party("bob").state()).isEqualTo(ParticipantState.INVITED);

            Transition t = f.apply(call, signedIn(BOB));

            assertThat(t.call().party("bob").state()).isEqualTo(ParticipantState.RINGING);
            assertThat(t.effects()).containsExactly(
                    toDevice(BOB, callIncoming(List.of("bob"), T0 + RING_MS, null)),
                    toUser("alice", callRinging("bob")));
        }

        @Test
        void a_second_device_of_a_ringing_invitee_rings_too_without_a_second_ringing_event() {
            Call call = f.ringing();

            Transition t = f.apply(call, signedIn(BOB_2));

            assertThat(t.call()).isEqualTo(call);
            assertThat(t.effects()).containsExactly(
                    toDevice(BOB_2, callIncoming(List.of("bob"), T0 + RING_MS, null)));
        }

        @Test
        void the_new_device_hears_the_remaining_ring_time_not_a_fresh_one() {
            Call call = f.ringing();
            f.advance(10_000);

            Transition t = f.apply(call, signedIn(BOB_2));

            assertThat(t.effects()).containsExactly(
                    toDevice(BOB_2, callIncoming(List.of("bob"), T0 + RING_MS, null)));
        }

        @Test
        void users_who_joined_declined_or_have_no_part_are_not_rung() {
            Call active = f.active();
            f.assertIgnored(active, signedIn(BOB_2));
            f.assertIgnored(active, signedIn(ALICE));
            f.assertIgnored(active, signedIn(CAROL));
        }

        @Test
        void in_an_active_group_call_an_invitee_still_ringing_is_rung_on_the_new_device() {
            Call call = f.create(free("bob"), freeNotDelivered("carol")).call();
            Call active = f.apply(call, accept(BOB)).call();

            Transition t = f.apply(active, signedIn(CAROL));

            assertThat(t.call().party("carol").state()).isEqualTo(ParticipantState.RINGING);
            assertThat(t.effects()).containsExactly(
                    toDevice(CAROL, callIncoming(List.of("bob", "carol"), T0 + RING_MS, null)),
                    toUser("alice", callRinging("carol")),
                    toDevice(BOB, callRinging("carol")));
        }

        @Test
        void an_ended_call_rings_nobody() {
            f.assertIgnored(f.ended(), signedIn(BOB_2));
        }
    }

    @Nested
    class ForceEnd {

        @Test
        void a_ringing_call_ends_forced_for_the_caller_and_stops_ringing_for_the_invitee() {
            Transition t = f.apply(f.ringing(), forceEnd(EndReason.FORCED));

            assertThat(t.call().state()).isEqualTo(CallState.ENDED);
            assertThat(t.call().endReason()).isEqualTo(EndReason.FORCED);
            assertThat(t.call().endedBy()).isNull();
            assertThat(t.effects()).containsExactly(
                    toUser("bob", callCanceled(CancelReason.CANCELED)),
                    toUser("alice", callEnded(EndReason.FORCED, null, 0)));
        }

        @Test
        void an_active_call_ends_forced_for_everyone_in_it_with_its_duration() {
            Call active = f.active();
            f.advance(5_000);

            Transition t = f.apply(active, forceEnd(EndReason.FORCED));

            assertThat(t.call().endReason()).isEqualTo(EndReason.FORCED);
            assertThat(t.call().durationMs()).isEqualTo(5_000);
            assertThat(t.effects()).containsExactly(
                    toUser("alice", callEnded(EndReason.FORCED, null, 5_000)),
                    toDevice(BOB, callEnded(EndReason.FORCED, null, 5_000)));
        }

        @Test
        void a_group_call_member_who_had_left_hears_nothing_more() {
            Call group = f.apply(f.ringingGroup(), accept(BOB)).call();
            group = f.apply(group, accept(CAROL)).call();
            group = f.apply(group, hangup(CAROL)).call();

            Transition t = f.apply(group, forceEnd(EndReason.FORCED));

            assertThat(t.effects()).extracting(e -> ((Effect.Send) e).to())
                    .containsExactly(new Target.User("alice"), new Target.Session("bob", "b1"));
        }

        @Test
        void an_ended_call_is_never_ended_twice() {
            f.assertIgnored(f.ended(), forceEnd(EndReason.FORCED));
        }
    }
}
