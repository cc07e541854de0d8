package dev.dialtone.client.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The futures the SDK returns. They complete on the callback executor (through the
 * {@link EventQueue}), so waiting for one on that executor can never succeed: {@code join()} and
 * {@code get()} throw {@link IllegalStateException} there instead of deadlocking. Dependent stages
 * ({@code thenApply}, …) are ClientFutures too, so the check covers whole chains.
 */
public final class ClientFuture<T> extends CompletableFuture<T> {
    private final EventQueue queue;

    public ClientFuture(EventQueue queue) {
        this.queue = queue;
    }

    /**
     * Queues the completion on the callback queue, behind the callbacks queued before it. Called
     * under ClientCore's lock, which fixes the order.
     */
    void completeInOrder(T value) {
        queue.add(() -> complete(value));
    }

    /** Queues the failure on the callback queue; see {@link #completeInOrder}. */
    void failInOrder(Throwable error) {
        queue.add(() -> completeExceptionally(error));
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ClientFuture<>(queue);
    }

    @Override
    public T join() {
        checkNotBlockingCallbacks();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        checkNotBlockingCallbacks();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        checkNotBlockingCallbacks();
        return super.get(timeout, unit);
    }

    private void checkNotBlockingCallbacks() {
        if (!isDone() && queue.inCallback()) {
            throw new IllegalStateException("waiting for a Dialtone future inside a Dialtone callback would deadlock:"
                    + " it completes on this same callback thread; use thenAccept/whenComplete instead");
        }
    }
}
