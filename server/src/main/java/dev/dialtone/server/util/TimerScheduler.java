package dev.dialtone.server.util;

import dev.dialtone.server.session.Scheduler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's timers (ring timeouts, resume windows, how long ended calls are remembered, empty
 * rooms) on one thread of their own. Tasks are short: each hands its work to the shard or loop
 * that owns the state.
 *
 * <p>Why not Vert.x timers: set from a thread that is not Vert.x's (the calls' shards), each
 * {@code vertx.setTimer} made a new context with its own task queue. Every ended call keeps a
 * timer for a minute, so at a thousand calls a second that was some 60,000 contexts alive, a
 * sizable share of what each garbage collection had to copy.
 *
 * <p>Thread-safe.
 */
public final class TimerScheduler implements Scheduler, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimerScheduler.class);

    private final ScheduledThreadPoolExecutor executor;
    /** The timers that have neither fired nor been canceled, by handle. */
    private final Map<Long, Timer> pending = new ConcurrentHashMap<>();
    private final AtomicLong handles = new AtomicLong();

    public TimerScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "dialtone-timers");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true); // a canceled ring timeout must not wait out its delay in the queue
    }

    /** Runs {@code task} on the timer thread after {@code delayMs}; after {@link #close}, never. */
    @Override
    public long schedule(long delayMs, Runnable task) {
        Timer timer = new Timer(handles.incrementAndGet(), task);
        pending.put(timer.handle, timer); // before it is scheduled, so that it finds itself when it fires
        try {
            timer.future = executor.schedule(timer, Math.max(1, delayMs), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(timer.handle); // closed: the server is stopping
        }
        return timer.handle;
    }

    @Override
    public void cancel(long handle) {
        Timer timer = pending.remove(handle);
        ScheduledFuture<?> future = timer == null ? null : timer.future;
        if (future != null) {
            future.cancel(false);
        }
    }

    /** How many timers wait. */
    public int pendingCount() {
        return pending.size();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        pending.clear();
    }

    private final class Timer implements Runnable {
        final long handle;
        final Runnable task;
        volatile ScheduledFuture<?> future;

        Timer(long handle, Runnable task) {
            this.handle = handle;
            this.task = task;
        }

        @Override
        public void run() {
            if (pending.remove(handle) == null) {
                return; // canceled meanwhile
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("a timer's task failed", e);
            }
        }
    }
}
