package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.core.BusyPolicy;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The one-to-one call lifecycle end to end: the Java SDK over real WebSockets against a running
 * server, one scenario per rule of the contract.
 */
class OneToOneCallsTest {
    static final String SECRET = "e2e-secret-e2e-secret-e2e-secret-0123456789";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(config().build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ServerConfig.Builder config() {
        return ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0).secret(SECRET).eventLoops(2)
                .firstFrameTimeoutMs(5_000).resumeWindowMs(1_000);
    }

    /** A user name no other test uses, so tests sharing the server never meet. */
    static String name(String base) {
        return base + "-" + NAMES.incrementAndGet();
    }

    static ObjectNode json(String key, String value) {
        return WireCodec.get().mapper().createObjectNode().put(key, value);
    }

    static DialtoneException failure(Runnable action) {
        try {
            action.run();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(DialtoneException.class);
            return (DialtoneException) e.getCause();
        }
        throw new AssertionError("expected the command to fail");
    }

    @Test
    void anAnsweredCallWithHoldDoubleHoldUnholdByTheWrongUserAndHangUp() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call outgoing = alice.client.invite(InviteOptions.to(bob.user).media(Media.VIDEO)
                    .payload(json("topic", "quarterly numbers"))).join();
            assertThat(outgoing.direction()).isEqualTo(CallDirection.OUTGOING);
            alice.await("ringing", outgoing.id());

            Call incoming = bob.awaitIncoming();
            assertThat(incoming.id()).isEqualTo(outgoing.id());
            assertThat(incoming.caller()).isEqualTo(alice.user);
            assertThat(incoming.media()).isEqualTo(Media.VIDEO);
            assertThat(incoming.payload().path("topic").asText()).isEqualTo("quarterly numbers");

            String roomId = incoming.accept(json("note", "here")).join();
            Phone.Heard accepted = alice.await("accepted", outgoing.id());
            assertThat(accepted.user()).isEqualTo(bob.user);
            assertThat(((JsonNode) accepted.detail()).path("note").asText()).isEqualTo("here");
            assertThat(alice.await("started", outgoing.id()).detail()).isEqualTo(roomId);
            bob.await("started", outgoing.id());
            assertThat(outgoing.state()).isEqualTo(CallState.ACTIVE);
            assertThat(outgoing.roomId()).isEqualTo(roomId);

            outgoing.hold().join();
            bob.await("hold", h -> h.user().equals(alice.user) && Boolean.TRUE.equals(h.detail()));
            DialtoneException notHolder = failure(() -> incoming.unhold().join());
            assertThat(notHolder.code()).isEqualTo(ErrorCode.NOT_HOLDER);

            incoming.hold().join(); // double hold: both sides hold at once
            alice.await("hold", h -> h.user().equals(bob.user) && Boolean.TRUE.equals(h.detail()));
            assertThat(failure(() -> outgoing.hold().join()).code()).isEqualTo(ErrorCode.INVALID_STATE);

            outgoing.unhold().join(); // restores only alice's side
            bob.await("hold", h -> h.user().equals(alice.user) && Boolean.FALSE.equals(h.detail()));
            assertThat(alice.client.listCalls().join().get(0).participants())
                    .anySatisfy(p -> {
                        assertThat(p.user()).isEqualTo(bob.user);
                        assertThat(p.held()).isTrue();
                    });
            incoming.unhold().join();
            alice.await("hold", h -> h.user().equals(bob.user) && Boolean.FALSE.equals(h.detail()));

            incoming.hangup().join();
            Phone.Heard ended = alice.await("ended", outgoing.id());
            assertThat(ended.detail()).isEqualTo(EndReason.HANGUP);
            assertThat(ended.user()).isEqualTo(bob.user);
            assertThat((long) ended.extra()).isGreaterThanOrEqualTo(0);
            assertThat(bob.await("ended", outgoing.id()).detail()).isEqualTo(EndReason.HANGUP);
            assertThat(alice.client.calls()).isEmpty();

