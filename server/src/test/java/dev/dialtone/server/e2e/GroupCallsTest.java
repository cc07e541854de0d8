package dev.dialtone.server.e2e;

import static dev.dialtone.server.e2e.OneToOneCallsTest.failure;
import static dev.dialtone.server.e2e.OneToOneCallsTest.json;
import static dev.dialtone.server.e2e.OneToOneCallsTest.name;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.server.DialtoneServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group calls end to end: three to five SDK clients over real WebSockets against a running server.
 * Each user's view (callbacks, {@link Call#participants()}, holds) is checked, and where it matters
 * the exact story of callbacks a phone heard for the call.
 */
class GroupCallsTest {
    /** Long enough for the outages the tests stage, short enough to test a loss for good quickly. */
    private static final long WINDOW_MS = 2_000;
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(OneToOneCallsTest.config().maxInvitees(5).resumeWindowMs(WINDOW_MS)
                .heartbeatMs(1_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The first callback of a kind about this very {@code Call} object (a re-joined call is a new one). */
    private static Phone.Heard awaitOn(Phone phone, String what, Call call) {
        return phone.await(what, h -> h.call() == call);
    }

    private static Phone.Heard awaitAbout(Phone phone, String what, Call call, String user) {
        return phone.await(what, h -> call.id().equals(h.callId()) && user.equals(h.user()));
    }

    private static long countAbout(Phone phone, String what, Call call, String user) {
        return phone.heard().stream()
                .filter(h -> h.what().equals(what) && call.id().equals(h.callId()) && user.equals(h.user())).count();
    }

    @SuppressWarnings("unchecked")
    private static List<String> participantsOf(Phone.Heard started) {
        return (List<String>) started.extra();
    }

    private static Map<String, ParticipantState> serverStates(Phone phone, String callId) {
        CallSnapshot snapshot = phone.client.listCalls().join().stream().filter(s -> s.callId().equals(callId))
                .findFirst().orElseThrow();
        return snapshot.participants().stream()
                .collect(Collectors.toMap(CallSnapshot.Participant::user, CallSnapshot.Participant::state));
    }

    private static Phone.Heard awaitLong(Phone phone, String what, java.util.function.Predicate<Phone.Heard> matching) {
        return Awaitility.await().atMost(Duration.ofMillis(WINDOW_MS * 4)).until(
                () -> phone.heard().stream().filter(h -> h.what().equals(what) && matching.test(h)).findFirst()
                        .orElse(null), h -> h != null);
    }

    @Test
    void oneAcceptsOneDeclinesOneLetsItRingOutAndTheCallGoesOnUntilTheOtherLeaves() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"));
             Phone dave = Phone.signIn(server, name("dave"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user, dave.user)
                    .timeout(Duration.ofSeconds(1))).join();
            Call bobCall = bob.awaitIncoming();
            Call carolCall = carol.awaitIncoming();
            Call daveCall = dave.awaitIncoming();
            assertThat(carolCall.invitees()).containsExactly(bob.user, carol.user, dave.user);
            assertThat(daveCall.caller()).isEqualTo(alice.user);

            bobCall.accept().join();
            assertThat(participantsOf(alice.await("started", call.id()))).containsExactly(alice.user, bob.user);
            assertThat(participantsOf(bob.await("started", call.id()))).containsExactly(alice.user, bob.user);
            carolCall.decline().join();

            Phone.Heard refused = awaitAbout(alice, "declined", call, carol.user);
            assertThat(refused.detail()).isEqualTo(DeclineReason.REFUSED);
            assertThat(carol.await("ended", call.id()).detail()).isEqualTo(EndReason.DECLINED);

            // Dave let it ring: one second later he is missed, and the call goes on without him.
            assertThat(dave.await("canceled", call.id()).detail()).isEqualTo(CancelReason.NO_ANSWER);
            assertThat(dave.await("ended", call.id()).detail()).isEqualTo(EndReason.NO_ANSWER);
            assertThat(awaitAbout(alice, "declined", call, dave.user).detail()).isEqualTo(DeclineReason.NO_ANSWER);
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            assertThat(bobCall.state()).isEqualTo(CallState.ACTIVE);
            assertThat(call.participants()).containsExactly(alice.user, bob.user);
            assertThat(call.invitees()).containsExactly(bob.user, carol.user, dave.user);
            assertThat(serverStates(bob, call.id())).containsExactlyInAnyOrderEntriesOf(Map.of(
                    alice.user, ParticipantState.JOINED, bob.user, ParticipantState.JOINED,
                    carol.user, ParticipantState.DECLINED, dave.user, ParticipantState.DECLINED));

            // Two remain: when one of them leaves, the call ends for the other too.
            bobCall.hangup().join();
            Phone.Heard ended = alice.await("ended", call.id());
            assertThat(ended.detail()).isEqualTo(EndReason.HANGUP);
            assertThat(ended.user()).isEqualTo(bob.user);
            assertThat(bob.await("ended", call.id()).user()).isEqualTo(bob.user);

            alice.assertNothingMoreFor(call.id(), List.of("ringing", "ringing", "ringing", "accepted", "started",
                    "declined", "declined", "ended"));
            // Once active, everyone in the call hears how the other invitees fare.
            bob.assertNothingMoreFor(call.id(), List.of("incoming", "started", "declined", "declined", "ended"));
            carol.assertNothingMoreFor(call.id(), List.of("incoming", "ended"));
            dave.assertNothingMoreFor(call.id(), List.of("incoming", "canceled", "ended"));
            assertThat(alice.client.calls()).isEmpty();
        }
    }

