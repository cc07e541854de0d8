package dev.dialtone.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.EndReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each benchmark's setup and a few invocations, outside JMH: a benchmark whose calls are refused
 * or do not end would otherwise measure nothing (or an exception path) without anyone noticing.
 */
class BenchmarkSetupTest {

    private final Blackhole bh = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    private final CallMachineBenchmark machine = new CallMachineBenchmark();

    private CallMachineBenchmark.Engine engine(String ids) {
        CallMachineBenchmark.Engine engine = new CallMachineBenchmark.Engine();
        engine.ids = ids;
        engine.setUp();
        return engine;
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "sequential"})
    void lifecycles_end_with_a_hangup_and_leave_nothing_behind(String ids) {
        CallMachineBenchmark.Engine engine = engine(ids);
        String firstCall = null;
        for (int i = 0; i < 2 * CallMachineBenchmark.PAIRS + 3; i++) {
            machine.lifecycle(engine, bh);
            if (firstCall == null) {
                firstCall = engine.last.id();
            }
            assertThat(engine.last.state()).isEqualTo(CallState.ENDED);
            assertThat(engine.last.endReason()).isEqualTo(EndReason.HANGUP);
            assertThat(engine.last.roomId()).isNotNull();
        }
        assertThat(engine.last.id()).isNotEqualTo(firstCall);
        engine.verify();
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "sequential"})
    void lifecycles_with_lines_release_every_line(String ids) {
        CallMachineBenchmark.Engine engine = engine(ids);
        for (int i = 0; i < CallMachineBenchmark.PAIRS + 3; i++) {
            machine.lifecycleWithLines(engine, bh);
            assertThat(engine.last.state()).isEqualTo(CallState.ENDED);
            assertThat(engine.last.endReason()).isEqualTo(EndReason.HANGUP);
            assertThat(engine.lines.engagedUsers()).isZero();
        }
        engine.verify();
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "sequential"})
    void invites_are_canceled(String ids) {
        CallMachineBenchmark.Engine engine = engine(ids);
        for (int i = 0; i < 10; i++) {
            machine.inviteCancel(engine, bh);
            assertThat(engine.last.state()).isEqualTo(CallState.ENDED);
            assertThat(engine.last.endReason()).isEqualTo(EndReason.CANCELED);
        }
        engine.verify();
    }

    @Test
    void hold_toggles_and_signals_keep_the_call_active() {
        CallMachineBenchmark.ActiveCall active = new CallMachineBenchmark.ActiveCall();
        active.setUp();
        String callee = active.pair.callee.user();
        for (int i = 0; i < 5; i++) {
            machine.holdToggle(active, bh);
            assertThat(active.call.party(callee).held()).isEqualTo(i % 2 == 0);
            machine.signal(active, bh);
            active.verify();
        }
    }

    @Test
    void codec_frames_decode_and_events_encode() throws Exception {
        WireCodecBenchmark codec = new WireCodecBenchmark();
        codec.setUp();
        assertThat(codec.decodeInvite()).isInstanceOf(Command.CallInvite.class);
        Command signal = codec.decodeSignal();
        assertThat(signal).isInstanceOf(Command.CallSignal.class);
        assertThat(((Command.CallSignal) signal).data().get("sdp").textValue()).hasSize(Frames.SDP_CHARS);
        assertThat(codec.encodeIncoming()).startsWith("{\"type\":\"call.incoming\",\"seq\":1,\"callId\":")
                .contains("\"invitees\":[\"callee-1\"]");
        assertThat(codec.encodeStarted()).startsWith("{\"type\":\"call.started\",\"seq\":2,\"callId\":")
                .contains("\"participants\":[\"caller-1\",\"callee-1\"]");
    }
}
