package dev.dialtone.server.calls;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serial executors for calls: every task of one call runs on the same shard, one after another,
 * so the state machine needs no locks; different calls proceed in parallel on other shards.
 */
final class CallShards implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallShards.class);

    private final ExecutorService[] shards;

    CallShards(int count) {
        shards = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            shards[i] = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "dialtone-calls-" + index);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Runs {@code task} on the shard of {@code callId}, after every task queued there before it. */
    void run(String callId, Runnable task) {
        run(callId, task, e -> { });
    }

    /**
     * Like {@link #run(String, Runnable)}; if the task fails, {@code onFailure} runs on the same
     * shard (a command's way to still answer, with {@code internal}).
     */
    void run(String callId, Runnable task, java.util.function.Consumer<RuntimeException> onFailure) {
        shards[Math.floorMod(callId.hashCode(), shards.length)].execute(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("task for call {} failed", callId, e);
                onFailure.accept(e);
            }
        });
    }

    @Override
    public void close() {
        for (ExecutorService shard : shards) {
            shard.shutdown();
        }
        for (ExecutorService shard : shards) {
            try {
                shard.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