            assertThat(failure(() -> outgoing.hangup().join()).code()).isEqualTo(ErrorCode.INVALID_STATE);
            alice.assertNothingMoreFor(outgoing.id(),
                    List.of("ringing", "accepted", "started", "hold", "hold", "hold", "hold", "ended"));
        }
    }

    @Test
    void theCallerCancelsBeforeAnswer() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            bob.awaitIncoming();
            call.cancel().join();
            assertThat(bob.await("canceled", call.id()).detail()).isEqualTo(CancelReason.CANCELED);
            Phone.Heard ended = alice.await("ended", call.id());
            assertThat(ended.detail()).isEqualTo(EndReason.CANCELED);
            assertThat(ended.user()).isEqualTo(alice.user);
            assertThat(ended.extra()).isEqualTo(0L);
            bob.assertNothingMoreFor(call.id(), List.of("incoming", "canceled", "ended"));
            alice.assertNothingMoreFor(call.id(), List.of("ringing", "ended"));
        }
    }

    @Test
    void anAcceptThatCrossesACancelIsInvalidStateSayingHowTheCallEnded() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            Call incoming = bob.awaitIncoming();
            call.cancel().join();
            DialtoneException late = failure(() -> incoming.accept().join());
            assertThat(late.code()).isEqualTo(ErrorCode.INVALID_STATE);
            assertThat(late.getMessage()).contains("canceled");
        }
    }

    @Test
    void declineRefusedAndBusyCarryTheirPayloadToTheCaller() {
        for (DeclineReason reason : new DeclineReason[] {DeclineReason.REFUSED, DeclineReason.BUSY}) {
            try (Phone alice = Phone.signIn(server, name("alice"));
                 Phone bob = Phone.signIn(server, name("bob"))) {
                Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
                bob.awaitIncoming().decline(reason, json("note", "later")).join();
                Phone.Heard declined = alice.await("declined", call.id());
                assertThat(declined.user()).isEqualTo(bob.user);
                assertThat(declined.detail()).isEqualTo(reason);
                assertThat(((JsonNode) declined.extra()).path("note").asText()).isEqualTo("later");
                EndReason expected = reason == DeclineReason.BUSY ? EndReason.BUSY : EndReason.DECLINED;
                assertThat(alice.await("ended", call.id()).detail()).isEqualTo(expected);
            }
        }
    }

    @Test
    void nobodyAnswersBeforeAShortTimeout() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user).timeout(Duration.ofSeconds(1))).join();
            bob.awaitIncoming();
            assertThat(bob.await("canceled", call.id()).detail()).isEqualTo(CancelReason.NO_ANSWER);
            assertThat(alice.await("declined", call.id()).detail()).isEqualTo(DeclineReason.NO_ANSWER);
            assertThat(alice.await("ended", call.id()).detail()).isEqualTo(EndReason.NO_ANSWER);
        }
    }

    @Test
    void aSecondInviteWhileTheFirstStillRingsIsBusy() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone carol = Phone.signIn(server, name("carol"))) {
            Call first = alice.client.invite(InviteOptions.to(bob.user)).join();
            DialtoneException busy = failure(() -> alice.client.invite(InviteOptions.to(carol.user)).join());
            assertThat(busy.code()).isEqualTo(ErrorCode.BUSY);
            first.cancel().join();
            alice.await("ended", first.id());
            Call second = alice.client.invite(InviteOptions.to(carol.user)).join();
            assertThat(carol.awaitIncoming().id()).isEqualTo(second.id());
        }
    }

    @Test
    void anOfflineInviteeIsDeclinedAtOnce() {
        try (Phone alice = Phone.signIn(server, name("alice"))) {
            Call call = alice.client.invite(InviteOptions.to(name("nobody"))).join();
            assertThat(alice.await("declined", call.id()).detail()).isEqualTo(DeclineReason.OFFLINE);
            assertThat(alice.await("ended", call.id()).detail()).isEqualTo(EndReason.OFFLINE);
        }
    }

    @Test
    void callSignalIsRelayedToThePeersJoinedDeviceOnly() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Phone bobLaptop = Phone.signIn(server, bob.user, "laptop");
            try (bobLaptop) {
                Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
                Call incoming = bob.awaitIncoming();
                bobLaptop.awaitIncoming();
                assertThat(failure(() -> call.signal(bob.user, json("sdp", "early")).join()).code())
                        .isEqualTo(ErrorCode.INVALID_STATE);
                incoming.accept().join();
                alice.await("started", call.id());
                call.signal(bob.user, json("sdp", "v=0 offer")).join();
                Phone.Heard offer = bob.await("signal", call.id());
                assertThat(offer.user()).isEqualTo(alice.user);
                assertThat(((JsonNode) offer.detail()).path("sdp").asText()).isEqualTo("v=0 offer");
                incoming.signal(alice.user, json("candidate", "candidate:1 1 udp 1 127.0.0.1 9 typ host")).join();
                assertThat(((JsonNode) alice.await("signal", call.id()).detail()).path("candidate").asText())
                        .startsWith("candidate:1");
                assertThat(bobLaptop.count("signal", call.id())).isZero();
            }
        }
    }

    @Test
    void someoneElsesCallIsNotFoundAndNothingAboutItReachesThem() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"));
             Phone eve = Phone.signIn(server, name("eve"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            bob.awaitIncoming();
            // Eve learned the call id somehow and speaks the protocol directly, as herself.
            try (RawClient raw = RawClient.signedIn(server, eve.user, "raw")) {
                for (String type : List.of("call.accept", "call.decline", "call.cancel", "call.hangup",
                        "call.hold", "call.unhold")) {
                    assertThat(raw.command(type, o -> o.put("callId", call.id())).path("code").asText())
                            .as(type).isEqualTo("not_found");
                }
            }
            assertThat(eve.client.listCalls().join()).isEmpty();
            assertThat(eve.client.call(call.id())).isEmpty();
            assertThat(eve.heard()).allSatisfy(h -> assertThat(h.what()).isEqualTo("state"));
            bob.client.call(call.id()).orElseThrow().accept().join();
            alice.await("started", call.id());
        }
    }

    @Nested
    class Authentication {
        @Test
        void anExpiredTokenIsRefusedAndTheServerClosesWith4401() throws Exception {
            String expired = new dev.dialtone.server.auth.TokenService(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    () -> System.currentTimeMillis() - 3_600_000).sign("late", Duration.ofMinutes(1));
            try (Phone late = Phone.withToken(server, "late", expired)) {
                DialtoneException refused = failure(() -> late.client.connect().join());
                assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                late.await("disconnected", h -> h.detail().equals(CloseCodes.UNAUTHORIZED));
            }
        }

        @Test
        void aTokenSignedWithAnotherKeyIsRefused() {
            String forged = new dev.dialtone.server.auth.TokenService(
                    "not-the-servers-secret-not-the-servers-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    System::currentTimeMillis).sign("mallory", Duration.ofMinutes(1));
            try (Phone mallory = Phone.withToken(server, "mallory", forged)) {
                assertThat(failure(() -> mallory.client.connect().join()).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            }
        }
    }

    @Nested
    class BusyCallee {
        @Test
        void underTheRejectPolicyAnInviteToAUserInACallIsDeclinedBusy() {
            try (Phone alice = Phone.signIn(server, name("alice"));
                 Phone bob = Phone.signIn(server, name("bob"));
                 Phone carol = Phone.signIn(server, name("carol"))) {
                Call first = alice.client.invite(InviteOptions.to(bob.user)).join();
                bob.awaitIncoming().accept().join();
                alice.await("started", first.id());
                Call second = carol.client.invite(InviteOptions.to(bob.user)).join();
                assertThat(carol.await("declined", second.id()).detail()).isEqualTo(DeclineReason.BUSY);
                assertThat(carol.await("ended", second.id()).detail()).isEqualTo(EndReason.BUSY);
                assertThat(bob.count("incoming", second.id())).isZero();
            }
        }

        @Test
        void underTheWaitingPolicyTheInviteRingsWithWaiting() {
            try (DialtoneServer waiting = DialtoneServer.start(config().busyPolicy(BusyPolicy.WAITING).build());
                 Phone alice = Phone.signIn(waiting, "alice");
                 Phone bob = Phone.signIn(waiting, "bob");
                 Phone carol = Phone.signIn(waiting, "carol")) {
                Call first = alice.client.invite(InviteOptions.to("bob")).join();
                bob.awaitIncoming().accept().join();
                alice.await("started", first.id());
                Call second = carol.client.invite(InviteOptions.to("bob")).join();
                Phone.Heard incoming = bob.await("incoming", second.id());
                assertThat(incoming.detail()).isEqualTo(true);
                carol.await("ringing", second.id());
                incoming.call().accept().join();
                carol.await("started", second.id());
            }
        }
    }

    @Nested
    class TwoDevicesOfOneUser {
        @Test
        void acceptingOnOneDeviceStopsTheOtherWithAnsweredElsewhere() {
            String bobName = name("bob");
            try (Phone alice = Phone.signIn(server, name("alice"));
                 Phone bobPhone = Phone.signIn(server, bobName, "phone");
                 Phone bobLaptop = Phone.signIn(server, bobName, "laptop")) {
                Call call = alice.client.invite(InviteOptions.to(bobName)).join();
                bobPhone.awaitIncoming();
                bobLaptop.awaitIncoming().accept().join();
                assertThat(bobPhone.await("canceled", call.id()).detail()).isEqualTo(CancelReason.ANSWERED_ELSEWHERE);
                bobLaptop.await("started", call.id());
                assertThat(alice.count("ringing", call.id())).isEqualTo(1);
                call.hangup().join();
                bobLaptop.await("ended", call.id());
                bobPhone.assertNothingMoreFor(call.id(), List.of("incoming", "canceled", "ended"));
            }
        }

        @Test
        void decliningOnOneDeviceStopsTheOtherWithDeclinedElsewhere() {
            String bobName = name("bob");
            try (Phone alice = Phone.signIn(server, name("alice"));
                 Phone bobPhone = Phone.signIn(server, bobName, "phone");
                 Phone bobLaptop = Phone.signIn(server, bobName, "laptop")) {
                Call call = alice.client.invite(InviteOptions.to(bobName)).join();
                bobLaptop.awaitIncoming();
                bobPhone.awaitIncoming().decline().join();
                assertThat(bobLaptop.await("canceled", call.id()).detail()).isEqualTo(CancelReason.DECLINED_ELSEWHERE);
                assertThat(alice.await("declined", call.id()).detail()).isEqualTo(DeclineReason.REFUSED);
                alice.await("ended", call.id());
            }
        }
    }

    @Test
    void glareMergesTwoCrossingInvitesIntoOneCall() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call fromBob = bob.client.invite(InviteOptions.to(alice.user)).join();
            alice.awaitIncoming();
            Call merged = alice.client.invite(InviteOptions.to(bob.user)).join();
            assertThat(merged.id()).isEqualTo(fromBob.id());
            bob.await("accepted", h -> h.callId().equals(fromBob.id()) && h.user().equals(alice.user));
            bob.await("started", fromBob.id());
            alice.await("started", fromBob.id());
            assertThat(alice.client.calls()).hasSize(1);
            assertThat(bob.client.calls()).hasSize(1);
            assertThat(bob.client.listCalls().join()).singleElement()
                    .satisfies(s -> assertThat(s.state()).isEqualTo(CallState.ACTIVE));
        }
    }

    @Test
    void holdRefusedByPolicyIsDenied() {
        try (DialtoneServer noHold = DialtoneServer.start(config().holdAllowed(false).build());
             Phone alice = Phone.signIn(noHold, "alice");
             Phone bob = Phone.signIn(noHold, "bob")) {
            Call call = alice.client.invite(InviteOptions.to("bob")).join();
            bob.awaitIncoming().accept().join();
            alice.await("started", call.id());
            assertThat(failure(() -> call.hold().join()).code()).isEqualTo(ErrorCode.DENIED);
        }
    }

    @Test
    void aLostPeerEndsTheCallWithConnectionLostAfterTheWindow() {
        try (Phone alice = Phone.signIn(server, name("alice"))) {
            Phone bob = Phone.signIn(server, name("bob"));
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            bob.awaitIncoming().accept().join();
            alice.await("started", call.id());
            bob.close(); // no logout: the server keeps bob's session for the (1 s) resume window
            alice.await("reconnecting", h -> h.callId().equals(call.id()) && h.user().equals(bob.user));
            Phone.Heard ended = alice.await("ended", call.id());
            assertThat(ended.detail()).isEqualTo(EndReason.CONNECTION_LOST);
        }
    }

    @Test
    void aPeerLostForGoodWhileTheOtherSideHoldsEndsWithUnholdFailed() {
        try (Phone alice = Phone.signIn(server, name("alice"))) {
            Phone bob = Phone.signIn(server, name("bob"));
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            bob.awaitIncoming().accept().join();
            alice.await("started", call.id());
            call.hold().join();
            bob.close();
            assertThat(alice.await("ended", call.id()).detail()).isEqualTo(EndReason.UNHOLD_FAILED);
        }
    }

    @Test
    void logoutEndsTheSessionsCallsAsIfHungUp() {
        try (Phone alice = Phone.signIn(server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            bob.awaitIncoming().accept().join();
            alice.await("started", call.id());
            bob.client.logout().join();
            Phone.Heard ended = alice.await("ended", call.id());
            assertThat(ended.detail()).isEqualTo(EndReason.HANGUP);
            assertThat(ended.user()).isEqualTo(bob.user);
        }
    }

    @Test
    void invitingYourselfIsABadRequest() {
        try (Phone alice = Phone.signIn(server, name("alice"))) {
            assertThatThrownBy(() -> alice.client.invite(InviteOptions.to(alice.user)).join())
                    .hasCauseInstanceOf(DialtoneException.class)
                    .satisfies(e -> assertThat(((DialtoneException) e.getCause()).code())
                            .isEqualTo(ErrorCode.BAD_REQUEST));
        }
    }
}
