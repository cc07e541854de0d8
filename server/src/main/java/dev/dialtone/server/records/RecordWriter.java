package dev.dialtone.server.records;

import dev.dialtone.protocol.CallRecord;
import dev.dialtone.server.records.CallRecords.SignOff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes ended calls and sign-offs to a {@link CallRecords} store by group commit, and keeps them
 * through database outages.
 *
 * <p><b>Group commit.</b> One writer thread takes whatever is queued, up to {@code batchSize}
 * items, writes it with one {@link CallRecords#write} (one transaction), then completes that
 * batch's futures. While one transaction commits the next records queue up, so under load many
 * records share a transaction; when idle a record is written as soon as it arrives (no timer, no
 * artificial delay).
 *
 * <p><b>Outages.</b> When a write fails, the batch is kept and retried with exponential backoff
 * ({@code retryInitialMs} doubling up to {@code retryMaxMs}); one warning is logged when writes
 * start failing and one info line when they recover, not a line per retry. Records submitted
 * meanwhile queue behind the batch: nothing is dropped or reordered. The queue has no hard bound
 * (a call that ended must be recorded, and ending calls are bounded by calls in progress); from
 * {@code queueLimit} pending items on, {@link #acceptingNewCalls()} is false so that the server
 * refuses new calls until the backlog drains.
 *
 * <p><b>Refused data.</b> When the database refuses the data itself
 * ({@link RecordStoreException#refused()}, or an inconsistent record), retrying cannot help: the
 * batch is split in halves until the refused record is alone, the others are written, and that
 * record's future fails with an error logged. One bad record never holds up the others.
 *
 * <p><b>Threading.</b> {@link #submit}, {@link #signOff}, {@link #acceptingNewCalls()} and
 * {@link #pending()} may be called from any thread and never block (a lock-free queue and
 * counters). Everything else runs on the one writer thread, {@code dialtone-records-writer}, which
 * also completes the futures: dependent actions run there, so keep them short or hand them to an
 * executor. {@link #flush} and {@link #close} block their caller up to their timeout: call them
 * from shutdown code, never from an event loop. The writer is never interrupted (an interrupt
 * closes H2's file channel); {@code close} wakes it by other means.
 *
 * <p>The writer thread is a daemon: records are made durable by {@link #close(Duration)} in the
 * server's shutdown path, which is explicit and bounded, whereas a non-daemon thread retrying
 * against a database that is gone would keep a stopped server alive indefinitely. The store is
 * not closed here: whoever opened it closes it, after this writer.
 */
public final class RecordWriter {
    private static final Logger log = LoggerFactory.getLogger(RecordWriter.class);

    /** How long {@link #close} waits beyond its timeout: the write attempt in progress may finish. */
    private static final long CLOSE_GRACE_MS = JdbcCallRecords.CONNECTION_TIMEOUT_MS + 500;

    /** What the queue holds; {@code done} is internal and completes once, on the writer thread. */
    private sealed interface Item {
        CompletableFuture<Void> done();
    }

    private record Call(CallRecord record, CompletableFuture<Void> done) implements Item {
    }

    private record Off(SignOff signOff, CompletableFuture<Void> done) implements Item {
    }

    /** Completes when everything queued before it is settled. */
    private record Flush(CompletableFuture<Void> done) implements Item {
    }

    /** Put by {@link #close}: write what is queued, then stop. */
    private record Stop(CompletableFuture<Void> done) implements Item {
    }

    private final CallRecords store;
    private final int batchSize;
    private final int queueLimit;
    private final long retryInitialMs;
    private final long retryMaxMs;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    /** Calls and sign-offs submitted and not yet committed (nor given up on). */
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean overLimit = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** {@link System#nanoTime()} by which {@code close} gives up; set before {@code closing}. */
    private volatile long closeDeadline;
    /** Set by the writer thread as it exits; items queued after that are failed by whoever queued them. */
    private volatile boolean stopped;
    private final AtomicInteger abandonedCalls = new AtomicInteger();
    private final AtomicInteger abandonedSignOffs = new AtomicInteger();
    private final Thread thread;

    private final Counter written;
    private final Counter failures;
    private final Timer batchTimer;
    private final DistributionSummary batchSizes;

    // Writer-thread state.
    private long backoffMs;
    private boolean failing;
    private long failingSince;
    private int failedAttempts;
    private Exception lastFailure;

    private RecordWriter(CallRecords store, RecordsConfig config, MeterRegistry registry) {
        this.store = Objects.requireNonNull(store, "store");
        this.batchSize = config.batchSize();
        this.queueLimit = config.queueLimit();
        this.retryInitialMs = config.retryInitialMs();
        this.retryMaxMs = config.retryMaxMs();
        this.backoffMs = retryInitialMs;
        Gauge.builder("dialtone.records.pending", pending, AtomicInteger::get)
                .description("Call records and sign-offs waiting to be committed")
                .register(registry);
        written = Counter.builder("dialtone.records.written")
                .description("Call records committed")
                .register(registry);
        failures = Counter.builder("dialtone.records.write.failures")
                .description("Failed write attempts; every retry counts")
                .register(registry);
        batchTimer = Timer.builder("dialtone.records.batch")
                .description("Time to write and commit one batch")
                .register(registry);
        batchSizes = DistributionSummary.builder("dialtone.records.batch.size")
                .description("Call records and sign-offs per committed batch")
                .register(registry);
        thread = new Thread(this::run, "dialtone-records-writer");
        thread.setDaemon(true);
    }

    /** A writer over {@code store}, its thread started, its meters registered on {@code registry}. */
    public static RecordWriter start(CallRecords store, RecordsConfig config, MeterRegistry registry) {
        RecordWriter writer = new RecordWriter(store, config, registry);
        writer.thread.start();
        return writer;
    }

    /**
     * Queues the record of an ended call. Never blocks, and accepts even past the queue limit.
     *
     * @return completes when the record is committed; fails with {@link RecordStoreException} when
     *         the database refused it or the writer closed before it could be written, and at once
     *         with {@link IllegalStateException} after {@link #close}
     */
    public CompletableFuture<Void> submit(CallRecord record) {
        Objects.requireNonNull(record, "record");
        if (closing.get()) {
            log.error("call records: the record of call {} arrived after close; it is not stored", record.callId());
            return CompletableFuture.failedFuture(new IllegalStateException("the record writer is closed"));
        }
        Call call = new Call(record, new CompletableFuture<>());
        // Callers see a copy: nothing they do to it can disturb the writer's bookkeeping.
        CompletableFuture<Void> result = new CompletableFuture<>();
        call.done().whenComplete((ok, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure);
            }
        });
        enqueue(call);
        return result;
    }

    /** Queues the moment a user's session ended (for {@link CallRecords#missedCalls}). Never blocks. */
    public void signOff(String user, long at) {
        SignOff signOff = new SignOff(user, at);
        if (closing.get()) {
            log.warn("call records: the sign-off of {} arrived after close; it is not stored", user);
            return;
        }
        enqueue(new Off(signOff, new CompletableFuture<>()));
    }

    /** False while {@code queueLimit} or more items wait to be written: refuse new calls until then. */
    public boolean acceptingNewCalls() {
        return pending.get() < queueLimit;
    }

    /** Calls and sign-offs submitted and not yet committed. */
    public int pending() {
        return pending.get();
    }

    /**
     * Waits until everything submitted before this call is settled: committed, or refused by the
     * database for good (which fails that record's future and is logged as an error).
     *
     * @return true if that happened within {@code timeout}; after {@link #close}, whether nothing is
     *         pending
     */
    public boolean flush(Duration timeout) {
        if (closing.get()) {
            return pending.get() == 0;
        }
        Flush flush = new Flush(new CompletableFuture<>());
        enqueue(flush);
        try {
            flush.done().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Stops accepting, writes everything still queued (retrying while {@code timeout} allows), then
     * stops the writer thread. What could not be written by then is logged as an error and its
     * futures fail. Returns within about {@code timeout} plus one write attempt. Idempotent.
     */
    public synchronized void close(Duration timeout) {
        if (!closing.get()) {
            closeDeadline = System.nanoTime() + timeout.toNanos();
            closing.set(true);
            queue.add(new Stop(new CompletableFuture<>()));
            LockSupport.unpark(thread); // cut a retry pause short if the deadline comes first
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        long waitNanos = Math.max(0, closeDeadline - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MS);
        try {
            thread.join(Duration.ofNanos(waitNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.error("call records: the writer is still in a write after the close timeout; {} items pending may "
                    + "be lost", pending.get());
        }
    }

    // ---- the writer thread ------------------------------------------------------------------

    private void enqueue(Item item) {
        if (item instanceof Call || item instanceof Off) {
            int now = pending.incrementAndGet();
            if (now >= queueLimit && overLimit.compareAndSet(false, true)) {
                log.warn("call records: {} items waiting to be written, at the limit of {}; new calls are refused "
                        + "until the database catches up", now, queueLimit);
            }
        }
        queue.add(item);
        if (stopped) {
            // The writer has gone (closing raced with this call): nobody else will take it.
            List<Item> late = new ArrayList<>();
            queue.drainTo(late);
            if (!late.isEmpty()) {
                abandon(late);
                log.error("call records: {} items arrived as the writer stopped; they are not stored", late.size());
            }
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>(batchSize);
        boolean stopping = false;
        try {
            while (true) {
                // After Stop, write what is left without waiting for more.
                Item first = stopping ? queue.poll() : queue.take();
                if (first == null) {
                    break;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                if (batch.removeIf(item -> item instanceof Stop)) {
                    stopping = true;
                }
                if (stopping && pastDeadline()) {
                    break;
                }
                if (!commit(batch)) {
                    break;
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            log.error("call records: the writer was interrupted; stopping");
        } catch (RuntimeException | Error e) {
            log.error("call records: the writer failed; stopping", e);
        } finally {
            stopped = true;
            queue.drainTo(batch);
            abandon(batch);
            int calls = abandonedCalls.get();
            int signOffs = abandonedSignOffs.get();
            if (calls + signOffs > 0) {
                log.error("call records: {} call records and {} sign-offs could not be written before shutdown{}",
                        calls, signOffs, lastFailure == null ? "" : " (last failure: " + lastFailure.getMessage() + ")");
            } else {
                log.debug("call records: writer stopped, everything written");
            }
        }
    }

    /** Writes {@code items}, retrying while the store fails; false when closing ran out of time first. */
    private boolean commit(List<Item> items) {
        while (true) {
            try {
                write(items);
                return true;
            } catch (RecordStoreException e) {
                failures.increment();
                if (e.refused()) {
                    return split(items, e);
                }
                failing(e);
                if (!pause()) {
                    return false;
                }
            } catch (RuntimeException e) {
                failures.increment();
                return split(items, e);
            }
        }
    }

    /** Isolates refused data: halves until the refused item is alone, which is then given up. */
    private boolean split(List<Item> items, Exception refusal) {
        if (items.stream().filter(RecordWriter::isData).count() <= 1) {
            refuse(items, refusal);
            return true;
        }
        int half = items.size() / 2;
        return commit(new ArrayList<>(items.subList(0, half)))
                && commit(new ArrayList<>(items.subList(half, items.size())));
    }

    private void write(List<Item> items) throws RecordStoreException {
        List<CallRecord> calls = new ArrayList<>();
        List<SignOff> signOffs = new ArrayList<>();
        for (Item item : items) {
            switch (item) {
                case Call call -> calls.add(call.record());
                case Off off -> signOffs.add(off.signOff());
                case Flush flush -> { }
                case Stop stop -> { }
            }
        }
        int data = calls.size() + signOffs.size();
        if (data > 0) {
            long start = System.nanoTime();
            store.write(calls, signOffs);
            batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            batchSizes.record(data);
            written.increment(calls.size());
            recovered(data);
        }
        settled(data);
        for (Item item : items) {
            item.done().complete(null);
        }
    }

    private void refuse(List<Item> items, Exception refusal) {
        RecordStoreException failure = refusal instanceof RecordStoreException e ? e
                : new RecordStoreException("the record is inconsistent: " + refusal.getMessage(), refusal, true);
        int data = 0;
        for (Item item : items) {
            if (isData(item)) {
                data++;
                log.error("call records: the database refuses {}; it is not stored: {}", describe(item),
                        failure.getMessage());
                item.done().completeExceptionally(failure);
            } else {
                item.done().complete(null);
            }
        }
        settled(data);
    }

    /** Fails what will not be written (shutdown): each item once, whichever thread gets to it. */
    private void abandon(List<Item> items) {
        RecordStoreException failure = new RecordStoreException("not written: the record writer closed"
                + (lastFailure == null ? "" : " while the database was failing"), lastFailure);
        int data = 0;
        for (Item item : items) {
            if (item.done().completeExceptionally(failure) && isData(item)) {
                data++;
                (item instanceof Call ? abandonedCalls : abandonedSignOffs).incrementAndGet();
            }
        }
        settled(data);
    }

    private void settled(int data) {
        int left = pending.addAndGet(-data);
        if (left < queueLimit && overLimit.compareAndSet(true, false)) {
            log.info("call records: {} items waiting, below the limit of {} again; new calls are accepted", left,
                    queueLimit);
        }
    }

    private void failing(RecordStoreException e) {
        lastFailure = e;
        failedAttempts++;
        if (!failing) {
            failing = true;
            failingSince = System.nanoTime();
            log.warn("call records: writes are failing with {} items pending; retrying every {}–{} ms until the "
                    + "database is back: {}", pending.get(), retryInitialMs, retryMaxMs, e.getMessage());
        }
    }

    private void recovered(int data) {
        backoffMs = retryInitialMs;
        if (failing) {
            failing = false;
            log.info("call records: writes recovered after {} ms and {} failed attempts; {} items written now, {} "
                    + "still pending", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSince), failedAttempts,
                    data, pending.get() - data);
            failedAttempts = 0;
        }
    }

    /** Waits before the next retry; false when closing and its deadline has passed. */
    private boolean pause() {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        backoffMs = Math.min(retryMaxMs, backoffMs * 2);
        while (true) {
            long now = System.nanoTime();
            if (pastDeadline()) {
                return false;
            }
            long left = until - now;
            if (closing.get()) {
                left = Math.min(left, closeDeadline - now);
            }
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    private boolean pastDeadline() {
        return closing.get() && System.nanoTime() - closeDeadline >= 0;
    }

    private static boolean isData(Item item) {
        return item instanceof Call || item instanceof Off;
    }

    private static String describe(Item item) {
        return switch (item) {
            case Call call -> "the record of call " + call.record().callId();
            case Off off -> "the sign-off of " + off.signOff().user();
            case Flush flush -> "a flush";
            case Stop stop -> "a stop";
        };
    }
}
