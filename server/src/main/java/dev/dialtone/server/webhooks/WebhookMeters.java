package dev.dialtone.server.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The webhook meters: gauge {@code dialtone.webhooks.pending}; counters
 * {@code dialtone.webhooks.delivered}, {@code dialtone.webhooks.retries},
 * {@code dialtone.webhooks.dropped} (tag {@code reason}); timer {@code dialtone.webhooks.latency}
 * from publish to the receiver's 2xx, queueing and retries included. Thread-safe.
 */
final class WebhookMeters {
    private final Counter delivered;
    private final Counter retries;
    private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
    private final Timer latency;

    WebhookMeters(MeterRegistry registry, Backlog backlog) {
        Gauge.builder("dialtone.webhooks.pending", backlog, Backlog::size)
                .description("Webhook events queued or being delivered")
                .register(registry);
        delivered = Counter.builder("dialtone.webhooks.delivered")
                .description("Webhook events the receiver acknowledged with 2xx")
                .register(registry);
        retries = Counter.builder("dialtone.webhooks.retries")
                .description("Webhook delivery attempts that failed and were retried")
                .register(registry);
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, Counter.builder("dialtone.webhooks.dropped")
                    .description("Webhook events given up on")
                    .tag("reason", reason.tag)
                    .register(registry));
        }
        latency = Timer.builder("dialtone.webhooks.latency")
                .description("Time from publishing a webhook event to its 2xx, retries included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
    }

    void delivered(WebhookEvent event) {
        delivered.increment();
        latency.record(System.nanoTime() - event.publishedNanos(), TimeUnit.NANOSECONDS);
    }

    void retried() {
        retries.increment();
    }

    void dropped(DropReason reason, int count) {
        if (count > 0) {
            dropped.get(reason).increment(count);
        }
    }
}
