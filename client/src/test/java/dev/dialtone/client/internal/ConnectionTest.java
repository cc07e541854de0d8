package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Sign-in, heartbeats, close, logout and the ways a session ends. */
class ConnectionTest {

    private static DialtoneException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return (DialtoneException) e.getCause();
        }
        throw new AssertionError("not failed");
    }

    @Test
    void connectSendsAuthAndCompletesWithTheSession() {
        Harness h = new Harness();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTING);
        assertThat(h.core.connect()).isSameAs(connect);
        Command.Auth auth = h.link().last(Command.Auth.class);
        assertThat(auth.token()).isEqualTo("token-alice");
        assertThat(auth.device()).isEqualTo("laptop");
        assertThat(h.link().commands()).hasSize(1);

        h.ok(auth.id(), new Result.Auth("s-1", "r-1", "alice", "laptop", 60_000, 15_000, 0, null));
        assertThat(connect.join()).isEqualTo(new SessionInfo("s-1", "alice", "laptop", Duration.ofSeconds(60),
                Duration.ofSeconds(15), java.util.OptionalInt.of(0)));
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(h.core.session()).contains(connect.join());
        assertThat(h.core.connect().join()).isEqualTo(connect.join());
        assertThat(h.recorder.lines).containsExactly("state CONNECTING", "state CONNECTED");
    }

    @Test
    void aRefusedTokenFailsConnectWithUnauthorized() {
        Harness h = new Harness();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        h.error(h.idOf(Command.Auth.class), ErrorCode.UNAUTHORIZED, "token expired");

        DialtoneException e = failure(connect);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.command()).isEqualTo("auth");
        assertThat(h.link().closedWith).isEqualTo(1000);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(h.recorder.lines).containsExactly("state CONNECTING",
                "disconnected 4401 auth failed: unauthorized: token expired", "state DISCONNECTED");
        // The server's own 4401 close arrives afterwards and changes nothing.
        h.link().listener.onClosed(CloseCodes.UNAUTHORIZED, "token expired");
        assertThat(h.recorder.lines).hasSize(3);
    }

    @Test
    void aCloseWith4401BeforeTheAuthReplyAlsoMeansUnauthorized() {
        Harness h = new Harness();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        h.link().listener.onClosed(CloseCodes.UNAUTHORIZED, "no valid token");
        DialtoneException e = failure(connect);
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.REJECTED);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(h.recorder.lines).containsExactly("state CONNECTING", "disconnected 4401 no valid token",
                "state DISCONNECTED");
    }

    @Test
    void anUnreachableServerFailsConnectWithoutOnDisconnected() {
        Harness h = new Harness();
        h.transport.failNextOpen = new IllegalStateException("connection refused");
        DialtoneException e = failure(h.core.connect());
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(e.getMessage()).contains("connection refused");
        assertThat(h.recorder.lines).containsExactly("state CONNECTING", "state DISCONNECTED");
    }

    @Test
    void aFailingTokenSupplierFailsConnect() {
        Harness h = new Harness(new Recorder(), Runnable::run, () -> {
            throw new IllegalStateException("token service down");
        });
        DialtoneException e = failure(h.core.connect());
        assertThat(e.kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(e.getMessage()).contains("token service down");
        assertThat(e.getCause()).hasMessage("token service down");
        assertThat(h.link().sent).isEmpty();
        assertThat(h.link().closedWith).isEqualTo(1000);
    }

    @Test
    void authWithoutReplyTimesOut() {
        Harness h = new Harness();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        h.scheduler.advance(Harness.REQUEST_TIMEOUT.toMillis());
        assertThat(failure(connect).kind()).isEqualTo(DialtoneException.Kind.TIMEOUT);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.DISCONNECTED);
    }

    @Test
    void heartbeatsPingAndASilentServerMeansTheConnectionIsLost() {
        Harness h = new Harness();
        h.connected();
        h.scheduler.advance(Harness.HEARTBEAT_MS);
        List<Command.Ping> pings = h.link().commands(Command.Ping.class);
        assertThat(pings).hasSize(1);
        h.ok(pings.get(0).id()); // the server answers: a frame arrived
        h.scheduler.advance(Harness.HEARTBEAT_MS);
        assertThat(h.link().commands(Command.Ping.class)).hasSize(2);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);

        // From now on the server is silent: 2 intervals after its last frame, the connection
        // counts as lost: it is dropped and the session resumed on a new one.
        TestTransport.TestLink silent = h.link();
        h.scheduler.advance(Harness.HEARTBEAT_MS - 1);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
        h.scheduler.advance(1);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.RESUMING);
        assertThat(silent.aborted).isTrue();
        assertThat(h.transport.links).hasSize(2);
        assertThat(h.resume().lastSeq()).isZero();
        assertThat(h.recorder.lines).endsWith("state RESUMING", "session resuming");
        int sent = silent.sent.size();
        h.scheduler.advance(10 * Harness.HEARTBEAT_MS);
        assertThat(silent.sent).hasSize(sent);
    }

    @Test
    void anyFrameKeepsTheConnectionAlive() {
        Harness h = new Harness();
        h.connected();
        for (int i = 0; i < 10; i++) {
            h.scheduler.advance(Harness.HEARTBEAT_MS);
            h.event(new Event.CallRinging("c-unknown", "bob")); // not a ping reply, still a frame
        }
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void replacedByANewerLoginEndsTheSession() {
        Harness h = new Harness();
        h.connected();
        h.event(new Event.CallIncoming("c-1", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        h.link().listener.onClosed(CloseCodes.REPLACED, "replaced by a newer login");
        assertThat(h.recorder.lines).endsWith("ended c-1 [ended] connection_lost by null 0ms",
                "disconnected 4409 replaced by a newer login", "state DISCONNECTED");
    }

    @Test
    void closeEndsEverythingAndIsFinal() {
        Harness h = new Harness();
        h.connected();
        h.event(new Event.CallIncoming("c-1", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        CompletableFuture<Void> hold = h.recorder.incoming.get(0).hold();
        h.core.close();

        assertThat(failure(hold).kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        assertThat(h.link().closedWith).isEqualTo(1000);
        assertThat(h.recorder.lines).endsWith("ended c-1 [ended] connection_lost by null 0ms",
                "disconnected 1000 client closed", "state DISCONNECTED");
        assertThat(failure(h.core.connect()).getMessage()).contains("closed");
        assertThat(failure(h.core.invite(InviteOptions.to("bob"))).getMessage()).contains("closed");
        h.core.close(); // twice is harmless
        assertThat(h.scheduler.pending()).isZero();
    }

    @Test
    void closeWhileConnectingAbortsTheSocketThatOpensLate() {
        Harness h = new Harness();
        h.transport.pendingOpen = new CompletableFuture<>();
        CompletableFuture<SessionInfo> connect = h.core.connect();
        h.core.close();
        assertThat(failure(connect).kind()).isEqualTo(DialtoneException.Kind.CONNECTION);
        TestTransport.TestLink late = h.link();
        h.transport.pendingOpen.complete(late);
        assertThat(late.aborted).isTrue();
        assertThat(late.sent).isEmpty();
    }

    @Test
    void logoutEndsCallsAsHangupAndAllowsANewSession() {
        Harness h = new Harness();
        h.connected();
        h.event(new Event.CallIncoming("c-1", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        CompletableFuture<Void> logout = h.core.logout();
        h.ok(h.idOf(Command.Logout.class));

        assertThat(logout).isCompleted();
        assertThat(h.link().closedWith).isEqualTo(1000);
        assertThat(h.recorder.lines).endsWith("ended c-1 [ended] hangup by alice 0ms",
                "disconnected 1000 logged out", "state DISCONNECTED");

        SessionInfo again = h.connected();
        assertThat(again.sessionId()).isEqualTo("s-1");
        assertThat(h.transport.links).hasSize(2);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void framesFromAReplacedConnectionAreIgnored() {
        Harness h = new Harness();
        h.connected();
        TestTransport.TestLink first = h.link();
        first.listener.onClosed(1001, "server shutting down"); // resumed on a new connection
        h.resumed("r-2", 0);
        first.listener.onText(Harness.CODEC.encodeEvent(new Event.CallIncoming("c-9", "bob", Media.AUDIO, null,
                List.of("alice"), 1L, null)).withSeq(1));
        assertThat(h.recorder.incoming).isEmpty();
        // The same frame on the current connection is processed.
        h.link().listener.onText(Harness.CODEC.encodeEvent(new Event.CallIncoming("c-9", "bob", Media.AUDIO, null,
                List.of("alice"), 1L, null)).withSeq(1));
        assertThat(h.recorder.incoming).hasSize(1);
    }

    @Test
    void anUndecodableFrameIsSkipped() {
        Harness h = new Harness();
        h.connected();
        h.link().listener.onText("not json");
        h.link().listener.onText("{\"type\":\"call.ended\",\"seq\":1,\"callId\":\"c-1\",\"reason\":\"eaten_by_a_grue\"}");
        h.event(2, new Event.CallIncoming("c-2", "bob", Media.AUDIO, null, List.of("alice"), 1L, null));
        assertThat(h.recorder.incoming).hasSize(1);
        assertThat(h.core.connectionState()).isEqualTo(ConnectionState.CONNECTED);
    }
}
