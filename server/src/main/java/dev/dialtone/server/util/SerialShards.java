package dev.dialtone.server.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serial executors keyed by an id (a call, a room): every task of one key runs on the same shard,
 * one after another, so the state it touches needs no locks; other keys proceed in parallel on
 * other shards.
 */
public final class SerialShards implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SerialShards.class);

    private final ExecutorService[] shards;

    public SerialShards(String name, int count) {
        shards = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            int index = i;
            shards[i] = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "dialtone-" + name + "-" + index);
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    /** Runs {@code task} on the shard of {@code key}, after every task queued there before it. */
    public void run(String key, Runnable task) {
        run(key, task, e -> { });
    }

    /**
     * Like {@link #run(String, Runnable)}; if the task fails, {@code onFailure} runs on the same
     * shard (a command's way to still answer, with {@code internal}). After {@link #close} the
     * task is dropped.
     */
    public void run(String key, Runnable task, java.util.function.Consumer<RuntimeException> onFailure) {
        try {
            shards[Math.floorMod(key.hashCode(), shards.length)].execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("task for {} failed", key, e);
                    onFailure.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed: the server is stopping, and what comes now (a timer that fired late, a
            // record that committed during the final flush) has nobody left to act for.
            log.debug("task for {} dropped: the shards are closed", key);
        }
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
