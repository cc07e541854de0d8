package dev.dialtone.server.metrics;

import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.EndReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics: open sessions, calls by state, calls ended by reason and the
 * command latency histogram; and the process's memory: the JVM's heap and other pools
 * ({@code jvm_memory_used_bytes}, {@code jvm_memory_committed_bytes}, by {@code area} and pool
 * {@code id}), its garbage collections ({@code jvm_gc_*}) and, on Linux, its resident memory
 * ({@code process_resident_memory_bytes}). Thread-safe; every update is a lock-free counter.
 *
 * <p>{@link #close} detaches the garbage-collection listeners from the JVM.
 */
public final class Metrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<CallState, AtomicLong> callsByState = new EnumMap<>(CallState.class);
    private final Map<EndReason, Counter> endedByReason = new EnumMap<>(EndReason.class);
    private final Map<String, Timer> commandTimers = new ConcurrentHashMap<>();
    private final Counter badFrames;
    private final Counter endedBeforeRecorded;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public Metrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        ProcessMemory.register(registry);
        for (CallState state : new CallState[] {CallState.RINGING, CallState.ACTIVE}) {
            AtomicLong count = new AtomicLong();
            callsByState.put(state, count);
            Gauge.builder("dialtone.calls", count, AtomicLong::get)
                    .description("Calls in progress, by state")
                    .tag("state", state.wire())
                    .register(registry);
        }
        for (EndReason reason : EndReason.values()) {
            endedByReason.put(reason, Counter.builder("dialtone.calls.ended")
                    .description("Calls ended, by reason")
                    .tag("reason", reason.wire())
                    .register(registry));
        }
        badFrames = Counter.builder("dialtone.frames.rejected")
                .description("Frames answered with bad_request")
                .register(registry);
        endedBeforeRecorded = Counter.builder("dialtone.calls.ended.unrecorded")
                .description("call.ended sent before the call's record was committed (database slow or down)")
                .register(registry);
    }

    /**
     * Registers the session gauges, read from the session registry when scraped. The gauges hold
     * the suppliers strongly: Micrometer's default is a weak reference, and a method reference
     * made for the call has no other holder, so the first GC would turn the gauge into NaN.
     */
    public void sessions(IntSupplier attached, IntSupplier detached) {
        Gauge.builder("dialtone.sessions", attached, s -> s.getAsInt()).strongReference(true)
                .description("Open sessions").tag("state", "attached").register(registry);
        Gauge.builder("dialtone.sessions", detached, s -> s.getAsInt()).strongReference(true)
                .description("Open sessions").tag("state", "detached").register(registry);
    }

    /** Registers the gauge of open conference rooms (held strongly, as the session gauges). */
    public void rooms(IntSupplier open) {
        Gauge.builder("dialtone.rooms", open, s -> s.getAsInt()).strongReference(true)
                .description("Open conference rooms").register(registry);
    }

    /** A call moved from one state to another; {@code from} is null for a new call. */
    public void callState(CallState from, CallState to, EndReason endReason) {
        if (from == to) {
            return;
        }
        if (from != null && from != CallState.ENDED) {
            callsByState.get(from).decrementAndGet();
        }
        if (to == CallState.ENDED) {
            endedByReason.get(endReason).increment();
        } else {
            callsByState.get(to).incrementAndGet();
        }
    }

    public void commandHandled(String type, long nanos) {
        commandTimers.computeIfAbsent(type, t -> Timer.builder("dialtone.command.latency")
                .description("Time from a command's frame to its reply")
                .tag("type", t)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A call's ending went out before its record was committed: the wait for the database ran out. */
    public void endedBeforeRecorded() {
        endedBeforeRecorded.increment();
    }

    public void badFrame() {
        badFrames.increment();
    }

    /** The registry, for components that register their own meters (records, hooks, webhooks). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening to the JVM's garbage collections; the other meters stay readable. */
    @Override
    public void close() {
        gcMetrics.close();
    }
}
