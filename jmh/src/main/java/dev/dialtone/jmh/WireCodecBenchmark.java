package dev.dialtone.jmh;

import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.WireCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec's per-frame cost on the server's hot path, on one thread (ops/s = frames/s).
 *
 * <ul>
 *   <li>{@link #decodeInvite}, {@link #decodeSignal}: a text frame from a client to a typed
 *       {@link Command}, as {@code Connection} does for every frame ({@code call.signal} carrying a
 *       1 KiB SDP offer).</li>
 *   <li>{@link #encodeIncoming}, {@link #encodeStarted}: an event to the frame a session sends, as
 *       {@code CallService} and {@code Session} do it: {@code encodeEvent} once, then
 *       {@code withSeq} for the session.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class WireCodecBenchmark {

    WireCodec codec;
    String inviteFrame;
    String signalFrame;
    Event incoming;
    Event started;
    long seq;

    @Setup(Level.Trial)
    public void setUp() {
        codec = WireCodec.get();
        inviteFrame = Frames.INVITE;
        signalFrame = Frames.SIGNAL;
        incoming = Frames.incoming();
        started = Frames.started();
    }

    @Benchmark
    public Command decodeInvite() throws ProtocolException {
        return codec.decodeCommand(inviteFrame);
    }

    @Benchmark
    public Command decodeSignal() throws ProtocolException {
        return codec.decodeCommand(signalFrame);
    }

    @Benchmark
    public String encodeIncoming() {
        return codec.encodeEvent(incoming).withSeq(++seq);
    }

    @Benchmark
    public String encodeStarted() {
        return codec.encodeEvent(started).withSeq(++seq);
    }
}
