package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backoff with full jitter, the give-up timer, skipping the wait, and stopping. */
class ReconnectorTest {
    private final ManualScheduler scheduler = new ManualScheduler();
    private final Deque<Double> random = new ArrayDeque<>();
    private final List<String> calls = new ArrayList<>();
    private final Reconnector reconnector = new Reconnector(scheduler, () -> random.isEmpty() ? 0.5 : random.poll(),
            100, 5_000);
    private final Reconnector.Target target = new Reconnector.Target() {
        @Override
        public void attempt() {
            calls.add("attempt at " + scheduler.nanoTime() / 1_000_000);
        }

        @Override
        public void giveUp() {
            calls.add("give up at " + scheduler.nanoTime() / 1_000_000);
        }
    };

    @Test
    void theRangeDoublesUpToTheMaximumAndTheWaitIsDrawnFromAllOfIt() {
        random.addAll(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0));
        List<Long> caps = new ArrayList<>();
        for (int failures = 1; failures <= 9; failures++) {
            caps.add(reconnector.delay(failures));
        }
        assertThat(caps).containsExactly(100L, 200L, 400L, 800L, 1_600L, 3_200L, 5_000L, 5_000L, 5_000L);
    }

    @Test
    void fullJitterUsesTheWholeRangeFromZero() {
        random.addAll(List.of(0.0, 0.999, 0.25, 0.5));
        assertThat(reconnector.delay(3)).isZero();
        assertThat(reconnector.delay(3)).isEqualTo(399);
        assertThat(reconnector.delay(3)).isEqualTo(100);
        assertThat(reconnector.delay(3)).isEqualTo(200);
        assertThat(reconnector.delay(1_000)).isEqualTo(2_500); // no overflow for huge failure counts
    }

    @Test
    void firstAttemptAtOnceThenAfterEachWaitUntilTheGiveUpTime() {
        random.addAll(List.of(1.0, 1.0, 1.0));
        reconnector.start(1_000, target);
        assertThat(calls).containsExactly("attempt at 0");
        assertThat(reconnector.attemptFailed()).isEqualTo(100);
        assertThat(reconnector.waiting()).isTrue();
        scheduler.advance(100);
        assertThat(reconnector.attemptFailed()).isEqualTo(200);
        scheduler.advance(200);
        assertThat(reconnector.attemptFailed()).isEqualTo(400);
        scheduler.advance(1_000);
        assertThat(calls).containsExactly("attempt at 0", "attempt at 100", "attempt at 300", "attempt at 700",
                "give up at 1000");
        assertThat(reconnector.active()).isFalse();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void nowSkipsTheWaitAndStopCancelsEverything() {
        reconnector.start(10_000, target);
        reconnector.attemptFailed();          // waits 50
        reconnector.now();
        assertThat(calls).containsExactly("attempt at 0", "attempt at 0");
        assertThat(reconnector.waiting()).isFalse();
        scheduler.advance(100);
        assertThat(calls).hasSize(2);         // the skipped wait does not fire
        reconnector.attemptFailed();
        reconnector.stop();
        scheduler.advance(20_000);
        assertThat(calls).hasSize(2);
        assertThat(reconnector.attemptFailed()).isEqualTo(-1);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aNewOutageStartsFromTheFirstWait() {
        random.addAll(List.of(1.0, 1.0, 1.0));
        reconnector.start(10_000, target);
        reconnector.attemptFailed();
        reconnector.attemptFailed();
        reconnector.start(10_000, target);
        assertThat(reconnector.attemptFailed()).isEqualTo(100);
    }
}
