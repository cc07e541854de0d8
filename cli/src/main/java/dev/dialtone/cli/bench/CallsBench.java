package dev.dialtone.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@code calls} scenario: pairs of users run full call cycles back to back, as fast as the
 * server answers — invite → incoming → accept → started → hold → unhold → hang up → ended on
 * both sides — and the scenario counts completed cycles and failures and measures the latencies
 * of invite→incoming, accept→started and hangup→ended. Counting starts after a warm-up.
 *
 * <p>At {@code --max} (rate 0) each pair starts its next cycle as soon as one ends. At a fixed
 * {@code --rate}, a pacer starts idle pairs at that many calls per second overall; when no pair is
 * idle at a tick, the start is counted as missed rather than made up later in a burst, so the
 * latencies are those of the rate asked for.
 *
 * <p>After the measured time no new cycle starts and the run waits (at most {@value #DRAIN_MS} ms)
 * for the cycles in flight, so that the totals add up: every call the server created is either
 * completed or counted as a failure or as still in flight.
 *
 * <p>Each pair is a small state machine driven by its two connections' frames; all pairs share
 * one Vert.x instance, so the load generator has no thread per connection.
 */
final class CallsBench {
    private static final long RETRY_PAUSE_MS = 100;
    private static final long DRAIN_MS = 5_000;
    private static final long PACER_TICK_MS = 1;
    private final URI server;
    private final Function<String, String> tokens;
    private final int pairs;
    private final long warmupMs;
    private final long durationMs;
    /** Calls per second to start, overall; 0 means as fast as the server goes. */
    private final double rate;
    private final PrintWriter out;
    /** The server's process id on this machine, or null: then its CPU is not reported. */
    private final Long serverPid;
    private final Stats stats = new Stats();
    /** Pairs waiting for the pacer (fixed rate only); guarded by itself. */
    private final ArrayDeque<Pair> idle = new ArrayDeque<>();
    private volatile boolean running = true;
    private volatile boolean measuring;

    CallsBench(URI server, Function<String, String> tokens, int pairs, long warmupMs, long durationMs,
               double rate, Long serverPid, PrintWriter out) {
        this.server = server;
        this.tokens = tokens;
        this.pairs = pairs;
        this.warmupMs = warmupMs;
        this.durationMs = durationMs;
        this.rate = rate;
        this.serverPid = serverPid;
        this.out = out;
    }

    /** What the run counted; guarded by its own monitor. */
    private final class Stats {
        final Percentiles inviteToIncoming = new Percentiles();
        final Percentiles acceptToStarted = new Percentiles();
        final Percentiles hangupToEnded = new Percentiles();
        final Map<String, Integer> failures = new TreeMap<>();
        /** Completed within the measured time. */
        long completed;
        /** Over the whole run, warm-up and drain included: calls the server created, and cycles done. */
        long createdTotal;
        long completedTotal;
        /** Cycles broken by an error and ended by a recovery hang-up: not completed. */
        long abandonedTotal;
        long missedStarts;

        synchronized void latency(Percentiles which, long nanos) {
            if (measuring) {
                which.add(nanos);
            }
        }

        synchronized void created() {
            createdTotal++;
        }

        synchronized void completed() {
            completedTotal++;
            if (measuring) {
                completed++;
            }
        }

        synchronized void abandoned() {
            abandonedTotal++;
        }

        synchronized void missedStart() {
            if (measuring) {
                missedStarts++;
            }
        }

        synchronized void failed(String code) {
            failures.merge(code, 1, Integer::sum);
        }

        synchronized long completedSoFar() {
            return completed;
        }
    }

    /** One caller and one callee running cycles. Frames of both sockets come here. */
    private final class Pair {
        final String callerUser;
        final String calleeUser;
        BenchSocket caller;
        BenchSocket callee;
        String callId;
        long invitedAt;
        long acceptedAt;
        long hungUpAt;
        int endings;
        boolean hangingUp;
        /** Between an invite and the end of its cycle (or its recovery). */
        boolean busy;
        /** This cycle met an error: its ending is a recovery, not a completed call. */
        boolean broken;
        /** Counts cycles, so that a retry scheduled for an earlier cycle does nothing. */
        long cycle;

        Pair(String callerUser, String calleeUser) {
            this.callerUser = callerUser;
            this.calleeUser = calleeUser;
        }

        synchronized void start() {
            if (!running) {
                busy = false;
                return;
            }
            busy = true;
            broken = false;
            cycle++;
            callId = null;
            endings = 0;
            hangingUp = false;
            invitedAt = System.nanoTime();
            ObjectNode invite = caller.command("call.invite").put("media", "audio");
            invite.putArray("to").add(calleeUser);
            caller.send(invite);
        }

        synchronized void fromCaller(JsonNode frame) {
            String type = frame.path("type").asText();
            switch (type) {
                case "error" -> failed(frame);
                case "ok" -> {
                    if (frame.has("callId")) {
                        stats.created(); // the invite's reply: the only ok with a callId the caller gets
                    }
                }
                case "call.started" -> {
                    stats.latency(stats.acceptToStarted, System.nanoTime() - acceptedAt);
                    caller.send(caller.command("call.hold").put("callId", callId));
                }
                case "call.hold_changed" -> {
                    if (frame.path("held").asBoolean()) {
                        caller.send(caller.command("call.unhold").put("callId", callId));
                    } else {
                        hungUpAt = System.nanoTime();
                        hangingUp = true;
                        caller.send(caller.command("call.hangup").put("callId", callId));
                    }
                }
                case "call.ended" -> {
                    if (hangingUp) {
                        stats.latency(stats.hangupToEnded, System.nanoTime() - hungUpAt);
                    }
                    ended();
                }
                default -> {
                    // ok replies and the other events of the cycle need no action.
                }
            }
        }

        synchronized void fromCallee(JsonNode frame) {
            switch (frame.path("type").asText()) {
                case "error" -> failed(frame);
                case "call.incoming" -> {
                    stats.latency(stats.inviteToIncoming, System.nanoTime() - invitedAt);
                    callId = frame.path("callId").asText();
                    acceptedAt = System.nanoTime();
                    callee.send(callee.command("call.accept").put("callId", callId));
                }
                case "call.ended" -> ended();
                default -> {
                }
            }
        }

        /** A cycle is done when both sides heard call.ended. */
        private void ended() {
            if (++endings == 2) {
                if (broken) {
                    stats.abandoned();
                } else {
                    stats.completed();
                }
                next();
            }
        }

        /** At --max the next cycle starts at once; at a fixed rate the pacer starts it. */
        private void next() {
            if (rate <= 0) {
                start();
                return;
            }
            busy = false;
            synchronized (idle) {
                idle.add(this);
            }
        }

        synchronized boolean isBusy() {
            return busy;
        }

        /**
         * An error breaks the cycle: count it, then, after a pause (the error may be a rate limit),
         * hang up the call if there is one — its endings start the next cycle — or start again.
         */
        private void failed(JsonNode frame) {
            stats.failed(frame.path("code").asText("unknown"));
            broken = true;
            long failedCycle = cycle;
            vertx.setTimer(RETRY_PAUSE_MS, id -> retry(failedCycle));
        }

        /** Also after the run: a broken call is hung up so that the drain sees every cycle end. */
        private synchronized void retry(long failedCycle) {
            if (cycle != failedCycle) {
                return;
            }
            if (callId == null) {
                next();
            } else {
                hangingUp = false; // not measured: this hang-up is a recovery
                caller.send(caller.command("call.hangup").put("callId", callId));
            }
        }
    }

    private Vertx vertx;

    /** Runs the scenario; returns the results for the table or JSON. */
    Map<String, Object> run() throws Exception {
        vertx = Vertx.vertx();
        // Every connection stays open for the whole run: the client's pool must hold them all.
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(2 * pairs + 16).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<Pair> all = new ArrayList<>();
        try {
            List<Future<?>> signIns = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Pair pair = new Pair("bench-" + run + "-c" + i, "bench-" + run + "-d" + i);
                all.add(pair);
                signIns.add(BenchSocket.open(client, server, tokens.apply(pair.callerUser), pair::fromCaller)
                        .onSuccess(s -> pair.caller = s));
                signIns.add(BenchSocket.open(client, server, tokens.apply(pair.calleeUser), pair::fromCallee)
                        .onSuccess(s -> pair.callee = s));
            }
            Future.all(signIns).await(30, TimeUnit.SECONDS);
            long pinger = vertx.setPeriodic(10_000, id -> all.forEach(p -> {
                p.caller.ping();
                p.callee.ping();
            }));
            long pacer = rate > 0 ? startPacer(all) : -1;
            if (rate <= 0) {
                all.forEach(Pair::start);
            }
            Thread.sleep(warmupMs);
            long cpuBefore = BenchCpu.processCpuNanos();
            OptionalLong serverCpuBefore = serverCpuNanos();
            long begin = System.nanoTime();
            measuring = true;
            long end = begin + TimeUnit.MILLISECONDS.toNanos(durationMs);
            long lastCount = 0;
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(1_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                long count = stats.completedSoFar();
                double elapsed = (System.nanoTime() - begin) / 1e9;
                out.printf(Locale.ROOT, "\r%5.1f s  %8d calls  %8.0f calls/s now  %8.0f calls/s overall   ",
                        elapsed, count, (double) (count - lastCount), count / elapsed);
                out.flush();
                lastCount = count;
            }
            measuring = false;
            double seconds = (System.nanoTime() - begin) / 1e9;
            long cpu = BenchCpu.processCpuNanos() - cpuBefore;
            OptionalLong serverCpuAfter = serverCpuNanos();
            OptionalLong serverCpu = serverCpuBefore.isPresent() && serverCpuAfter.isPresent()
                    ? OptionalLong.of(serverCpuAfter.getAsLong() - serverCpuBefore.getAsLong()) : OptionalLong.empty();
            running = false;
            vertx.cancelTimer(pacer);
            long inFlight = drain(all);
            vertx.cancelTimer(pinger);
            out.println();
            return results(seconds, cpu, serverCpu, inFlight);
        } finally {
            running = false;
            for (Pair pair : all) {
                if (pair.caller != null) {
                    pair.caller.close();
                }
                if (pair.callee != null) {
                    pair.callee.close();
                }
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts idle pairs at {@link #rate} calls per second from a 1 ms timer. Starts that find no
     * idle pair are missed, not owed: a burst afterwards would measure a different load.
     */
    private long startPacer(List<Pair> all) {
        synchronized (idle) {
            idle.addAll(all);
        }
        long begin = System.nanoTime();
        long[] issued = {0};
        return vertx.setPeriodic(PACER_TICK_MS, id -> {
            long due = (long) ((System.nanoTime() - begin) / 1e9 * rate);
            while (issued[0] < due) {
                Pair pair;
                synchronized (idle) {
                    pair = idle.poll();
                }
                issued[0]++;
                if (pair == null) {
                    stats.missedStart();
                } else {
                    pair.start();
                }
            }
        });
    }

    /** Waits for the cycles in flight to end; returns how many did not within {@value #DRAIN_MS} ms. */
    private long drain(List<Pair> all) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MS);
        while (System.nanoTime() < deadline && all.stream().anyMatch(Pair::isBusy)) {
            Thread.sleep(10);
        }
        return all.stream().filter(Pair::isBusy).count();
    }

    private OptionalLong serverCpuNanos() {
        return serverPid == null ? OptionalLong.empty() : BenchCpu.processCpuNanos(serverPid);
    }

    private Map<String, Object> results(double seconds, long cpuNanos, OptionalLong serverCpuNanos, long inFlight) {
        synchronized (stats) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("scenario", "calls");
            values.put("pairs", pairs);
            values.put("rate", rate > 0 ? rate : "max");
            values.put("seconds", round(seconds));
            values.put("completedCalls", stats.completed);
            values.put("callsPerSecond", round(stats.completed / seconds));
            values.put("failures", new TreeMap<>(stats.failures));
            if (rate > 0) {
                values.put("missedStarts", stats.missedStarts);
            }
            values.put("inviteToIncoming", stats.inviteToIncoming.summary());
            values.put("acceptToStarted", stats.acceptToStarted.summary());
            values.put("hangupToEnded", stats.hangupToEnded.summary());
            values.put("benchCpuPercentOfOneCore", round(100.0 * cpuNanos / (seconds * 1e9)));
            if (serverCpuNanos.isPresent()) {
                // Over the measured time only: the warm-up (the server's JIT compiling) stays out.
                long serverCpu = serverCpuNanos.getAsLong();
                values.put("serverCpuPercentOfOneCore", round(100.0 * serverCpu / (seconds * 1e9)));
                values.put("serverCpuMsPerCall", stats.completed == 0 ? 0
                        : Math.round(serverCpu / 1e6 / stats.completed * 1_000) / 1_000.0);
            }
            values.put("callsCreatedTotal", stats.createdTotal);
            values.put("callsCompletedTotal", stats.completedTotal);
            values.put("callsAbandonedTotal", stats.abandonedTotal);
            values.put("cyclesInFlightAtEnd", inFlight);
            return values;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
