package dev.dialtone.server.records;

import dev.dialtone.protocol.CallRecord;
import dev.dialtone.server.records.CallRecords.Page;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the blocking reads of a {@link CallRecords} store on a small thread pool and returns
 * futures, so that event loops and call executors never wait on the database.
 *
 * <p>Threading: every method may be called from any thread and returns at once. The reads run
 * on threads named {@code dialtone-records-read-N}, which also complete the futures. A future
 * fails with what the store threw: {@link IllegalArgumentException} for a bad limit or cursor
 * (answer {@code bad_request}), {@link RecordStoreException} when the database fails or when more
 * than {@value #MAX_WAITING} reads are already waiting (a slow database then turns into quick
 * errors instead of a growing heap).
 *
 * <p>Use {@link RecordsConfig#readThreads()} threads: the pool less the writer's connection. The
 * store is not closed here.
 */
public final class RecordReader implements AutoCloseable {
    /** Reads queued beyond the running ones before new ones are refused. */
    public static final int MAX_WAITING = 1_000;

    private final CallRecords store;
    private final ThreadPoolExecutor executor;

    public RecordReader(CallRecords store, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.store = store;
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING), runnable -> {
                    Thread thread = new Thread(runnable, "dialtone-records-read-" + count.getAndIncrement());
                    thread.setDaemon(true); // reads are disposable; nothing is lost if one is cut off
                    return thread;
                });
    }

    /** {@link CallRecords#history}, off the caller's thread. */
    public CompletableFuture<Page> history(String user, int limit, String before) {
        return read(() -> store.history(user, limit, before));
    }

    /** {@link CallRecords#find}, off the caller's thread. */
    public CompletableFuture<Optional<CallRecord>> find(String callId) {
        return read(() -> store.find(callId));
    }

    /** {@link CallRecords#search}, off the caller's thread. */
    public CompletableFuture<Page> search(RecordQuery query) {
        return read(() -> store.search(query));
    }

    /** {@link CallRecords#missedCalls}, off the caller's thread. */
    public CompletableFuture<Integer> missedCalls(String user) {
        return read(() -> store.missedCalls(user));
    }

    /** Stops taking reads and waits briefly for the running ones. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(JdbcCallRecords.CONNECTION_TIMEOUT_MS * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Read<T> {
        T run() throws RecordStoreException;
    }

    private <T> CompletableFuture<T> read(Read<T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(read.run());
                } catch (RecordStoreException | RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RecordStoreException(executor.isShutdown()
                    ? "the record reader is closed" : "too many reads waiting for the call records database", e));
        }
        return result;
    }
}
