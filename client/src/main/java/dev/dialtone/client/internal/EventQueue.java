package dev.dialtone.client.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs application callbacks and future completions one at a time, in the order they were added,
 * on the callback executor — whatever that executor is (a single thread, a pool, or inline).
 *
 * <p>Threading: {@link #add} may be called from any thread (ClientCore adds while holding its lock,
 * which fixes the order); {@link #flush} must be called without holding that lock, so that
 * application code never runs under it even with an inline executor. At most one drain runs at a
 * time; a task added by a running task runs after it, in the same drain.
 */
public final class EventQueue {
    private static final System.Logger log = System.getLogger(EventQueue.class.getName());

    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Thread drainer;

    public EventQueue(Executor executor) {
        this.executor = executor;
    }

    /** Queues a task; it runs after every task queued before it. Call {@link #flush()} afterwards. */
    public void add(Runnable task) {
        tasks.add(task);
    }

    /** Makes sure queued tasks run: submits a drain to the executor unless one is running. */
    public void flush() {
        if (tasks.isEmpty() || !scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            scheduled.set(false);
            int dropped = tasks.size();
            tasks.clear();
            log.log(Level.WARNING, "callback executor rejected the Dialtone callbacks; {0,number,#} dropped", dropped);
        }
    }

    /** Whether the current thread is running a task of this queue (a callback). */
    public boolean inCallback() {
        return drainer == Thread.currentThread();
    }

    private void drain() {
        drainer = Thread.currentThread();
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.log(Level.WARNING, "a Dialtone callback threw; continuing with the next one", t);
                }
            }
        } finally {
            drainer = null;
            scheduled.set(false);
        }
        // A task added after the last poll and before scheduled was cleared found a drain running.
        flush();
    }
}