    @Test
    void aLaterAcceptInviteMoreLeaveJoinAgainAndTheLastTwoParting() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"));
             Phone erin = Phone.signIn(server, name("erin"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user)).join();
            Call bobCall = bob.awaitIncoming();
            Call carolCall = carol.awaitIncoming();
            bobCall.accept().join();
            alice.await("started", call.id());
            bob.await("started", call.id());

            // Carol, still ringing, accepts later and joins the active call.
            carolCall.accept().join();
            assertThat(participantsOf(carol.await("started", call.id())))
                    .containsExactly(alice.user, bob.user, carol.user);
            awaitAbout(alice, "joined", call, carol.user);
            awaitAbout(bob, "joined", call, carol.user);
            assertThat(call.participants()).containsExactly(alice.user, bob.user, carol.user);
            assertThat(bobCall.participants()).containsExactly(alice.user, bob.user, carol.user);

            // Any participant rings more users in: bob invites erin.
            bobCall.inviteMore(erin.user).join();
            Call erinCall = erin.awaitIncoming();
            assertThat(erinCall.id()).isEqualTo(call.id());
            assertThat(erinCall.caller()).isEqualTo(alice.user);
            awaitAbout(alice, "ringing", call, erin.user);
            awaitAbout(bob, "ringing", call, erin.user);
            erinCall.accept().join();
            assertThat(participantsOf(erin.await("started", call.id())))
                    .containsExactly(alice.user, bob.user, carol.user, erin.user);
            for (Phone phone : List.of(alice, bob, carol)) {
                awaitAbout(phone, "accepted", call, erin.user);
                awaitAbout(phone, "joined", call, erin.user);
            }
            assertThat(carolCall.participants()).containsExactly(alice.user, bob.user, carol.user, erin.user);
            assertThat(call.invitees()).containsExactly(bob.user, carol.user); // as first learned

