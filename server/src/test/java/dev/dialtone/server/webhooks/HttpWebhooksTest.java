package dev.dialtone.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.webhooks.WebhookVerifier;
import dev.dialtone.core.Clock;
import dev.dialtone.protocol.WireCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpWebhooksTest {
    private static final String SECRET = "webhook-secret-0123456789abcdef";
    private static final long START_MS = 1_718_000_000_123L;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Vertx vertx;
    private SimpleMeterRegistry registry;
    private final AtomicLong nowMs = new AtomicLong(START_MS);
    private final Clock clock = nowMs::get;
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private HttpWebhooks webhooks;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
    }

    @AfterEach
    void stop() throws Exception {
        if (webhooks != null) {
            webhooks.close(Duration.ofMillis(100));
        }
        for (AutoCloseable closeable : closeLater) {
            closeable.close();
        }
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    private TestReceiver receiver(TestReceiver.Responder responder) {
        TestReceiver receiver = TestReceiver.start(vertx, responder);
        closeLater.add(receiver);
        return receiver;
    }

    /** The receiver's secret and URL on top of {@code config}. */
    private HttpWebhooks webhooks(String url, WebhookConfig.Builder config) {
        webhooks = new HttpWebhooks(vertx, config.url(url).secret(SECRET).build(), registry, clock);
        return webhooks;
    }

    private HttpWebhooks webhooks(String url) {
        return webhooks(url, fast());
    }

    /** Short backoffs, so that retries happen within milliseconds. */
    private static WebhookConfig.Builder fast() {
        return WebhookConfig.builder().initialBackoffMs(10).maxBackoffMs(40);
    }

    private static ObjectNode data(int i) {
        return WireCodec.get().mapper().createObjectNode().put("i", i);
    }

    private static JsonNode json(TestReceiver.Received received) {
        try {
            return WireCodec.get().mapper().readTree(received.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double dropped(String reason) {
        return registry.get("dialtone.webhooks.dropped").tag("reason", reason).counter().count();
    }

    private static List<TestReceiver.Received> acknowledged(TestReceiver receiver, List<Integer> okNumbers) {
        return receiver.received().stream().filter(r -> okNumbers.contains(r.number())).toList();
    }

    @Test
    void deliversASignedEnvelopeWithItsHeaders() throws Exception {
        TestReceiver receiver = receiver(TestReceiver.answer(204, ""));
        HttpWebhooks webhooks = webhooks(receiver.url());
        ObjectNode data = WireCodec.get().mapper().createObjectNode().put("callId", "c-1").put("reason", "hangup");
        webhooks.publish("c-1", "call.ended", data);
        data.put("reason", "changed later"); // read by publish: not what is sent

        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 1);
        TestReceiver.Received received = receiver.received().get(0);
        JsonNode envelope = json(received);
        String id = envelope.get("id").asText();
        assertThat(id).matches("evt_[A-Za-z0-9_-]{22}");
        assertThat(envelope.get("type").asText()).isEqualTo("call.ended");
        assertThat(envelope.get("key").asText()).isEqualTo("c-1");
        assertThat(envelope.get("seq").asLong()).isEqualTo(1);
        assertThat(envelope.get("createdAt").asLong()).isEqualTo(START_MS);
        assertThat(envelope.get("data").get("reason").asText()).isEqualTo("hangup");
        assertThat(envelope.get("data").get("callId").asText()).isEqualTo("c-1");

        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.header("content-type")).isEqualTo("application/json");
        assertThat(received.header("Dialtone-Event-Id")).isEqualTo(id);
        assertThat(received.header("Dialtone-Event-Type")).isEqualTo("call.ended");
        String signature = received.header("Dialtone-Signature");
        assertThat(signature).isEqualTo("t=" + START_MS / 1000 + ",v1=" + new Signature(SECRET.getBytes()).v1(START_MS / 1000, received.body()));
        WebhookVerifier verifier = new WebhookVerifier(SECRET.getBytes(), Duration.ofMinutes(5),
                java.time.Clock.fixed(Instant.ofEpochMilli(START_MS), ZoneOffset.UTC));
        verifier.verify(signature, received.body());

        webhooks.publish("c-1", "call.record", null);
        await().atMost(WAIT).until(() -> receiver.received().size() == 2);
        JsonNode second = json(receiver.received().get(1));
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(second.get("data").isObject()).isTrue();
        assertThat(second.get("data").size()).isZero();
        assertThat(second.get("id").asText()).isNotEqualTo(id);
        await().atMost(WAIT).until(() -> webhooks.pending() == 0);
        assertThat(registry.get("dialtone.webhooks.pending").gauge().value()).isZero();
        assertThat(registry.get("dialtone.webhooks.latency").timer().count()).isEqualTo(2);
    }

    @Test
    void keepsEachKeysOrderUnderConcurrencyAndFailures() throws Exception {
        // One in five attempts fails, at random: retries must not let later events of a key overtake.
        Map<String, List<long[]>> byKey = new ConcurrentHashMap<>();
        TestReceiver receiver = receiver((request, response) -> {
            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                response.setStatusCode(503).end();
                return;
            }
            JsonNode envelope = json(request);
            byKey.computeIfAbsent(envelope.get("key").asText(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(new long[] {envelope.get("seq").asLong(), envelope.get("data").get("i").asLong()});
            response.setStatusCode(200).end();
        });
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().maxAttempts(50).initialBackoffMs(1).maxBackoffMs(5));
        int threads = 4;
        int keysPerThread = 25;
        int eventsPerKey = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                // Each thread owns its keys (as a call's executor does) and interleaves them.
                for (int i = 1; i <= eventsPerKey; i++) {
                    for (int k = 0; k < keysPerThread; k++) {
                        webhooks.publish("c-" + thread + "-" + k, "call.event", data(i));
                    }
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        int total = threads * keysPerThread * eventsPerKey;
        await().atMost(Duration.ofSeconds(30)).until(() -> counter("dialtone.webhooks.delivered") == total);
        assertThat(byKey).hasSize(threads * keysPerThread);
        for (Map.Entry<String, List<long[]>> entry : byKey.entrySet()) {
            List<long[]> events = entry.getValue();
            assertThat(events).as(entry.getKey()).hasSize(eventsPerKey);
            for (int i = 0; i < eventsPerKey; i++) {
                assertThat(events.get(i)[0]).as(entry.getKey() + " seq").isEqualTo(i + 1);
                assertThat(events.get(i)[1]).as(entry.getKey() + " data").isEqualTo(i + 1);
            }
        }
        assertThat(counter("dialtone.webhooks.retries")).isPositive();
        assertThat(dropped("attempts_exhausted")).isZero();
        await().atMost(WAIT).until(() -> webhooks.pending() == 0);
    }

    @Test
    void retriesTheSameEventWithFreshSignaturesAndHoldsLaterEventsBehindIt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        List<Integer> ok = new CopyOnWriteArrayList<>();
        TestReceiver receiver = receiver((request, response) -> {
            nowMs.addAndGet(1_000); // every attempt signs at a later second
            if (json(request).get("seq").asLong() == 1 && attempts.incrementAndGet() <= 3) {
                response.setStatusCode(500).end("try later");
                return;
            }
            ok.add(request.number());
            response.setStatusCode(200).end();
        });
        HttpWebhooks webhooks = webhooks(receiver.url());
        webhooks.publish("c-9", "call.ringing", data(1));
        webhooks.publish("c-9", "call.ended", data(2));

        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 2);
        List<TestReceiver.Received> all = receiver.received();
        assertThat(all).hasSize(5);
        String firstId = all.get(0).header("Dialtone-Event-Id");
        for (int i = 0; i < 4; i++) {
            assertThat(all.get(i).header("Dialtone-Event-Id")).isEqualTo(firstId);
            assertThat(json(all.get(i)).get("id").asText()).isEqualTo(firstId);
            assertThat(json(all.get(i)).get("seq").asLong()).isEqualTo(1);
        }
        assertThat(all.stream().limit(4).map(r -> r.header("Dialtone-Signature").split(",")[0]).distinct()).hasSize(4);
        assertThat(json(all.get(4)).get("seq").asLong()).isEqualTo(2);
        assertThat(acknowledged(receiver, ok)).extracting(r -> r.header("Dialtone-Event-Id")).doesNotHaveDuplicates();
        WebhookVerifier verifier = new WebhookVerifier(SECRET.getBytes(), Duration.ofMinutes(5),
                java.time.Clock.fixed(Instant.ofEpochMilli(nowMs.get()), ZoneOffset.UTC));
        for (TestReceiver.Received attempt : all) {
            verifier.verify(attempt.header("Dialtone-Signature"), attempt.body());
        }
        assertThat(counter("dialtone.webhooks.retries")).isEqualTo(3);
        assertThat(dropped("attempts_exhausted")).isZero();
    }

    @Test
    void retriesAfterATimeout() {
        AtomicInteger attempts = new AtomicInteger();
        TestReceiver receiver = receiver((request, response) -> {
            if (attempts.incrementAndGet() == 1) {
                return; // never answers the first attempt
            }
            response.setStatusCode(200).end();
        });
        webhooks(receiver.url(), fast().timeoutMs(200)).publish("c-1", "call.ended", data(1));
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 1);
        assertThat(counter("dialtone.webhooks.retries")).isEqualTo(1);
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void deliversOnceTheReceiverComesUp() {
        int port = TestReceiver.freePort();
        HttpWebhooks webhooks = webhooks("http://127.0.0.1:" + port + "/events", fast().maxAttempts(100));
        for (int i = 1; i <= 3; i++) {
            webhooks.publish("room:standup", "room.event", data(i));
        }
        webhooks.publish("c-2", "call.ended", data(1));
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.retries") >= 4);
        assertThat(counter("dialtone.webhooks.delivered")).isZero();

        TestReceiver receiver = TestReceiver.start(vertx, port, TestReceiver.answer(200, "{}"));
        closeLater.add(receiver);
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 4);
        List<Long> roomSeqs = receiver.received().stream().map(HttpWebhooksTest::json)
                .filter(e -> e.get("key").asText().equals("room:standup")).map(e -> e.get("seq").asLong()).toList();
        assertThat(roomSeqs).containsExactly(1L, 2L, 3L);
        assertThat(webhooks.pending()).isZero();
    }

    @Test
    void dropsAndCountsAnEventWhoseAttemptsAreExhausted() {
        TestReceiver receiver = receiver(TestReceiver.answer(500, "down"));
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().maxAttempts(3));
        webhooks.publish("c-3", "call.ringing", data(1));
        webhooks.publish("c-3", "call.ended", data(2));

        await().atMost(WAIT).until(() -> dropped("attempts_exhausted") == 2);
        List<Long> seqs = receiver.received().stream().map(r -> json(r).get("seq").asLong()).toList();
        assertThat(seqs).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
        assertThat(counter("dialtone.webhooks.retries")).isEqualTo(4);
        assertThat(counter("dialtone.webhooks.delivered")).isZero();
        assertThat(webhooks.pending()).isZero();
    }

    @Test
    void dropsWhatDoesNotFitAndLeavesAGapInSeq() {
        List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
        TestReceiver receiver = receiver((request, response) -> held.add(response));
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().queueLimit(3).timeoutMs(10_000));
        for (int i = 1; i <= 5; i++) {
            webhooks.publish("c-4", "call.event", data(i));
        }
        assertThat(dropped("queue_full")).isEqualTo(2);
        assertThat(webhooks.pending()).isEqualTo(3);
        assertThat(registry.get("dialtone.webhooks.pending").gauge().value()).isEqualTo(3);

        await().atMost(WAIT).until(() -> held.size() == 1);
        receiver.responder(TestReceiver.answer(200, ""));
        held.get(0).setStatusCode(200).end();
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 3);
        webhooks.publish("c-4", "call.event", data(6));
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 4);
        List<Long> seqs = receiver.received().stream().map(r -> json(r).get("seq").asLong()).toList();
        assertThat(seqs).containsExactly(1L, 2L, 3L, 6L);
    }

    @Test
    void publishNeverBlocksEvenWhenTheReceiverHangs() {
        TestReceiver receiver = receiver((request, response) -> { });
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().queueLimit(1_000).timeoutMs(10_000));
        long started = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            webhooks.publish("c-" + (i % 50), "call.event", data(i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(dropped("queue_full")).isEqualTo(4_000);
    }

    @Test
    void closeDeliversWhatIsQueued() {
        TestReceiver receiver = receiver((request, response) -> vertx.setTimer(5, id -> response.end()));
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().lanes(2));
        IntStream.rangeClosed(1, 20).forEach(i -> webhooks.publish("c-" + (i % 3), "call.event", data(i)));
        webhooks.close(WAIT);

        assertThat(counter("dialtone.webhooks.delivered")).isEqualTo(20);
        assertThat(receiver.received()).hasSize(20);
        assertThat(dropped("shutdown")).isZero();
        assertThat(webhooks.pending()).isZero();

        webhooks.publish("c-1", "call.event", data(99));
        assertThat(dropped("shutdown")).isEqualTo(1);
        assertThat(webhooks.flush(Duration.ofMillis(10))).isTrue();
    }

    @Test
    void closeDropsWhatItCannotDeliverInTime() {
        TestReceiver receiver = receiver((request, response) -> { }); // never answers
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().timeoutMs(10_000));
        webhooks.publish("c-5", "call.event", data(1));
        webhooks.publish("c-5", "call.event", data(2));
        webhooks.publish("c-6", "call.event", data(1));
        assertThat(webhooks.flush(Duration.ofMillis(100))).isFalse();

        long started = System.nanoTime();
        webhooks.close(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(dropped("shutdown")).isEqualTo(3);
        assertThat(webhooks.pending()).isZero();
        assertThat(counter("dialtone.webhooks.delivered")).isZero();
    }

    @Test
    void forgetsAKeyOnceDoneAndDelivered() {
        List<HttpServerResponse> held = new CopyOnWriteArrayList<>();
        TestReceiver receiver = receiver((request, response) -> held.add(response));
        HttpWebhooks webhooks = webhooks(receiver.url(), fast().lanes(1));
        webhooks.publish("c-7", "call.ringing", data(1));
        webhooks.publish("c-7", "call.ended", data(2));
        webhooks.publish("c-8", "call.ringing", data(1));
        webhooks.done("c-7");
        webhooks.done("c-unknown");
        assertThat(webhooks.trackedKeys()).isEqualTo(2); // c-7 still has events queued

        await().atMost(WAIT).until(() -> held.size() == 1);
        receiver.responder(TestReceiver.answer(200, ""));
        held.get(0).setStatusCode(200).end();
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 3);
        assertThat(webhooks.trackedKeys()).isEqualTo(1); // c-8 was never marked done

        webhooks.done("c-8");
        assertThat(webhooks.trackedKeys()).isZero();
        webhooks.publish("c-7", "call.late", data(3)); // a forgotten key starts again
        await().atMost(WAIT).until(() -> counter("dialtone.webhooks.delivered") == 4);
        assertThat(json(receiver.received().get(3)).get("seq").asLong()).isEqualTo(1);
    }

    @Test
    void noneDoesNothing() {
        assertThat(Webhooks.create(vertx, WebhookConfig.DISABLED, registry, clock)).isSameAs(Webhooks.NONE);
        Webhooks.NONE.publish("c-1", "call.ended", data(1));
        Webhooks.NONE.done("c-1");
        assertThat(Webhooks.NONE.flush(Duration.ZERO)).isTrue();
        Webhooks.NONE.close(Duration.ZERO);
    }
}
