package dev.dialtone.client.internal;

import static dev.dialtone.client.internal.RoomTest.joined;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.RoomLeaveReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Conference resume: when the session cannot be resumed and the client was in rooms, it signs in
 * afresh (with backoff while the server is unreachable) and joins its rooms again with their
 * original handles, or gives them up. The test plays the server; time moves only when it says so.
 */
class ConferenceResumeTest {

    private static Command.RoomJoin rejoinOf(Harness h, String room) {
        return h.link().commands(Command.RoomJoin.class).stream().filter(join -> join.room().equals(room))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("no room.join for " + room
                        + "; sent: " + h.link().sent));
    }

    private static Result.RoomJoin result(String room, String handle, Result.RoomParticipant... others) {
        return new Result.RoomJoin(room, handle, List.of(others));
    }

    /** Lets time pass on a healthy connection (a frame every 10 s, so the heartbeat sees no silence). */
    private static void keepAlive(Harness h, long ms) {
        for (long passed = 0; passed < ms; passed += 10_000) {
            h.scheduler.advance(10_000);
            h.event(new Event.RoomParticipantJoined("elsewhere", "zed", "h-z", null));   // ignored
        }
    }

    /** Harness with a 100 ms → 1 s backoff, a 5 s resume give-up and this room give-up. */
    private static Harness harness(Duration roomGiveUp) {
        return new Harness(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5), roomGiveUp);
    }

    @Test
    void aSessionThatCannotBeResumedSignsInAfreshAndRejoinsItsRoomsWithTheirOriginalHandles() {
        Harness h = new Harness();
        h.connected();
        Room standup = joined(h, "standup", "h-1", new Result.RoomParticipant("bob", "h-b", true));
        Room retro = joined(h, "retro", "h-2");
        h.event(new Event.CallIncoming("c-1", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        Call call = h.recorder.incoming.get(0);
        h.recorder.lines.clear();

        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);       // e.g. the server restarted
        assertThat(h.recorder.lines).containsExactly(
                "state RESUMING",
                "session resuming",
                "session resume failed unknown",
                "ended c-1 [ended] connection_lost by null 0ms",
                "disconnected 1006 session not resumed (unknown)",
                "state DISCONNECTED",
                "state CONNECTING");
        // A new connection signs in afresh at once, with a token from the supplier.
        assertThat(h.transport.links).hasSize(3);
        assertThat(h.link().commands()).extracting(Command::type).containsExactly("auth");
        assertThat(h.link().last(Command.Auth.class).token()).isEqualTo("token-alice");
        assertThat(h.core.rooms()).containsExactly(standup, retro);
        assertThat(standup.isJoined()).isTrue();
        assertThat(call.endReason()).isEqualTo(EndReason.CONNECTION_LOST);   // calls are not re-established
        CompletableFuture<SessionInfo> connect = h.core.connect();             // the sign-in under way

        h.signedIn("s-2");
        assertThat(connect.join().sessionId()).isEqualTo("s-2");
        Command.RoomJoin again = rejoinOf(h, "standup");
        assertThat(again.originalHandle()).isEqualTo("h-1");
        assertThat(rejoinOf(h, "retro").originalHandle()).isEqualTo("h-2");
        assertThat(h.link().commands(Command.CallJoin.class)).isEmpty();
        h.recorder.lines.clear();

        h.ok(rejoinOf(h, "retro").id(), result("retro", "h-22"));
        h.ok(again.id(), result("standup", "h-11", new Result.RoomParticipant("carol", "h-c", true)));
        assertThat(h.recorder.lines).containsExactly(
                "room resume ok retro [h-22] {} h-22 was h-2",
                "room resume ok standup [h-11] {carol/h-c} h-11 was h-1");
        assertThat(standup.handle()).isEqualTo("h-11");
        assertThat(standup.participants()).containsExactly(new RoomParticipant("carol", "h-c", true));
        assertThat(h.core.rooms()).containsExactly(standup, retro);

        // The rooms go on in the new session; nothing gives them up later.
        h.event(new Event.RoomParticipantLeft("standup", "carol", "h-c", RoomLeaveReason.LEFT));
        keepAlive(h, 120_000);
        assertThat(h.recorder.lines).containsExactly(
                "room resume ok retro [h-22] {} h-22 was h-2",
                "room resume ok standup [h-11] {carol/h-c} h-11 was h-1",
                "room left standup [h-11] {} carol/h-c left");
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @ParameterizedTest
    @EnumSource(ResumeFailure.class)
    void everyResumeFailureStartsTheConferenceResume(ResumeFailure reason) {
        Harness h = new Harness();
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(reason);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        h.signedIn("s-2");
        assertThat(rejoinOf(h, "standup").originalHandle()).isEqualTo("h-1");
    }

    @Test
    void whileTheServerIsUnreachableTheSignInIsRetriedWithBackoff() {
        Harness h = harness(Duration.ofSeconds(60));
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.transport.failOpens = 1_000;
        h.lose();
        h.scheduler.advance(5_000);                  // the session resume gives up (expired)
        assertThat(h.recorder.lines).contains("session resume failed expired").endsWith("state CONNECTING");
        h.recorder.lines.clear();

        // The first sign-in attempt was made at once and failed; then waits of 0.5 × 100, 200, 400, 800, 1000 ms.
        for (long wait : new long[] {50, 100, 200, 400, 500, 500}) {
            int opens = h.transport.opens;
            h.scheduler.advance(wait - 1);
            assertThat(h.transport.opens).as("before %d ms", wait).isEqualTo(opens);
            h.scheduler.advance(1);
            assertThat(h.transport.opens).as("after %d ms", wait).isEqualTo(opens + 1);
        }
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(h.recorder.lines).isEmpty();      // quietly: no state changes, no disconnects

        h.transport.failOpens = 0;
        h.scheduler.advance(500);
        assertThat(h.link().commands()).extracting(Command::type).containsExactly("auth");
        h.signedIn("s-2");
        h.ok(rejoinOf(h, "standup").id(), result("standup", "h-9"));
        assertThat(h.recorder.lines).containsExactly("state CONNECTED", "room resume ok standup [h-9] {} h-9 was h-1");
        assertThat(room.handle()).isEqualTo("h-9");
    }

    @Test
    void aSignInWithoutReplyIsAbandonedAndTriedAgain() {
        Harness h = harness(Duration.ofSeconds(60));
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        TestTransport.TestLink silent = h.link();
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis());
        assertThat(silent.aborted).isTrue();
        h.scheduler.advance(50);
        assertThat(h.link()).isNotSameAs(silent);
        h.signedIn("s-2");
        h.ok(rejoinOf(h, "standup").id(), result("standup", "h-2"));
        assertThat(h.recorder.lines).endsWith("state CONNECTED", "room resume ok standup [h-2] {} h-2 was h-1");
    }

    @Test
    void whenTheGiveUpTimePassesTheRoomsAreGivenUpAndTheSignInStops() {
        Harness h = harness(Duration.ofSeconds(10));
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.lose();
        h.transport.failOpens = 1_000;
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.recorder.lines.clear();

        h.scheduler.advance(9_999);
        assertThat(h.recorder.lines).isEmpty();
        h.scheduler.advance(1);
        assertThat(h.recorder.lines).containsExactly(
                "room resume failed standup [h-1] {} TIMEOUT",
                "room gone standup [h-1 left] {}",
                "state DISCONNECTED");
        DialtoneException reason = h.recorder.roomResumeFailures.get(0);
        assertThat(reason.isTimeout()).isTrue();
        assertThat(reason.getMessage()).contains("standup", "10000 ms", "cannot connect");
        assertThat(room.isJoined()).isFalse();
        assertThat(h.core.rooms()).isEmpty();
        int opens = h.transport.opens;
        h.scheduler.advance(120_000);
        assertThat(h.transport.opens).isEqualTo(opens);
        assertThat(h.scheduler.pending()).isZero();

        // A new session can be opened by hand.
        h.transport.failOpens = 0;
        h.connected();
        assertThat(h.core.rooms()).isEmpty();
    }

    @Test
    void theGiveUpTimeCountsFromTheResumeFailureNotFromTheLostConnection() {
        Harness h = harness(Duration.ofSeconds(10));
        h.connected();
        joined(h, "standup", "h-1");
        h.transport.failOpens = 1_000;
        h.lose();
        h.scheduler.advance(5_000);                  // resume given up after 5 s
        h.scheduler.advance(9_999);
        assertThat(h.recorder.lines).doesNotContain("room gone standup [h-1 left] {}");
        h.scheduler.advance(1);
        assertThat(h.recorder.lines).contains("room gone standup [h-1 left] {}");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"FORBIDDEN", "FULL", "DENIED"})
    void aRoomThatRefusesTheRejoinIsGivenUpAndTheOthersResume(ErrorCode code) {
        Harness h = new Harness();
        h.connected();
        Room standup = joined(h, "standup", "h-1");
        Room retro = joined(h, "retro", "h-2");
        h.lose();
        h.resumeFailed(ResumeFailure.EXPIRED);
        h.signedIn("s-2");
        h.recorder.lines.clear();
        h.error(rejoinOf(h, "standup").id(), code, "no");
        h.ok(rejoinOf(h, "retro").id(), result("retro", "h-22"));
        assertThat(h.recorder.lines).containsExactly(
                "room resume failed standup [h-1] {} " + code.wire(),
                "room gone standup [h-1 left] {}",
                "room resume ok retro [h-22] {} h-22 was h-2");
        assertThat(h.recorder.roomResumeFailures.get(0).code()).isEqualTo(code);
        assertThat(standup.isJoined()).isFalse();
        assertThat(h.core.rooms()).containsExactly(retro);
        keepAlive(h, 120_000);
        assertThat(h.recorder.lines).hasSize(3);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aRejoinWithoutReplyIsSentAgainAfterABackoffWait() {
        Harness h = new Harness();
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.signedIn("s-2");
        String first = rejoinOf(h, "standup").id();
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis());
        assertThat(h.link().commands(Command.RoomJoin.class)).hasSize(1);
        h.scheduler.advance(50);
        List<Command.RoomJoin> joins = h.link().commands(Command.RoomJoin.class);
        assertThat(joins).hasSize(2);
        assertThat(joins.get(1).id()).isNotEqualTo(first);
        assertThat(joins.get(1).originalHandle()).isEqualTo("h-1");
        h.ok(joins.get(1).id(), result("standup", "h-3"));
        assertThat(h.recorder.lines).endsWith("room resume ok standup [h-3] {} h-3 was h-1");
    }

    @Test
    void aRefusedSignInEndsTheConferenceResume() {
        Harness h = new Harness();
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.recorder.lines.clear();
        h.error(h.link().last(Command.Auth.class).id(), ErrorCode.UNAUTHORIZED, "token expired");
        assertThat(h.recorder.lines).containsExactly(
                "room resume failed standup [h-1] {} unauthorized",
                "room gone standup [h-1 left] {}",
                "disconnected 4401 auth failed: unauthorized: token expired",
                "state DISCONNECTED");
        h.scheduler.advance(120_000);
        assertThat(h.transport.links).hasSize(3);
    }

    @Test
    void leavingARoomDuringItsConferenceResumeStopsIt() {
        Harness h = harness(Duration.ofSeconds(60));
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.lose();
        h.transport.failOpens = 1_000;
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.recorder.lines.clear();
        CompletableFuture<Void> leave = room.leave();         // no server to ask: done at once
        assertThat(leave).isCompleted();
        assertThat(h.recorder.lines).containsExactly("room gone standup [h-1 left] {}", "state DISCONNECTED");
        int opens = h.transport.opens;
        h.scheduler.advance(120_000);
        assertThat(h.transport.opens).isEqualTo(opens);   // nothing left to sign in for
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void aRejoinAnsweredAfterItsRoomWasGivenUpIsLeft() {
        Harness h = harness(Duration.ofSeconds(3));
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.signedIn("s-2");
        String rejoin = rejoinOf(h, "standup").id();
        h.scheduler.advance(3_000);
        assertThat(h.recorder.lines).endsWith("room resume failed standup [h-1] {} TIMEOUT",
                "room gone standup [h-1 left] {}");
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);

        h.ok(rejoin, result("standup", "h-2"));
        assertThat(h.link().last(Command.RoomLeave.class).room()).isEqualTo("standup");
        assertThat(room.handle()).isEqualTo("h-1");
        assertThat(h.core.rooms()).isEmpty();
    }

    @Test
    void aRejoinAnsweredAfterTheRoomWasLeftIsLeft() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.signedIn("s-2");
        String rejoin = rejoinOf(h, "standup").id();
        assertThat(room.leave()).isCompleted();
        assertThat(h.link().commands(Command.RoomLeave.class)).isEmpty();
        h.ok(rejoin, result("standup", "h-2"));
        assertThat(h.link().commands(Command.RoomLeave.class)).hasSize(1);
        assertThat(h.recorder.lines).doesNotContain("room resume ok standup [h-2] {} h-2 was h-1");
    }

    @Test
    void closeOrLogoutDuringTheConferenceResumeStopsIt() {
        Harness h = harness(Duration.ofSeconds(60));
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.transport.failOpens = 1_000;
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.recorder.lines.clear();
        h.core.close();
        assertThat(h.recorder.lines).containsExactly(
                "room resume failed standup [h-1] {} CONNECTION",
                "room gone standup [h-1 left] {}",
                "state DISCONNECTED");
        assertThat(h.scheduler.pending()).isZero();

        Harness h2 = harness(Duration.ofSeconds(60));
        h2.connected();
        joined(h2, "standup", "h-1");
        h2.lose();
        h2.transport.failOpens = 1_000;
        h2.resumeFailed(ResumeFailure.UNKNOWN);
        h2.recorder.lines.clear();
        assertThat(h2.core.logout()).isCompleted();
        assertThat(h2.recorder.lines).containsExactly(
                "room resume failed standup [h-1] {} CONNECTION",
                "room gone standup [h-1 left] {}",
                "state DISCONNECTED");
        int opens = h2.transport.opens;
        h2.scheduler.advance(120_000);
        assertThat(h2.transport.opens).isEqualTo(opens);
    }

    @Test
    void aNewSessionResumedMeanwhileSendsTheRejoinAgain() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.signedIn("s-2");
        String rejoin = rejoinOf(h, "standup").id();
        h.lose();                                    // the new session's connection drops too
        assertThat(h.resume().session()).isEqualTo("s-2");
        h.resumed("r-s-2b", 0);
        assertThat(rejoinOf(h, "standup").id()).isEqualTo(rejoin);   // re-sent with its id
        h.ok(rejoin, result("standup", "h-2"));
        assertThat(room.handle()).isEqualTo("h-2");
        assertThat(h.recorder.lines).endsWith("room resume ok standup [h-2] {} h-2 was h-1");
    }

    @Test
    void aNewSessionLostForGoodToo_startsTheSignInOverWithTheSameOriginalHandles() {
        Harness h = new Harness();
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        h.signedIn("s-2");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(h.link().commands()).extracting(Command::type).containsExactly("auth");
        h.signedIn("s-3");
        Command.RoomJoin again = rejoinOf(h, "standup");
        assertThat(again.originalHandle()).isEqualTo("h-1");
        h.ok(again.id(), result("standup", "h-3"));
        assertThat(h.recorder.lines).endsWith("room resume ok standup [h-3] {} h-3 was h-1");
    }

    @Test
    void networkChangedSkipsTheSignInWait() {
        Harness h = new Harness(Duration.ofSeconds(2), Duration.ofSeconds(5), null, Duration.ofSeconds(60));
        h.connected();
        joined(h, "standup", "h-1");
        h.lose();
        h.resumeFailed(ResumeFailure.UNKNOWN);
        TestTransport.TestLink signingIn = h.link();
        signingIn.listener.onFailure(new java.io.IOException("reset"));   // this attempt breaks; now waiting 1 s
        int opens = h.transport.opens;
        assertThat(opens).isEqualTo(3);
        h.scheduler.advance(999);
        assertThat(h.transport.opens).isEqualTo(opens);
        h.core.networkChanged();
        assertThat(h.transport.opens).isEqualTo(opens + 1);
        h.signedIn("s-2");
        assertThat(rejoinOf(h, "standup").originalHandle()).isEqualTo("h-1");
    }
}
