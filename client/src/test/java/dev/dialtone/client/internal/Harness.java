package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A {@link ClientCore} wired to an in-memory transport, a manual clock and (by default) an inline
 * callback executor, so a test plays the server frame by frame and sees callbacks at once.
 */
final class Harness {
    static final WireCodec CODEC = WireCodec.get();
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final long HEARTBEAT_MS = 15_000;

    final TestTransport transport = new TestTransport();
    final ManualScheduler scheduler = new ManualScheduler();
    final Recorder recorder;
    final ClientCore core;
    long seq;

    Harness() {
        this(new Recorder(), Runnable::run);
    }

    Harness(Recorder recorder, Executor callbacks) {
        this(recorder, callbacks, () -> "token-alice");
    }

    Harness(Recorder recorder, Executor callbacks, Supplier<String> tokens) {
        this.recorder = recorder;
        ClientConfig config = new ClientConfig(URI.create("ws://dialtone.test/v1/ws"), tokens, "laptop",
                REQUEST_TIMEOUT, Duration.ofSeconds(5));
        core = new ClientCore(config, transport, scheduler, scheduler::nanoTime, callbacks, recorder);
    }

    /** Connects and answers the auth as the server would; returns the session. */
    SessionInfo connected() {
        CompletableFuture<SessionInfo> connect = core.connect();
        Command.Auth auth = link().last(Command.Auth.class);
        ok(auth.id(), new Result.Auth("s-1", "r-1", "alice", "laptop", 60_000, HEARTBEAT_MS));
        assertThat(connect).isCompleted();
        return connect.join();
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
