package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A {@link ClientCore} wired to an in-memory transport, a manual clock, scripted jitter and (by
 * default) an inline callback executor, so a test plays the server frame by frame and sees
 * callbacks at once.
 */
final class Harness {
    static final WireCodec CODEC = WireCodec.get();
    static final URI SERVER = URI.create("ws://dialtone.test/v1/ws");
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final long HEARTBEAT_MS = 15_000;
    static final long RESUME_WINDOW_MS = 60_000;

    final TestTransport transport = new TestTransport();
    final ManualScheduler scheduler = new ManualScheduler();
    final Recorder recorder;
    final ClientCore core;
    /** The reconnect jitter values the client draws next, in [0, 1]; 0.5 once they run out. */
    final Deque<Double> jitter = new ArrayDeque<>();
    long seq;

    Harness() {
        this(new Recorder(), Runnable::run);
    }

    Harness(Recorder recorder, Executor callbacks) {
        this(recorder, callbacks, () -> "token-alice");
    }

    Harness(Recorder recorder, Executor callbacks, Supplier<String> tokens) {
        this(recorder, callbacks, config(tokens, ClientConfig.DEFAULT_RECONNECT_INITIAL,
                ClientConfig.DEFAULT_RECONNECT_MAX, null));
    }

    /** With this reconnect backoff and give-up time (null: the server's resume window). */
    Harness(Duration initial, Duration max, Duration giveUp) {
        this(new Recorder(), Runnable::run, config(() -> "token-alice", initial, max, giveUp));
    }

    Harness(Recorder recorder, Executor callbacks, ClientConfig config) {
        this.recorder = recorder;
        core = new ClientCore(config, transport, scheduler, scheduler::nanoTime, callbacks, recorder,
                () -> jitter.isEmpty() ? 0.5 : jitter.poll());
    }

    /** With this reconnect backoff, give-up time (null: the server's resume window) and conference-resume give-up time. */
    Harness(Duration initial, Duration max, Duration giveUp, Duration roomGiveUp) {
        this(new Recorder(), Runnable::run, new ClientConfig(SERVER, () -> "token-alice", "laptop", REQUEST_TIMEOUT,
                Duration.ofSeconds(5), initial, max, giveUp, roomGiveUp));
    }

    static ClientConfig config(Supplier<String> tokens, Duration initial, Duration max, Duration giveUp) {
        return new ClientConfig(SERVER, tokens, "laptop", REQUEST_TIMEOUT, Duration.ofSeconds(5), initial, max, giveUp);
    }

    /** Connects and answers the auth as the server would; returns the session. */
    SessionInfo connected() {
        CompletableFuture<SessionInfo> connect = core.connect();
        Command.Auth auth = link().last(Command.Auth.class);
        ok(auth.id(), new Result.Auth("s-1", "r-1", "alice", "laptop", RESUME_WINDOW_MS, HEARTBEAT_MS, 0, null));
        assertThat(connect).isCompleted();
        return connect.join();
    }

    /**
     * The server answers the {@code auth} on the current connection (a new session {@code sessionId}
     * whose events start again at seq 1).
     */
    void signedIn(String sessionId) {
        seq = 0;
        ok(link().last(Command.Auth.class).id(), new Result.Auth(sessionId, "r-" + sessionId, "alice", "laptop",
                RESUME_WINDOW_MS, HEARTBEAT_MS, 0, null));
    }

    /** The network drops the current connection (no close frame). */
    void lose() {
        link().listener.onFailure(new java.io.IOException("connection reset"));
    }

    /** The resume the client sent on the current connection. */
    Command.Resume resume() {
        return link().last(Command.Resume.class);
    }

    /** The server resumes the session: the rotated token, and how many events it replays next. */
    void resumed(String newToken, int replayed) {
        ok(resume().id(), new Result.Resume("s-1", newToken, replayed, null));
    }

    /** The server refuses the resume. */
    void resumeFailed(ResumeFailure reason) {
        core.receive(decode(CODEC.encodeReply(new Reply.Error(resume().id(), ErrorCode.RESUME_FAILED,
                "cannot resume session s-1: " + reason.wire(), reason, null))));
    }

    TestTransport.TestLink link() {
        return transport.link();
    }

    /** The server answers {@code re} with ok and {@code result}, through the real codec. */
    void ok(String re, Result result) {
        core.receive(decode(CODEC.encodeReply(Reply.ok(re, result))));
    }

    void ok(String re) {
        ok(re, Result.Empty.INSTANCE);
    }

    void error(String re, ErrorCode code, String message) {
        core.receive(decode(CODEC.encodeReply(Reply.error(re, code, message))));
    }

    /** The server sends {@code event} with the next seq. */
    void event(Event event) {
        event(++seq, event);
    }

    /** The server sends {@code event} with this seq (also to replay old seqs). */
    void event(long seq, Event event) {
        this.seq = Math.max(this.seq, seq);
        core.receive(decode(CODEC.encodeEvent(event).withSeq(seq)));
    }

    /** The id of the last command of this type the client sent. */
    String idOf(Class<? extends Command> type) {
        return link().last(type).id();
    }

    static ServerFrame decode(String text) {
        try {
            return CODEC.decodeServerFrame(text);
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }
}
