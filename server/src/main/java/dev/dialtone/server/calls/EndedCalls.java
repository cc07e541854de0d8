package dev.dialtone.server.calls;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * Ended calls in the order they ended, each to be forgotten once its time is up (rule 11: an
 * ended call is remembered so that late commands hear how it ended).
 *
 * <p>Why a queue and not a timer per call: every call is remembered for the same time, so the
 * call that ended first is always the first to go, and one periodic sweep of the head does what a
 * timer per call did, without a timer task, its handle and a slot in the timer heap for each of
 * the tens of thousands of calls a busy server remembers at once (objects that every garbage
 * collection had to copy).
 *
 * <p>Calls end on several shards at once, so two entries may be queued a little out of order; an
 * entry is never forgotten before its time, at worst a few milliseconds after it. Thread-safe.
 */
final class EndedCalls<V> {
    private record Entry<V>(long forgetAt, String callId, V call) {
    }

    private final ConcurrentLinkedQueue<Entry<V>> queue = new ConcurrentLinkedQueue<>();

    /** Remembers {@code call} until {@code forgetAt} (epoch milliseconds). */
    void add(String callId, V call, long forgetAt) {
        queue.add(new Entry<>(forgetAt, callId, call));
    }

    /**
     * Hands every call whose time is up at {@code now} to {@code forget}, oldest first. Called
     * from one thread at a time (the sweep).
     */
    void forgetDue(long now, BiConsumer<String, V> forget) {
        Entry<V> head;
        while ((head = queue.peek()) != null && head.forgetAt() <= now) {
            queue.poll(); // the head just seen: the sweep is the only one to take from the queue
            forget.accept(head.callId(), head.call());
        }
    }

    /** How many calls are remembered. */
    int size() {
        return queue.size();
    }
}
