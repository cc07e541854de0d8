package dev.dialtone.server.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialShardsTest {
    private final SerialShards shards = new SerialShards("test", 4);

    @AfterEach
    void close() {
        shards.close();
    }

    @Test
    void tasksOfOneKeyRunInOrderOnOneThread() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            shards.run("call-1", () -> {
                order.add(n);
                threads.add(Thread.currentThread().getName());
            });
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 200);
        assertThat(order).isSorted();
        assertThat(threads).containsOnly(threads.get(0));
    }

    @Test
    void aFailingTaskIsReportedOnItsShardAndTheShardGoesOn() {
        AtomicReference<String> failedOn = new AtomicReference<>();
        AtomicInteger after = new AtomicInteger();
        shards.run("call-2", () -> {
            throw new IllegalStateException("boom");
        }, e -> failedOn.set(Thread.currentThread().getName() + ": " + e.getMessage()));
        shards.run("call-2", after::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> after.get() == 1);
        assertThat(failedOn.get()).startsWith("dialtone-test-").endsWith(": boom");
    }

    @Test
    void aTaskQueuedAfterCloseIsDroppedWithoutAnError() {
        shards.close();
        AtomicInteger ran = new AtomicInteger();
        // A retention timer that fires while the server stops lands here: no exception, no run.
        assertThatCode(() -> shards.run("call-3", ran::incrementAndGet)).doesNotThrowAnyException();
        assertThat(ran.get()).isZero();
    }
}
