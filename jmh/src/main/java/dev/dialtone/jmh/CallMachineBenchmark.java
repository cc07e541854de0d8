package dev.dialtone.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dialtone.core.Action;
import dev.dialtone.core.Actor;
import dev.dialtone.core.Call;
import dev.dialtone.core.CallMachine;
import dev.dialtone.core.CallPolicy;
import dev.dialtone.core.Clock;
import dev.dialtone.core.Effect;
import dev.dialtone.core.IdSource;
import dev.dialtone.core.Invitation;
import dev.dialtone.core.LineBook;
import dev.dialtone.core.Outcome;
import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.core.Presence;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.Media;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pure call state machine ({@link CallMachine}) on one thread, with no server and no I/O.
 * Scores are transitions per second: a benchmark that applies N transitions per invocation says
 * so with {@link OperationsPerInvocation}.
 *
 * <ul>
 *   <li>{@link #lifecycle}: a full one-to-one call, as {@code ./dialtone bench calls} drives the
 *       server: invite (the callee is attached, so the invite is delivered and the caller hears
 *       {@code call.ringing} in the same transition) → accept → hold → unhold → hang up. Five
 *       transitions; every call has fresh ids and ends, so nothing accumulates.</li>
 *   <li>{@link #lifecycleWithLines}: the same cycle the way {@code CallService} runs it: a call id
 *       from the id source, the {@link LineBook} admission before the call is created,
 *       {@code lines.update} after every transition, and the wall clock read for each "now".</li>
 *   <li>{@link #inviteCancel}: invite, then the caller cancels. Two transitions.</li>
 *   <li>{@link #holdToggle}: one transition: hold or unhold on a call that stays active.</li>
 *   <li>{@link #signal}: one transition: a {@code call.signal} (1 KiB SDP) relayed on an active call.</li>
 * </ul>
 *
 * <p>{@code ids=server} wires the machine as {@code DialtoneServer} does ({@link IdSource#random}: a
 * time-ordered call id and a 96-bit {@code SecureRandom} room id); {@code ids=sequential} uses counters,
 * as the engine tests do, which shows what id generation costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class CallMachineBenchmark {

    /** Transitions of one {@link #lifecycle}: invite, accept, hold, unhold, hangup. */
    public static final int LIFECYCLE_TRANSITIONS = 5;
    /** Distinct caller/callee pairs the cycles rotate through. */
    static final int PAIRS = 1024;
    /** 2026-01-01T00:00:00Z, as in the engine tests. */
    static final long T0 = 1_767_225_600_000L;

    static final JsonNode INVITE_PAYLOAD = JsonNodeFactory.instance.objectNode()
            .put("subject", "Support call").put("ticket", "T-12345");
    static final JsonNode ANSWER_PAYLOAD = JsonNodeFactory.instance.objectNode().put("note", "on my way");

    /** Ids as a counter: {@code c-1, c-2, …}, {@code r-1, r-2, …}. */
    static final class SequentialIds implements IdSource {
        private long calls;
        private long rooms;

        @Override
        public String newCallId() {
            return "c-" + ++calls;
        }

        @Override
        public String newRoomId() {
            return "r-" + ++rooms;
        }
    }

    /** One caller/callee pair and the actions of its cycle, made once: the machine never changes them. */
    static final class Pair {
        final Actor caller;
        final Actor callee;
        final List<String> to;
        final List<Invitation> invitations;
        final Action accept;
        final Action hold;
        final Action unhold;
        final Action hangup;
        final Action cancel;

        Pair(int i) {
            caller = new Actor("caller-" + i, "s-caller-" + i);
            callee = new Actor("callee-" + i, "s-callee-" + i);
            to = List.of(callee.user());
            invitations = List.of(new Invitation(callee.user(), Invitation.Availability.FREE, true));
            accept = new Action.Accept(callee, ANSWER_PAYLOAD);
            hold = new Action.Hold(callee);
            unhold = new Action.Unhold(callee);
            hangup = new Action.Hangup(caller);
            cancel = new Action.Cancel(caller);
        }
    }

    /** The engine: a machine, its id source and the line book, and a cast of pairs. */
    @State(Scope.Thread)
    public static class Engine {
        @Param({"server", "sequential"})
        public String ids;

        CallMachine machine;
        IdSource idSource;
        LineBook lines;
        Pair[] pairs;
        final Clock wallClock = Clock.system();
        final Function<String, Presence> attached = user -> Presence.ATTACHED;
        /** The "now" handed to the pure machine: one millisecond further per transition. */
        long now = T0;
        int next;
        long cycles;
        Call last;

        @Setup(Level.Trial)
        public void setUp() {
            idSource = switch (ids) {
                case "server" -> IdSource.random(() -> now);
                case "sequential" -> new SequentialIds();
                default -> throw new IllegalArgumentException("ids: server or sequential, not " + ids);
            };
            machine = new CallMachine(CallPolicy.DEFAULT, idSource);
            lines = new LineBook();
            pairs = new Pair[PAIRS];
            for (int i = 0; i < PAIRS; i++) {
                pairs[i] = new Pair(i);
            }
        }

        Pair nextPair() {
            Pair pair = pairs[next];
            next = (next + 1) & (PAIRS - 1);
            return pair;
        }

        /** Fails the run if the benchmark measured something other than complete calls. */
        @TearDown(Level.Iteration)
        public void verify() {
            check(cycles > 0, "no cycle ran");
            check(last != null && last.state() == CallState.ENDED, "the last call did not end: " + last);
            check(lines.engagedUsers() == 0, lines.engagedUsers() + " users still engaged");
        }
    }

    /** A call in progress, for the single-transition benchmarks. */
    @State(Scope.Thread)
    public static class ActiveCall {
        CallMachine machine;
        Pair pair;
        Call call;
        Action signal;
        /** Whether the callee holds the call now ({@link #holdToggle}). */
        boolean held;
        long now = T0;
        long transitions;

        @Setup(Level.Trial)
        public void setUp() {
            machine = new CallMachine(CallPolicy.DEFAULT, IdSource.random(() -> now));
            pair = new Pair(0);
            Transition created = machine.create("c-bench", pair.caller, pair.invitations, Media.VIDEO,
                    INVITE_PAYLOAD, null, now);
            call = apply(machine, created.call(), pair.accept, ++now, null);
            signal = new Action.Signal(pair.caller, pair.callee.user(), Frames.signalData());
        }

        /** Fails the run if the call is no longer an active two-party call. */
        @TearDown(Level.Iteration)
        public void verify() {
            check(transitions > 0, "no transition ran");
            check(call.state() == CallState.ACTIVE && call.joinedParties().size() == 2, "not active: " + call);
            check(call.party(pair.callee.user()).held() == held, "hold state out of step: " + call);
        }
    }

    // ---- full cycles ---------------------------------------------------------------------------

    @Benchmark
    @OperationsPerInvocation(LIFECYCLE_TRANSITIONS)
    public void lifecycle(Engine e, Blackhole bh) {
        Pair p = e.nextPair();
        CallMachine m = e.machine;
        Transition created = m.create(e.idSource.newCallId(), p.caller, p.invitations, Media.VIDEO, INVITE_PAYLOAD,
                null, ++e.now);
        consume(created, bh);
        Call call = created.call();
        call = apply(m, call, p.accept, ++e.now, bh);
        call = apply(m, call, p.hold, ++e.now, bh);
        call = apply(m, call, p.unhold, ++e.now, bh);
        call = apply(m, call, p.hangup, ++e.now, bh);
        e.last = call;
        e.cycles++;
    }

    @Benchmark
    @OperationsPerInvocation(LIFECYCLE_TRANSITIONS)
    public void lifecycleWithLines(Engine e, Blackhole bh) {
        Pair p = e.nextPair();
        CallMachine m = e.machine;
        LineBook lines = e.lines;
        Clock clock = e.wallClock;
        String callId = e.idSource.newCallId();
        LineBook.Admission admission = lines.admit(callId, p.caller.user(), p.to, m.policy().busyPolicy(),
                e.attached);
        if (!(admission instanceof LineBook.Admission.Admitted admitted)) {
            throw new IllegalStateException("invite not admitted: " + admission);
        }
        Transition created = m.create(callId, p.caller, admitted.invitations(), Media.VIDEO, INVITE_PAYLOAD, null,
                clock.nowMillis());
        lines.update(created.call());
        consume(created, bh);
        Call call = created.call();
        call = applyAndUpdate(m, lines, call, p.accept, clock.nowMillis(), bh);
        call = applyAndUpdate(m, lines, call, p.hold, clock.nowMillis(), bh);
        call = applyAndUpdate(m, lines, call, p.unhold, clock.nowMillis(), bh);
        call = applyAndUpdate(m, lines, call, p.hangup, clock.nowMillis(), bh);
        e.last = call;
        e.cycles++;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public void inviteCancel(Engine e, Blackhole bh) {
        Pair p = e.nextPair();
        Transition created = e.machine.create(e.idSource.newCallId(), p.caller, p.invitations, Media.AUDIO,
                INVITE_PAYLOAD, null, ++e.now);
        consume(created, bh);
        e.last = apply(e.machine, created.call(), p.cancel, ++e.now, bh);
        e.cycles++;
    }

    // ---- single transitions on an active call ---------------------------------------------------

    @Benchmark
    public void holdToggle(ActiveCall a, Blackhole bh) {
        a.call = apply(a.machine, a.call, a.held ? a.pair.unhold : a.pair.hold, ++a.now, bh);
        a.held = !a.held;
        a.transitions++;
    }

    @Benchmark
    public void signal(ActiveCall a, Blackhole bh) {
        a.call = apply(a.machine, a.call, a.signal, ++a.now, bh);
        a.transitions++;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Applies an action that must be accepted and hands its effects to the blackhole. */
    static Call apply(CallMachine machine, Call call, Action action, long now, Blackhole bh) {
        Outcome outcome = machine.apply(call, action, now);
        if (outcome instanceof Transition transition) {
            if (bh != null) {
                consume(transition, bh);
            }
            return transition.call();
        }
        throw new IllegalStateException(action + " refused: " + outcome);
    }

    private static Call applyAndUpdate(CallMachine machine, LineBook lines, Call call, Action action, long now,
                                       Blackhole bh) {
        Call after = apply(machine, call, action, now, bh);
        lines.update(after);
        return after;
    }

    /** What the server does with a transition's effects: walks them in order. */
    static void consume(Transition transition, Blackhole bh) {
        List<Effect> effects = transition.effects();
        for (int i = 0; i < effects.size(); i++) {
            bh.consume(effects.get(i));
        }
        bh.consume(transition.call());
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
