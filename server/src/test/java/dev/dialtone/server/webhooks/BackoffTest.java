package dev.dialtone.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(200, 60_000);
        assertThat(backoff.cap(1)).isEqualTo(200);
        assertThat(backoff.cap(2)).isEqualTo(400);
        assertThat(backoff.cap(9)).isEqualTo(51_200);
        assertThat(backoff.cap(10)).isEqualTo(60_000);
        assertThat(backoff.cap(100)).isEqualTo(60_000);
        for (int retry = 1; retry <= 20; retry++) {
            for (int i = 0; i < 100; i++) {
                assertThat(backoff.delayMs(retry)).isBetween(backoff.cap(retry) / 2, backoff.cap(retry));
            }
        }
        assertThat(new Backoff(3_600_000, 3_600_000).cap(99)).isEqualTo(3_600_000);
        // Vert.x timers need at least 1 ms: a 1 ms backoff's jitter must not round down to 0.
        Backoff tiny = new Backoff(1, 5);
        for (int i = 0; i < 1_000; i++) {
            assertThat(tiny.delayMs(1)).isBetween(1L, 1L);
        }
    }
}
