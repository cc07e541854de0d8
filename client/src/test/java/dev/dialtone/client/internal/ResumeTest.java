package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ResumeFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Automatic resume: a lost connection keeps the session and its calls, a new connection sends
 * {@code resume}, and nothing is lost or delivered twice; or the session ends when it cannot be
 * resumed. The test plays the server frame by frame; time moves only when it says so.
 */
class ResumeTest {

    private static Event.CallIncoming incoming(String callId) {
        return new Event.CallIncoming(callId, "bob", Media.AUDIO, null, List.of("alice"), 1_767_225_600_000L, null);
    }

    private static Event.CallSignal signal(String callId, int n) {
        JsonNode data = Harness.CODEC.mapper().createObjectNode().put("n", n);
        return new Event.CallSignal(callId, "bob", data);
    }

    private static DialtoneException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return (DialtoneException) e.getCause();
        }
        throw new AssertionError("not failed");
    }

    /** Connected, with an incoming call c-1 that this client accepted (active since t=0). */
    private static Call inACall(Harness h) {
        h.connected();
        h.event(incoming("c-1"));
        Call call = h.recorder.incoming.get(0);
        call.accept();
        h.ok(h.idOf(Command.CallAccept.class), new Result.Accept("c-1", "room-1"));
        h.event(new Event.CallStarted("c-1", "room-1", List.of("bob", "alice")));
        return call;
    }

    // ---- the happy path --------------------------------------------------------------------------

    @Test
    void aLostConnectionIsResumedWithTheLastSeqAndTokenAndReplayedEventsArriveOnce() {
        Harness h = new Harness();
        h.connected();
        h.event(1, incoming("c-1"));
        h.event(2, signal("c-1", 2));
        h.event(3, signal("c-1", 3));
        TestTransport.TestLink first = h.link();
        h.recorder.lines.clear();

        h.lose();
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.RESUMING);
        assertThat(h.recorder.lines).containsExactly("state RESUMING", "session resuming");
        assertThat(h.core.calls()).hasSize(1);          // the call is kept
        assertThat(h.core.session()).isEmpty();
        // First attempt at once, on a new connection.
        assertThat(h.transport.links).hasSize(2);
        assertThat(h.link().commands()).containsExactly(new Command.Resume(h.resume().id(), "s-1", "r-1", 3));

        h.resumed("r-2", 2);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(h.core.session()).map(SessionInfo::sessionId).contains("s-1");
        // The replay, with duplicates of what was processed before and of itself.
        h.event(2, signal("c-1", 2));
        h.event(3, signal("c-1", 3));
        h.event(4, signal("c-1", 4));
        h.event(4, signal("c-1", 4));
        h.event(5, signal("c-1", 5));
        h.event(3, signal("c-1", 3));
        assertThat(h.recorder.lines).containsExactly(
                "state RESUMING",
                "session resuming",
                "state CONNECTED",
                "session resumed r-1 -> r-2",
                "signal c-1 [ringing] bob {\"n\":4}",
                "signal c-1 [ringing] bob {\"n\":5}");
        // Once the replay is processed, it is acknowledged at once (no batching delay).
        assertThat(h.link().commands(Command.Ack.class)).extracting(Command.Ack::seq).containsExactly(5L);
        // Nothing more goes to the abandoned connection.
        assertThat(first.commands(Command.Ack.class)).isEmpty();

        // The next outage resumes with the rotated token and the new last seq.
        h.event(6, signal("c-1", 6));
        h.lose();
        assertThat(h.resume()).isEqualTo(new Command.Resume(h.resume().id(), "s-1", "r-2", 6));
        h.resumed("r-3", 0);
        assertThat(h.recorder.lines).endsWith("state RESUMING", "session resuming", "state CONNECTED",
                "session resumed r-2 -> r-3");
    }

    @Test
    void heartbeatsRunOnTheResumedConnection() {
        Harness h = new Harness();
        h.connected();
        h.lose();
        h.scheduler.advance(Harness.HEARTBEAT_MS * 3); // no pings while resuming (resume times out meanwhile)
        h.resumed("r-2", 0);
        TestTransport.TestLink resumed = h.link();
        assertThat(resumed.commands(Command.Ping.class)).isEmpty();
        h.scheduler.advance(Harness.HEARTBEAT_MS);
        assertThat(resumed.commands(Command.Ping.class)).hasSize(1);
    }

    @Test
    void serverClosesThatDoNotEndTheSessionAreResumed() {
        for (int code : new int[] {1000, 1001, 1006, 1011}) {
            Harness h = new Harness();
            h.connected();
            h.link().listener.onClosed(code, "whatever");
            assertThat(h.core.connectionState()).as("close %d", code).isEqualTo(ConnectionState.RESUMING);
            assertThat(h.resume().session()).isEqualTo("s-1");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {CloseCodes.UNAUTHORIZED, CloseCodes.REPLACED, CloseCodes.TOO_MANY_BAD_FRAMES,
            CloseCodes.RATE_LIMITED})
    void closeCodesThatEndTheSessionAreNotResumed(int code) {
        Harness h = new Harness();
        inACall(h);
        h.link().listener.onClosed(code, "no");
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(h.transport.links).hasSize(1);
        assertThat(h.recorder.lines).doesNotContain("session resuming", "state RESUMING")
                .endsWith("ended c-1 [ended room-1] connection_lost by null 0ms", "disconnected " + code + " no",
                        "state DISCONNECTED");
        h.scheduler.advance(Harness.RESUME_WINDOW_MS * 2);
        assertThat(h.transport.opens).isEqualTo(1);
    }

    @Test
    void aLossBeforeSignInIsNotResumed() {
        Harness h = new Harness();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        h.lose();
        assertThat(failure(connect).kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(h.transport.links).hasSize(1);
    }

    // ---- commands across a resume ----------------------------------------------------------------

    @Test
    void aCommandWhoseReplyWasLostIsResentWithTheSameIdAndCompletesOnce() {
        Harness h = new Harness();
        Call call = inACall(h);
        CompletableFuture<Void> hold = call.hold();
        String holdId = h.idOf(Command.CallHold.class);
        AtomicInteger completions = new AtomicInteger();
        hold.thenRun(completions::incrementAndGet);
        h.scheduler.advance(5_000);
        h.lose();

        // Its timeout is paused while resuming: 9 more seconds (14 s after it was sent) change nothing.
        h.scheduler.advance(9_000);
        assertThat(hold).isNotDone();
        h.resumed("r-2", 0);
        assertThat(h.link().commands()).extracting(Command::type).containsExactly("resume", "call.hold");
        assertThat(h.link().last(Command.CallHold.class).id()).isEqualTo(holdId);

        // The server answers with its cached reply; a second copy of it changes nothing.
        h.ok(holdId);
        h.ok(holdId);
        assertThat(hold).isCompleted();
        assertThat(completions).hasValue(1);
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis() * 2);
        assertThat(completions).hasValue(1);
    }

    @Test
    void aResentCommandGetsAFreshTimeout() {
        Harness h = new Harness();
        Call call = inACall(h);
        CompletableFuture<Void> hold = call.hold();
        h.scheduler.advance(9_000);
        h.lose();
        h.resumed("r-2", 0);
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis() - 1);
        assertThat(hold).isNotDone();
        h.scheduler.advance(1);
        assertThat(failure(hold).isTimeout()).isTrue();
    }

    @Test
    void commandsIssuedWhileResumingWaitAndAreSentInOrderAfterTheResume() {
        Harness h = new Harness();
        Call call = inACall(h);
        CompletableFuture<Void> hold = call.hold();
        h.lose();
        CompletableFuture<Void> signal = call.signal("bob", Harness.CODEC.mapper().createObjectNode().put("sdp", "x"));
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        assertThat(signal).isNotDone();
        assertThat(list).isNotDone();
        assertThat(h.link().commands()).extracting(Command::type).containsExactly("resume");

        h.resumed("r-2", 0);
        assertThat(h.link().commands()).extracting(Command::type)
                .containsExactly("resume", "call.hold", "call.signal", "calls.list");
        h.ok(h.idOf(Command.CallSignal.class));
        h.ok(h.idOf(Command.CallsList.class), new Result.CallsList(List.of()));
        h.ok(h.idOf(Command.CallHold.class));
        assertThat(signal).isCompleted();
        assertThat(list.join()).isEmpty();
        assertThat(hold).isCompleted();
    }

    @Test
    void aCommandQueuedWhileResumingWaitsAtMostTheRequestTimeout() {
        Harness h = new Harness(Duration.ofSeconds(1), Duration.ofSeconds(1), null);
        h.connected();
        h.transport.failOpens = 1_000;
        h.lose();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis() - 1);
        assertThat(list).isNotDone();
        h.scheduler.advance(1);
        assertThat(failure(list).isTimeout()).isTrue();
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.RESUMING);

        h.transport.failOpens = 0;
        h.core.networkChanged();
        h.resumed("r-2", 0);
        assertThat(h.link().commands()).extracting(Command::type).containsExactly("resume"); // never sent
    }

    @Test
    void replayedEventsOfACallPlacedJustBeforeTheLossWaitForTheResentInvite() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Call> invite = h.core.invite(InviteOptions.to("bob"));
        invite.thenAccept(call -> h.recorder.record("invite done " + call.id()));
        String inviteId = h.idOf(Command.CallInvite.class);
        h.lose();
        h.resumed("r-2", 1);
        // The server placed the call before the loss: its event is replayed before the re-sent invite's reply.
        h.event(1, new Event.CallRinging("c-9", "bob"));
        assertThat(h.link().last(Command.CallInvite.class).id()).isEqualTo(inviteId);
        h.ok(inviteId, new Result.Invite("c-9", null, null));
        assertThat(h.recorder.callLines()).containsExactly("invite done c-9", "ringing c-9 [ringing] bob");
    }

    @Test
    void connectWhileResumingCompletesWhenResumed() {
        Harness h = new Harness();
        SessionInfo session = h.connected();
        h.lose();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        assertThat(h.core.connect()).isSameAs(connect);
        assertThat(connect).isNotDone();
        assertThat(h.link().commands(Command.Auth.class)).isEmpty();
        h.resumed("r-2", 0);
        assertThat(connect.join()).isEqualTo(session);
    }

    // ---- backoff -----------------------------------------------------------------------------------

    @Test
    void attemptsBackOffExponentiallyWithJitter() {
        Harness h = new Harness(Duration.ofMillis(100), Duration.ofMillis(1_000), null);
        h.connected();
        h.transport.failOpens = 5;
        h.jitter.addAll(List.of(0.5, 0.5, 0.5, 0.5, 0.5));
        h.lose();
        assertThat(h.transport.opens).isEqualTo(2); // the first attempt at once (and it failed)
        // Waits: 0.5 × 100, 200, 400, 800, then the cap 1000.
        for (long wait : new long[] {50, 100, 200, 400, 500}) {
            int opens = h.transport.opens;
            h.scheduler.advance(wait - 1);
            assertThat(h.transport.opens).as("before %d ms", wait).isEqualTo(opens);
            h.scheduler.advance(1);
            assertThat(h.transport.opens).as("after %d ms", wait).isEqualTo(opens + 1);
        }
        // The sixth attempt connected and sent resume.
        assertThat(h.resume().lastSeq()).isZero();
        h.resumed("r-2", 0);
        assertThat(h.recorder.lines.stream().filter(line -> line.equals("session resuming"))).hasSize(1);

        // A new outage starts from the first wait again.
        h.transport.failOpens = 1;
        h.jitter.add(1.0);
        h.lose();
        int opens = h.transport.opens;
        h.scheduler.advance(100);
        assertThat(h.transport.opens).isEqualTo(opens + 1);
    }

    @Test
    void aResumeWithoutReplyIsAbandonedAndTriedAgain() {
        Harness h = new Harness(Duration.ofMillis(100), Duration.ofMillis(100), null);
        h.connected();
        h.lose();
        TestTransport.TestLink silent = h.link();
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis());
        assertThat(silent.aborted).isTrue();
        h.scheduler.advance(50);
        assertThat(h.transport.links).hasSize(3);
        assertThat(h.resume().resumeToken()).isEqualTo("r-1");
        // A late reply on the abandoned connection is ignored.
        silent.listener.onText("{\"type\":\"ok\",\"re\":\"" + silent.last(Command.Resume.class).id()
                + "\",\"session\":\"s-1\",\"resumeToken\":\"r-x\",\"replayed\":0}");
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.RESUMING);
        h.resumed("r-2", 0);
        assertThat(h.recorder.lines).endsWith("session resumed r-1 -> r-2");
    }

    // ---- the session cannot be resumed -------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ResumeFailure.class)
    void resumeFailedEndsTheSessionAndItsCalls(ResumeFailure reason) {
        Harness h = new Harness();
        Call call = inACall(h);
        h.scheduler.advance(3_000);
        CompletableFuture<Void> hold = call.hold();
        h.lose();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        h.recorder.lines.clear();

        h.resumeFailed(reason);
        assertThat(h.recorder.lines).containsExactly(
                "session resume failed " + reason.wire(),
                "ended c-1 [ended room-1] connection_lost by null 3000ms",
                "disconnected 1006 session not resumed (" + reason.wire() + ")",
                "state DISCONNECTED");
        assertThat(failure(hold).kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(failure(list).kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(h.link().closedWith).isEqualTo(1000); // the server keeps a refused connection open
        assertThat(h.core.calls()).isEmpty();
        assertThat(call.endReason()).isEqualTo(EndReason.CONNECTION_LOST);
        h.scheduler.advance(Harness.RESUME_WINDOW_MS * 2);
        assertThat(h.transport.links).hasSize(2);
        assertThat(h.scheduler.pending()).isZero();

        // A fresh session can be opened.
        h.connected();
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(h.link().commands(Command.Auth.class)).hasSize(1);
    }

    @Test
    void afterTheGiveUpTimeTheSessionEndsAsExpired() {
        Harness h = new Harness(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5));
        inACall(h);
        h.transport.failOpens = 1_000;
        h.lose();
        h.recorder.lines.clear();
        h.scheduler.advance(4_999);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.RESUMING);
        assertThat(h.transport.opens).isGreaterThan(5);
        h.scheduler.advance(1);
        assertThat(h.recorder.lines).containsExactly(
                "session resume failed expired",
                "ended c-1 [ended room-1] connection_lost by null 5000ms",
                "disconnected 1006 session not resumed (expired)",
                "state DISCONNECTED");
        int opens = h.transport.opens;
        h.scheduler.advance(60_000);
        assertThat(h.transport.opens).isEqualTo(opens);
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void byDefaultTheClientGivesUpAfterTheServersResumeWindow() {
        Harness h = new Harness();
        h.connected();
        h.lose();
        TestTransport.TestLink attempt = h.link();   // the server never answers
        h.scheduler.advance(Harness.RESUME_WINDOW_MS - 1);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.RESUMING);
        h.scheduler.advance(1);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(h.recorder.lines).contains("session resume failed expired");
        assertThat(h.transport.links).hasSizeGreaterThan(2);
        assertThat(attempt.aborted).isTrue();
    }

    // ---- network changes ---------------------------------------------------------------------------

    @Test
    void networkChangedOnAHealthyConnectionResumesAtOnce() {
        Harness h = new Harness();
        inACall(h);
        TestTransport.TestLink healthy = h.link();
        h.recorder.lines.clear();

        h.core.networkChanged();
        assertThat(healthy.aborted).isTrue();
        assertThat(healthy.closedWith).isNull();
        assertThat(h.transport.links).hasSize(2);
        assertThat(h.resume().lastSeq()).isEqualTo(2);
        h.resumed("r-2", 0);
        assertThat(h.recorder.lines).containsExactly("state RESUMING", "session resuming", "state CONNECTED",
                "session resumed r-1 -> r-2");
        // The server's takeover closes the old socket with 4409: that connection is no longer ours.
        healthy.listener.onClosed(CloseCodes.REPLACED, "session resumed on another connection");
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(h.core.calls()).hasSize(1);
    }

    @Test
    void networkChangedWhileWaitingToRetrySkipsTheWait() {
        Harness h = new Harness(Duration.ofSeconds(2), Duration.ofSeconds(5), null);
        h.connected();
        h.transport.failOpens = 1;
        h.lose();
        assertThat(h.transport.opens).isEqualTo(2);     // failed; now waiting 1 s
        h.core.networkChanged();
        assertThat(h.transport.opens).isEqualTo(3);
        h.resumed("r-2", 0);
        h.scheduler.advance(10_000);
        assertThat(h.transport.opens).isEqualTo(3);     // the cancelled wait does not attempt again
    }

    @Test
    void networkChangedWhileAnAttemptIsOpeningStartsOverButNotOnceResumeWasSent() {
        Harness h = new Harness();
        h.connected();
        h.transport.pendingOpen = new CompletableFuture<>();
        h.lose();
        TestTransport.TestLink opening = h.link();
        CompletableFuture<Transport.Link> stuck = h.transport.pendingOpen;
        h.transport.pendingOpen = null;

        h.core.networkChanged();                        // the opening socket is abandoned
        assertThat(h.transport.links).hasSize(3);
        stuck.complete(opening);                         // and aborted when it opens late
        assertThat(opening.aborted).isTrue();
        assertThat(opening.sent).isEmpty();

        h.core.networkChanged();                        // resume sent and unanswered: left alone
        assertThat(h.transport.links).hasSize(3);
        h.resumed("r-2", 0);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void networkChangedDoesNothingWhenNotConnected() {
        Harness h = new Harness();
        h.core.networkChanged();
        assertThat(h.transport.opens).isZero();
        h.core.connect();
        h.core.networkChanged();                        // signing in: not resumable yet
        assertThat(h.transport.opens).isEqualTo(1);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(h.recorder.lines).containsExactly("state CONNECTING");
    }

    // ---- the application stops it ------------------------------------------------------------------

    @Test
    void closeWhileResumingStopsTheAttempts() {
        Harness h = new Harness();
        inACall(h);
        h.transport.failOpens = 1_000;
        h.lose();
        CompletableFuture<List<CallSnapshot>> list = h.core.listCalls();
        h.recorder.lines.clear();
        h.core.close();
        assertThat(h.recorder.lines).containsExactly(
                "ended c-1 [ended room-1] connection_lost by null 0ms",
                "disconnected 1000 client closed",
                "state DISCONNECTED");
        assertThat(failure(list).getMessage()).contains("closed");
        int opens = h.transport.opens;
        h.scheduler.advance(Harness.RESUME_WINDOW_MS * 2);
        assertThat(h.transport.opens).isEqualTo(opens);
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void closeWhileAResumeIsInFlightClosesThatConnection() {
        Harness h = new Harness();
        h.connected();
        h.lose();
        h.core.close();
        assertThat(h.link().closedWith).isEqualTo(1000);
        h.resumed("r-2", 0);                             // too late: ignored
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void logoutWhileResumingEndsTheSessionHere() {
        Harness h = new Harness();
        inACall(h);
        h.transport.failOpens = 1_000;
        h.lose();
        h.recorder.lines.clear();
        CompletableFuture<Void> logout = h.core.logout();
        assertThat(logout).isCompleted();
        assertThat(h.recorder.lines).containsExactly(
                "ended c-1 [ended room-1] connection_lost by null 0ms",
                "disconnected 1000 logged out",
                "state DISCONNECTED");
        int opens = h.transport.opens;
        h.scheduler.advance(Harness.RESUME_WINDOW_MS * 2);
        assertThat(h.transport.opens).isEqualTo(opens);
    }

    @Test
    void aLogoutInFlightWhenTheConnectionDropsIsNotResumed() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Void> logout = h.core.logout();
        h.lose();
        assertThat(failure(logout).kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(h.transport.links).hasSize(1);
    }
}
