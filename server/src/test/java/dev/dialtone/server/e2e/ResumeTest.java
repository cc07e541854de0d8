package dev.dialtone.server.e2e;

import static dev.dialtone.server.e2e.OneToOneCallsTest.name;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.server.DialtoneServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sessions that survive network changes: the SDK's connection runs through a proxy that cuts,
 * black-holes and restores it, and nothing may be lost or delivered twice.
 */
class ResumeTest {
    /** Long enough for every outage these tests stage, short enough to test expiry quickly. */
    private static final long WINDOW_MS = 3_000;
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(OneToOneCallsTest.config().resumeWindowMs(WINDOW_MS).heartbeatMs(1_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Alice (through the proxy) in an answered call with bob (direct). */
    private record Answered(Phone alice, Phone bob, Call aliceCall, Call bobCall) {
    }

    private static Answered answered(ChaosProxy proxy) {
        Phone alice = Phone.signInVia(proxy, server, name("alice"));
        Phone bob = Phone.signIn(server, name("bob"));
        Call aliceCall = alice.client.invite(InviteOptions.to(bob.user)).join();
        Call bobCall = bob.awaitIncoming();
        bobCall.accept().join();
        alice.await("started", aliceCall.id());
        return new Answered(alice, bob, aliceCall, bobCall);
    }

    /** Cuts the proxied connection and keeps the network down: reconnects hang until restore. */
    private static void goDark(ChaosProxy proxy) {
        proxy.blackHole();
        proxy.cut();
    }

    @Test
    void aCutMidCallWithThePeerHoldingAndHangingUpMeanwhileIsReportedExactlyOnceInOrder() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port())) {
            Answered c = answered(proxy);
            try (Phone alice = c.alice(); Phone bob = c.bob()) {
                goDark(proxy);
                alice.await("resuming");
                bob.await("reconnecting", h -> h.user().equals(alice.user));
                c.bobCall().hold().join();
                c.bobCall().hangup().join();
                proxy.restore();
                alice.await("resumed-session");
                alice.await("ended", c.aliceCall().id());
                alice.assertNothingMoreFor(c.aliceCall().id(),
                        List.of("ringing", "accepted", "started", "hold", "ended"));
                assertThat(alice.await("hold", c.aliceCall().id()).detail()).isEqualTo(true);
                assertThat(alice.await("ended", c.aliceCall().id()).detail()).isEqualTo(EndReason.HANGUP);
                assertThat(alice.client.connectionState()).isEqualTo(ConnectionState.CONNECTED);
            }
        }
    }

    @Test
    void aCutLongerThanTheWindowEndsTheCallForThePeerAndFailsTheResume() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port())) {
            Answered c = answered(proxy);
            try (Phone alice = c.alice(); Phone bob = c.bob()) {
                goDark(proxy);
                Phone.Heard ended = Awaitility.await().atMost(Duration.ofMillis(WINDOW_MS * 3)).until(
                        () -> bob.heard().stream().filter(h -> h.what().equals("ended")).findFirst().orElse(null),
                        h -> h != null);
                assertThat(ended.detail()).isEqualTo(EndReason.CONNECTION_LOST);
                proxy.restore();
                Phone.Heard failed = Awaitility.await().atMost(Duration.ofMillis(WINDOW_MS * 3)).until(
                        () -> alice.heard().stream().filter(h -> h.what().equals("resume-failed")).findFirst()
                                .orElse(null), h -> h != null);
                assertThat(failed.detail()).isEqualTo(ResumeFailure.EXPIRED);
                assertThat(alice.await("ended", c.aliceCall().id()).detail()).isEqualTo(EndReason.CONNECTION_LOST);
                Awaitility.await().atMost(Duration.ofSeconds(5))
                        .until(() -> alice.client.connectionState() == ConnectionState.DISCONNECTED);
                assertThat(alice.client.calls()).isEmpty();
            }
        }
    }

    @Test
    void aCallArrivingWhileTheCalleeIsCutStillRingsAfterResumeAndCanBeAccepted() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone bob = Phone.signInVia(proxy, server, name("bob"));
             Phone alice = Phone.signIn(server, name("alice"))) {
            goDark(proxy);
            bob.await("resuming");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> alice.client.listCalls().join().isEmpty());
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            proxy.restore();
            Call incoming = bob.awaitIncoming();
            assertThat(incoming.id()).isEqualTo(call.id());
            alice.await("ringing", call.id());
            incoming.accept().join();
            alice.await("started", call.id());
            bob.assertNothingMoreFor(call.id(), List.of("incoming", "started"));
        }
    }

    @Test
    void theCalleeAcceptsWhileTheCallerIsCut() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port());
             Phone alice = Phone.signInVia(proxy, server, name("alice"));
             Phone bob = Phone.signIn(server, name("bob"))) {
            Call call = alice.client.invite(InviteOptions.to(bob.user)).join();
            Call incoming = bob.awaitIncoming();
            goDark(proxy);
            alice.await("resuming");
            incoming.accept().join();
            bob.await("started", call.id());
            proxy.restore();
            alice.await("started", call.id());
            assertThat(call.state()).isEqualTo(CallState.ACTIVE);
            alice.assertNothingMoreFor(call.id(), List.of("ringing", "accepted", "started"));
        }
    }

    @Test
    void aCommandWhoseReplyWasLostIsExecutedOnce() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port())) {
            Answered c = answered(proxy);
            try (Phone alice = c.alice(); Phone bob = c.bob()) {
                proxy.holdReplies();
                CompletableFuture<Void> hold = c.aliceCall().hold();
                // The server carried it out (bob hears it) but alice's reply is stuck in the network.
                bob.await("hold", h -> h.user().equals(alice.user));
                assertThat(hold).isNotDone();
                proxy.cut();
                proxy.restore();
                hold.get(5, java.util.concurrent.TimeUnit.SECONDS);
                alice.await("resumed-session");
                bob.assertNothingMoreFor(c.bobCall().id(),
                        List.of("incoming", "started", "hold", "reconnecting", "resumed"));
                assertThat(bob.client.listCalls().join().get(0).participants())
                        .filteredOn(p -> p.user().equals(alice.user)).singleElement()
                        .satisfies(p -> assertThat(p.held()).isTrue());
            }
        }
    }

    @Test
    void networkChangedOnAHealthyConnectionResumesAtOnceAndLosesNothing() throws Exception {
        try (ChaosProxy proxy = new ChaosProxy(server.port())) {
            Answered c = answered(proxy);
            try (Phone alice = c.alice(); Phone bob = c.bob()) {
                alice.client.networkChanged();
                alice.await("resumed-session");
                c.bobCall().hold().join();
                alice.await("hold", c.aliceCall().id());
                c.aliceCall().hangup().join();
                bob.await("ended", c.bobCall().id());
                alice.assertNothingMoreFor(c.aliceCall().id(),
                        List.of("ringing", "accepted", "started", "hold", "ended"));
                assertThat(alice.count("resuming")).isEqualTo(1);
                assertThat(alice.count("resume-failed")).isZero();
            }
        }
    }
}
