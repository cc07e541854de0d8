package dev.dialtone.server.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimerSchedulerTest {
    private final TimerScheduler timers = new TimerScheduler();

    @AfterEach
    void close() {
        timers.close();
    }

    @Test
    void aTimerFiresOnceAndIsForgotten() {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        timers.schedule(20, first::incrementAndGet);
        timers.schedule(0, second::incrementAndGet);  // no delay is still later, never inline
        await().atMost(Duration.ofSeconds(5)).until(() -> first.get() == 1 && second.get() == 1);
        assertThat(timers.pendingCount()).isZero();
        assertThat(first.get() + second.get()).isEqualTo(2);
    }

    @Test
    void aCanceledTimerNeverFiresAndLeavesNothingBehind() {
        AtomicInteger fired = new AtomicInteger();
        long canceled = timers.schedule(50, fired::incrementAndGet);
        long kept = timers.schedule(100, fired::incrementAndGet);
        timers.cancel(canceled);
        timers.cancel(canceled);  // twice is harmless
        timers.cancel(-1);        // as is a handle that never was
        await().atMost(Duration.ofSeconds(5)).until(() -> timers.pendingCount() == 0);
        assertThat(fired.get()).isEqualTo(1);
        timers.cancel(kept);      // after it fired: nothing to do
        assertThat(fired.get()).isEqualTo(1);
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOthers() {
        AtomicInteger fired = new AtomicInteger();
        timers.schedule(10, () -> {
            throw new IllegalStateException("a broken task");
        });
        timers.schedule(30, fired::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.get() == 1);
    }

    @Test
    void afterCloseATimerIsAcceptedAndNeverFires() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        timers.close();
        // What re-arms itself from a timer (the ended calls' sweep) meets a closed scheduler
        // while the server stops: no exception, no error, no run.
        long handle = timers.schedule(1, fired::incrementAndGet);
        timers.cancel(handle);
        Thread.sleep(50);
        assertThat(fired.get()).isZero();
        assertThat(timers.pendingCount()).isZero();
    }
}
