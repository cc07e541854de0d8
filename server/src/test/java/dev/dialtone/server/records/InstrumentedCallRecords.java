package dev.dialtone.server.records;

import dev.dialtone.protocol.CallRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store with a hand on its {@code write}: counts transactions and remembers what each
 * one carried, can hold writes at a gate (to pile records up behind one), and can make writes
 * fail as a database outage would, before they reach the database. Everything else delegates.
 */
final class InstrumentedCallRecords implements CallRecords {
    private final CallRecords delegate;
    /** Call ids of each committed write, in commit order. */
    final List<List<String>> committed = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean down;
    private volatile CountDownLatch gate;
    private volatile CountDownLatch entered = new CountDownLatch(1);
    /** The thread of the latest read. */
    volatile String readThread;

    InstrumentedCallRecords(CallRecords delegate) {
        this.delegate = delegate;
    }

    /** Holds every write until {@link #release()}; {@link #awaitHeld()} tells when one waits there. */
    void hold() {
        entered = new CountDownLatch(1);
        gate = new CountDownLatch(1);
    }

    void awaitHeld() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("no write reached the gate");
        }
    }

    void release() {
        CountDownLatch open = gate;
        gate = null;
        if (open != null) {
            open.countDown();
        }
    }

    /** The next {@code count} writes fail as if the database were unreachable. */
    void failNext(int count) {
        failNext.set(count);
    }

    /** While down, every write fails as if the database were unreachable. */
    void down(boolean value) {
        down = value;
    }

    int transactions() {
        return committed.size();
    }

    List<String> committedIds() {
        List<String> all = new ArrayList<>();
        committed.forEach(all::addAll);
        return all;
    }

    @Override
    public void write(List<CallRecord> calls, List<SignOff> signOffs) throws RecordStoreException {
        attempts.incrementAndGet();
        entered.countDown();
        CountDownLatch wait = gate;
        if (wait != null) {
            try {
                wait.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        if (down || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new RecordStoreException("simulated outage: connection refused", null);
        }
        delegate.write(calls, signOffs);
        committed.add(calls.stream().map(CallRecord::callId).toList());
    }

    @Override
    public Page history(String user, int limit, String before) throws RecordStoreException {
        readThread = Thread.currentThread().getName();
        return delegate.history(user, limit, before);
    }

    @Override
    public Optional<CallRecord> find(String callId) throws RecordStoreException {
        readThread = Thread.currentThread().getName();
        return delegate.find(callId);
    }

    @Override
    public Page search(RecordQuery query) throws RecordStoreException {
        readThread = Thread.currentThread().getName();
        return delegate.search(query);
    }

    @Override
    public int missedCalls(String user) throws RecordStoreException {
        readThread = Thread.currentThread().getName();
        return delegate.missedCalls(user);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