            // Bob leaves: the call ends for bob only.
            bobCall.hangup().join();
            Phone.Heard bobEnded = awaitOn(bob, "ended", bobCall);
            assertThat(bobEnded.detail()).isEqualTo(EndReason.HANGUP);
            assertThat(bobEnded.user()).isEqualTo(bob.user);
            assertThat(bobCall.state()).isEqualTo(CallState.ENDED);
            assertThat(bob.client.calls()).isEmpty();
            for (Phone phone : List.of(alice, carol, erin)) {
                assertThat(awaitAbout(phone, "left", call, bob.user).detail()).isEqualTo(LeaveReason.HANGUP);
            }
            assertThat(call.participants()).containsExactly(alice.user, carol.user, erin.user);
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);

            // …and joins again: a new Call object with the same facts.
            Call again = bob.client.joinCall(call.id()).join();
            assertThat(again).isNotSameAs(bobCall);
            assertThat(again.id()).isEqualTo(call.id());
            assertThat(again.state()).isEqualTo(CallState.ACTIVE);
            assertThat(again.caller()).isEqualTo(alice.user);
            assertThat(again.roomId()).isEqualTo(call.roomId());
            // The server lists the participants in the call's order (caller, then invitees as invited),
            // not in the order they joined; the others append bob to their lists.
            assertThat(participantsOf(awaitOn(bob, "started", again)))
                    .containsExactlyInAnyOrder(alice.user, carol.user, erin.user, bob.user);
            assertThat(again.participants()).containsExactlyInAnyOrder(alice.user, carol.user, erin.user, bob.user);
            for (Phone phone : List.of(alice, carol, erin)) {
                awaitAbout(phone, "joined", call, bob.user);
            }
            assertThat(bob.client.calls()).containsExactly(again);
            assertThat(failure(() -> bob.client.joinCall(call.id()).join()).code()).isEqualTo(ErrorCode.INVALID_STATE);

            // Down to the last two: alice and erin leave, then carol; bob is left alone and the call ends.
            call.hangup().join();
            awaitAbout(bob, "left", call, alice.user);
            erinCall.hangup().join();
            awaitAbout(bob, "left", call, erin.user);
            awaitAbout(carol, "left", call, erin.user);
            assertThat(again.participants()).containsExactlyInAnyOrder(carol.user, bob.user);
            carolCall.hangup().join();
            Phone.Heard lastEnd = awaitOn(bob, "ended", again);
            assertThat(lastEnd.detail()).isEqualTo(EndReason.HANGUP);
            assertThat(lastEnd.user()).isEqualTo(carol.user);
            assertThat((long) lastEnd.extra()).isPositive();
            assertThat(failure(() -> bob.client.joinCall(call.id()).join()).code()).isEqualTo(ErrorCode.INVALID_STATE);

            alice.assertNothingMoreFor(call.id(), List.of("ringing", "ringing", "accepted", "started", "accepted",
                    "joined", "ringing", "accepted", "joined", "left", "joined", "ended"));
            bob.assertNothingMoreFor(call.id(), List.of("incoming", "started", "accepted", "joined", "ringing",
                    "accepted", "joined", "ended", "started", "left", "left", "ended"));
            carol.assertNothingMoreFor(call.id(), List.of("incoming", "started", "ringing", "accepted", "joined",
                    "left", "joined", "left", "left", "ended"));
            erin.assertNothingMoreFor(call.id(), List.of("incoming", "started", "left", "joined", "left", "ended"));
            assertThat(countAbout(bob, "left", call, carol.user)).isZero();
        }
    }

    @Test
    void aUserInAnotherCallIsDeclinedBusyWhileTheGroupCallGoesOnAndCanBeRungAgainOnceFree() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone dave = Phone.signIn(server, name("dave"));
             Phone erin = Phone.signIn(server, name("erin"))) {
            Call other = dave.client.invite(InviteOptions.to(erin.user)).join();
            Call erinOther = erin.awaitIncoming();
            erinOther.accept().join();
            dave.await("started", other.id());

            Call call = alice.client.invite(InviteOptions.to(bob.user, dave.user)).join();
            assertThat(awaitAbout(alice, "declined", call, dave.user).detail()).isEqualTo(DeclineReason.BUSY);
            Call bobCall = bob.awaitIncoming();
            assertThat(call.state()).isEqualTo(CallState.RINGING);
            bobCall.accept().join();
            alice.await("started", call.id());

            // Bob rings erin in, who is busy as well: both the caller and the inviter hear it.
            bobCall.inviteMore(erin.user).join();
            assertThat(awaitAbout(bob, "declined", call, erin.user).detail()).isEqualTo(DeclineReason.BUSY);
            assertThat(awaitAbout(alice, "declined", call, erin.user).detail()).isEqualTo(DeclineReason.BUSY);

            // The group call goes on, and so does the other call.
            call.hold().join();
            awaitAbout(bob, "hold", call, alice.user);
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            assertThat(call.participants()).containsExactly(alice.user, bob.user);
            assertThat(other.state()).isEqualTo(CallState.ACTIVE);
            assertThat(dave.count("incoming", call.id())).isZero();
            assertThat(erin.count("incoming", call.id())).isZero();

            // Once dave is free, ringing him again works.
            other.hangup().join();
            erin.await("ended", other.id());
            call.inviteMore(dave.user).join();
            Call daveCall = dave.awaitIncoming();
            assertThat(daveCall.id()).isEqualTo(call.id());
            daveCall.accept().join();
            awaitAbout(alice, "joined", call, dave.user);
            awaitAbout(bob, "joined", call, dave.user);
            assertThat(participantsOf(dave.await("started", call.id())))
                    .containsExactly(alice.user, bob.user, dave.user);
        }
    }

    @Test
    void aParticipantCutOffResumesWhileTheOthersTalkAndHearsTheHoldsOfMeanwhileExactlyOnce() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signInVia(proxy, server, name("carol"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user)).join();
            Call bobCall = bob.awaitIncoming();
            Call carolCall = carol.awaitIncoming();
            bobCall.accept().join();
            alice.await("started", call.id());
            carolCall.accept().join();
            carol.await("started", call.id());
            awaitAbout(bob, "joined", call, carol.user);

            proxy.blackHole();
            proxy.cut();
            carol.await("resuming");
            awaitAbout(alice, "reconnecting", call, carol.user);
            awaitAbout(bob, "reconnecting", call, carol.user);
            assertThat(call.isReconnecting(carol.user)).isTrue();

            // Meanwhile the others talk: holds, and a signal between them.
            call.hold().join();
            bobCall.hold().join();
            call.unhold().join();
            call.signal(bob.user, json("sdp", "renegotiate")).join();
            assertThat(((JsonNode) bob.await("signal", call.id()).detail()).path("sdp").asText())
                    .isEqualTo("renegotiate");

            proxy.restore();
            carol.await("resumed-session");
            awaitAbout(alice, "resumed", call, carol.user);
            awaitAbout(bob, "resumed", call, carol.user);
            assertThat(call.isReconnecting(carol.user)).isFalse();

            carol.assertNothingMoreFor(call.id(), List.of("incoming", "started", "hold", "hold", "hold"));
            List<String> holds = carol.heard().stream().filter(h -> h.what().equals("hold"))
                    .map(h -> h.user() + "=" + h.detail()).toList();
            assertThat(holds).containsExactly(alice.user + "=true", bob.user + "=true", alice.user + "=false");
            assertThat(carolCall.heldBy()).containsExactly(bob.user);
            assertThat(carolCall.state()).isEqualTo(CallState.ACTIVE);
            assertThat(carolCall.participants()).containsExactly(alice.user, bob.user, carol.user);
            assertThat(carol.count("resuming")).isEqualTo(1);
            assertThat(carol.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
            alice.assertNothingMoreFor(call.id(), List.of("ringing", "ringing", "accepted", "started", "accepted",
                    "joined", "reconnecting", "hold", "hold", "hold", "resumed"));

            // And she is really back: her own hold reaches the others.
            carolCall.hold().join();
            awaitAbout(alice, "hold", call, carol.user);
            awaitAbout(bob, "hold", call, carol.user);
        }
    }

    @Test
    void aParticipantLostForGoodLeavesWithConnectionLostTheCallGoesOnAndSheCanJoinAgain() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signInVia(proxy, server, name("carol"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user)).join();
            bob.awaitIncoming().accept().join();
            Call carolCall = carol.awaitIncoming();
            carolCall.accept().join();
            awaitAbout(alice, "joined", call, carol.user);

            proxy.blackHole();
            proxy.cut();
            Phone.Heard lost = awaitLong(alice, "left", h -> carol.user.equals(h.user()));
            assertThat(lost.detail()).isEqualTo(LeaveReason.CONNECTION_LOST);
            assertThat(awaitAbout(bob, "left", call, carol.user).detail()).isEqualTo(LeaveReason.CONNECTION_LOST);
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            assertThat(call.participants()).containsExactly(alice.user, bob.user);

            proxy.restore();
            assertThat(awaitLong(carol, "resume-failed", h -> true).detail()).isEqualTo(ResumeFailure.EXPIRED);
            assertThat(carol.await("ended", call.id()).detail()).isEqualTo(EndReason.CONNECTION_LOST);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> carol.client.connectionState() == ConnectionState.DISCONNECTED);

            // A new session, and carol joins the call that went on without her.
            carol.client.connect().join();
            Call again = carol.client.joinCall(call.id()).join();
            assertThat(again).isNotSameAs(carolCall);
            assertThat(participantsOf(awaitOn(carol, "started", again)))
                    .containsExactly(alice.user, bob.user, carol.user);
            Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> countAbout(alice, "joined", call, carol.user) == 2
                            && countAbout(bob, "joined", call, carol.user) == 2);
            assertThat(call.participants()).containsExactly(alice.user, bob.user, carol.user);
        }
    }

    @Test
    void leavingWhileAnInviteeStillRingsKeepsTheCallForThemToJoin() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user)).join();
            Call bobCall = bob.awaitIncoming();
            Call carolCall = carol.awaitIncoming();
            bobCall.accept().join();
            alice.await("started", call.id());
            bobCall.hangup().join();
            assertThat(awaitAbout(alice, "left", call, bob.user).detail()).isEqualTo(LeaveReason.HANGUP);
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            assertThat(call.participants()).containsExactly(alice.user);

            carolCall.accept().join();
            assertThat(participantsOf(carol.await("started", call.id()))).containsExactly(alice.user, carol.user);
            awaitAbout(alice, "joined", call, carol.user);
            call.hangup().join();
            Phone.Heard ended = carol.await("ended", call.id());
            assertThat(ended.detail()).isEqualTo(EndReason.HANGUP);
            assertThat(ended.user()).isEqualTo(alice.user);
        }
    }

    @Test
    void whenTheLastInviteeRingsOutAfterTheOthersLeftTheCallEndsWithHangup() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user)
                    .timeout(Duration.ofSeconds(1))).join();
            Call bobCall = bob.awaitIncoming();
            carol.awaitIncoming();
            bobCall.accept().join();
            alice.await("started", call.id());
            bobCall.hangup().join();
            awaitAbout(alice, "left", call, bob.user);
            assertThat(carol.await("canceled", call.id()).detail()).isEqualTo(CancelReason.NO_ANSWER);
            assertThat(awaitAbout(alice, "declined", call, carol.user).detail()).isEqualTo(DeclineReason.NO_ANSWER);
            Phone.Heard ended = alice.await("ended", call.id());
            assertThat(ended.detail()).isEqualTo(EndReason.HANGUP);
            alice.assertNothingMoreFor(call.id(), List.of("ringing", "ringing", "accepted", "started", "left",
                    "declined", "ended"));
        }
    }

    @Test
    void aParticipantWhoJoinsLaterLearnsWhoHoldsTheCall() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user, carol.user)).join();
            Call bobCall = bob.awaitIncoming();
            Call carolCall = carol.awaitIncoming();
            bobCall.accept().join();
            alice.await("started", call.id());
            call.hold().join();
            awaitAbout(bob, "hold", call, alice.user);

            carolCall.accept().join();
            carol.await("started", call.id());
            // The server knows alice holds; carol's view of the call must say so too.
            assertThat(carol.client.listCalls().join().get(0).participants())
                    .filteredOn(p -> p.user().equals(alice.user)).singleElement()
                    .satisfies(p -> assertThat(p.held()).isTrue());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> carolCall.isHeldBy(alice.user));
            assertThat(carolCall.heldBy()).containsExactly(alice.user);
        }
    }

    @Test
    void theInviterWhoIsNotTheCallerHearsWhetherTheUsersTheyRangDecline() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone dave = Phone.signIn(server, name("dave"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            Call bobCall = bob.awaitIncoming();
            bobCall.accept().join();
            alice.await("started", call.id());

            bobCall.inviteMore(dave.user).join();
            awaitAbout(bob, "ringing", call, dave.user);
            dave.awaitIncoming().decline().join();
            assertThat(awaitAbout(alice, "declined", call, dave.user).detail()).isEqualTo(DeclineReason.REFUSED);
            assertThat(awaitAbout(bob, "declined", call, dave.user).detail()).isEqualTo(DeclineReason.REFUSED);
        }
    }

    @Test
    void invitingMoreIsForJoinedParticipantsOfAnActiveCallAndAnInviteeLimitApplies() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            Call bobCall = bob.awaitIncoming();
            // Not active yet: nobody can ring more in.
            assertThat(failure(() -> call.inviteMore(carol.user).join()).code()).isEqualTo(ErrorCode.INVALID_STATE);
            bobCall.accept().join();
            alice.await("started", call.id());
            // Someone already in the call is not rung again.
            assertThat(failure(() -> call.inviteMore(bob.user).join()).code()).isEqualTo(ErrorCode.INVALID_STATE);
            // The server allows five invitees per call (maxInvitees).
            List<String> crowd = List.of(name("x"), name("x"), name("x"), name("x"), name("x"));
            assertThat(failure(() -> bobCall.inviteMore(crowd.toArray(String[]::new)).join()).code())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            List<String> six = Stream.concat(crowd.stream(), Stream.of(name("x"))).toList();
            assertThat(failure(() -> carol.client.invite(InviteOptions.to(six)).join()).code())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(carol.count("incoming")).isZero();
        }
    }
}
