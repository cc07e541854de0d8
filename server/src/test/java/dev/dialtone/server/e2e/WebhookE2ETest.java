package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.webhooks.WebhookVerifier;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.e2e.WebhookReceiver.Delivery;
import dev.dialtone.server.records.RecordsConfig;
import dev.dialtone.server.webhooks.WebhookConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event webhooks end to end: real calls and rooms over raw WebSocket frames, a real HTTP receiver
 * inside the test; checks the exact events per key, their order, seq, ids and signatures.
 */
class WebhookE2ETest {
    private static final String TOKEN_SECRET = "webhook-e2e-token-secret-0123456789ab";
    static final String WEBHOOK_SECRET = "webhook-e2e-signing-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final WebhookVerifier VERIFIER = new WebhookVerifier(WEBHOOK_SECRET);

    private static WebhookReceiver receiver;
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        server = DialtoneServer.start(config(receiver).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @BeforeEach
    void acceptEverything() {
        receiver.failWhen(d -> false);
    }

    /** Webhooks to {@code receiver}, retried quickly. */
    static ServerConfig.Builder config(WebhookReceiver receiver) {
        return ServerConfig.builder().records(RecordsConfig.inMemory())
                .host("127.0.0.1").port(0).secret(TOKEN_SECRET).eventLoops(2).firstFrameTimeoutMs(5_000)
                .resumeWindowMs(1_000)
                .webhooks(WebhookConfig.builder().url(receiver.url()).secret(WEBHOOK_SECRET)
                        .initialBackoffMs(20).maxBackoffMs(100).timeoutMs(2_000).build());
    }

    private static String name(String base) {
        return base + "-" + NAMES.incrementAndGet();
    }

    static void assertOk(JsonNode reply) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("ok");
    }

    /** Waits until {@code key} has had {@code type} delivered; returns everything delivered for it. */
    static List<Delivery> awaitDelivered(WebhookReceiver receiver, String key, String type) {
        await().atMost(WAIT).until(() -> receiver.types(key).contains(type));
        return receiver.delivered(key);
    }

    /** The envelope rules every delivered event of one key follows. */
    static void assertWellFormed(List<Delivery> delivered, String key) {
        assertThat(delivered.stream().map(Delivery::seq).toList())
                .as("seq of %s", key).containsExactlyElementsOf(LongStream.rangeClosed(1, delivered.size()).boxed().toList());
        assertThat(new HashSet<>(delivered.stream().map(Delivery::id).toList())).as("unique ids").hasSize(delivered.size());
        for (Delivery d : delivered) {
            assertThat(d.key()).isEqualTo(key);
            assertThat(d.id()).startsWith("evt_");
            assertThat(d.header("Dialtone-Event-Id")).isEqualTo(d.id());
            assertThat(d.header("content-type")).isEqualTo("application/json");
            assertThat(d.envelope().path("createdAt").asLong()).isPositive();
            assertThat(d.data().isObject()).as("data of %s", d.type()).isTrue();
            assertThat(VERIFIER.isValid(d.header(WebhookVerifier.HEADER), d.body()))
                    .as("signature of %s", d.type()).isTrue();
        }
    }

    private static String invite(RawClient caller, String... to) {
        JsonNode ok = caller.command("call.invite", o -> {
            var array = o.putArray("to");
            for (String user : to) {
                array.add(user);
            }
            o.put("media", "video");
            o.putObject("payload").put("topic", "roadmap");
        });
        assertOk(ok);
        return ok.path("callId").asText();
    }

    @Test
    void aFullOneToOneCallIsToldInOrderWithTheRecord() {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            String callId = invite(a, bob);
            b.nextEvent("call.incoming");
            a.nextEvent("call.ringing");
            JsonNode accepted = b.command("call.accept", o -> o.put("callId", callId));
            assertOk(accepted);
            String roomId = accepted.path("roomId").asText();
            a.skipTo("call.started");
            assertOk(a.command("call.hold", o -> o.put("callId", callId)));
            assertOk(a.command("call.unhold", o -> o.put("callId", callId)));
            assertOk(b.command("call.hangup", o -> o.put("callId", callId)));
            a.skipTo("call.ended");

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(delivered.stream().map(Delivery::type).toList()).containsExactly("call.created",
                    "call.ringing", "call.accepted", "call.started", "call.hold_changed", "call.hold_changed",
                    "call.ended");
            assertWellFormed(delivered, callId);
            assertThat(receiver.attempts(callId)).as("no retries were needed").hasSize(7);
            for (Delivery d : delivered) {
                assertThat(d.header("Dialtone-Event-Type")).isEqualTo(d.type());
                assertThat(d.data().path("callId").asText()).isEqualTo(callId);
            }

            JsonNode created = delivered.get(0).data();
            assertThat(created.path("caller").asText()).isEqualTo(alice);
            assertThat(created.path("media").asText()).isEqualTo("video");
            assertThat(created.path("invitees").get(0).asText()).isEqualTo(bob);
            assertThat(created.path("invitees")).hasSize(1);
            assertThat(created.path("payload").path("topic").asText()).isEqualTo("roadmap");
            assertThat(delivered.get(1).data().path("user").asText()).isEqualTo(bob);
            assertThat(delivered.get(2).data().path("user").asText()).isEqualTo(bob);
            JsonNode started = delivered.get(3).data();
            assertThat(started.path("roomId").asText()).isEqualTo(roomId);
            assertThat(started.path("participants").toString()).contains(alice, bob);
            assertThat(delivered.get(4).data().path("user").asText()).isEqualTo(alice);
            assertThat(delivered.get(4).data().path("held").asBoolean()).isTrue();
            assertThat(delivered.get(5).data().path("user").asText()).isEqualTo(alice);
            assertThat(delivered.get(5).data().path("held").isBoolean()).isTrue();
            assertThat(delivered.get(5).data().path("held").asBoolean()).isFalse();

            JsonNode ended = delivered.get(6).data();
            assertThat(ended.path("reason").asText()).isEqualTo("hangup");
            assertThat(ended.path("by").asText()).isEqualTo(bob);
            JsonNode record = ended.path("record");
            assertThat(record.path("callId").asText()).isEqualTo(callId);
            assertThat(record.path("caller").asText()).isEqualTo(alice);
            assertThat(record.path("invitees")).hasSize(1);
            assertThat(record.path("invitees").get(0).path("user").asText()).isEqualTo(bob);
            assertThat(record.path("invitees").get(0).path("outcome").asText()).isEqualTo("answered");
            assertThat(record.path("media").asText()).isEqualTo("video");
            assertThat(record.path("endReason").asText()).isEqualTo("hangup");
            assertThat(record.path("endedBy").asText()).isEqualTo(bob);
            assertThat(record.path("roomId").asText()).isEqualTo(roomId);
            assertThat(record.path("durationMs").isNumber()).isTrue();
            assertThat(record.path("durationMs").asLong()).isGreaterThanOrEqualTo(0)
                    .isEqualTo(ended.path("durationMs").asLong());
            assertThat(record.path("answeredAt").asLong()).isGreaterThanOrEqualTo(record.path("createdAt").asLong());
            assertThat(record.path("endedAt").asLong()).isGreaterThanOrEqualTo(record.path("answeredAt").asLong());
            assertThat(record.path("createdAt").asLong()).isEqualTo(created.path("createdAt").asLong());
        }
    }

    @Test
    void aDeclinedCall() {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            String callId = invite(a, bob);
            b.nextEvent("call.incoming");
            assertOk(b.command("call.decline", o -> o.put("callId", callId)));

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(delivered.stream().map(Delivery::type).toList())
                    .containsExactly("call.created", "call.ringing", "call.declined", "call.ended");
            assertWellFormed(delivered, callId);
            assertThat(delivered.get(2).data().path("user").asText()).isEqualTo(bob);
            assertThat(delivered.get(2).data().path("reason").asText()).isEqualTo("refused");
            JsonNode ended = delivered.get(3).data();
            assertThat(ended.path("reason").asText()).isEqualTo("declined");
            assertThat(ended.path("durationMs").asLong()).isZero();
            JsonNode record = ended.path("record");
            assertThat(record.path("endReason").asText()).isEqualTo("declined");
            assertThat(record.path("invitees").get(0).path("outcome").asText()).isEqualTo("declined");
            assertThat(record.path("roomId").isMissingNode() || record.path("roomId").isNull()).isTrue();
        }
    }

    @Test
    void aGroupCallWithAJoinAndALeave() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone");
             RawClient c = RawClient.signedIn(server, carol, "phone")) {
            String callId = invite(a, bob, carol);
            b.nextEvent("call.incoming");
            c.nextEvent("call.incoming");
            assertOk(b.command("call.accept", o -> o.put("callId", callId)));
            assertOk(c.command("call.accept", o -> o.put("callId", callId)));
            assertOk(c.command("call.hangup", o -> o.put("callId", callId)));
            b.skipTo("call.participant_left");
            assertOk(b.command("call.hangup", o -> o.put("callId", callId)));

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(delivered.stream().map(Delivery::type).toList()).containsExactly("call.created",
                    "call.ringing", "call.ringing", "call.accepted", "call.started", "call.accepted",
                    "call.participant_joined", "call.participant_left", "call.ended");
            assertWellFormed(delivered, callId);
            assertThat(delivered.get(1).data().path("user").asText()).isEqualTo(bob);
            assertThat(delivered.get(2).data().path("user").asText()).isEqualTo(carol);
            assertThat(delivered.get(3).data().path("user").asText()).isEqualTo(bob);
            assertThat(delivered.get(5).data().path("user").asText()).isEqualTo(carol);
            assertThat(delivered.get(6).data().path("user").asText()).isEqualTo(carol);
            assertThat(delivered.get(7).data().path("user").asText()).isEqualTo(carol);
            assertThat(delivered.get(7).data().path("reason").asText()).isEqualTo("hangup");
            JsonNode record = delivered.get(8).data().path("record");
            assertThat(record.path("endReason").asText()).isEqualTo("hangup");
            assertThat(record.path("endedBy").asText()).isEqualTo(bob);
            assertThat(record.path("invitees").findValuesAsText("outcome")).containsExactly("answered", "answered");
        }
    }

    @Test
    void aFailingReceiverGetsEveryEventInOrderWithTheSameIdOnRetry() {
        String alice = name("alice");
        String bob = name("bob");
        AtomicInteger createdFailures = new AtomicInteger();
        AtomicInteger startedFailures = new AtomicInteger();
        receiver.failWhen(d -> {
            boolean ours = d.type().equals("call.created") && d.data().path("caller").asText().equals(alice);
            if (ours) {
                return createdFailures.incrementAndGet() <= 3;
            }
            return d.type().equals("call.started") && d.data().path("participants").toString().contains(alice)
                    && startedFailures.incrementAndGet() <= 2;
        });
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            String callId = invite(a, bob);
            b.nextEvent("call.incoming");
            assertOk(b.command("call.accept", o -> o.put("callId", callId)));
            assertOk(a.command("call.hangup", o -> o.put("callId", callId)));

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(delivered.stream().map(Delivery::type).toList()).containsExactly("call.created",
                    "call.ringing", "call.accepted", "call.started", "call.ended");
            assertWellFormed(delivered, callId);

            // Every attempt in arrival order: a retried event holds back the later ones of its call.
            List<Delivery> attempts = receiver.attempts(callId);
            assertThat(attempts.stream().map(d -> d.type() + ":" + d.status()).toList()).containsExactly(
                    "call.created:500", "call.created:500", "call.created:500", "call.created:204",
                    "call.ringing:204", "call.accepted:204",
                    "call.started:500", "call.started:500", "call.started:204",
                    "call.ended:204");
            assertThat(attempts.subList(0, 4).stream().map(Delivery::id).distinct().toList())
                    .containsExactly(delivered.get(0).id());
            assertThat(attempts.subList(6, 9).stream().map(Delivery::id).distinct().toList())
                    .containsExactly(delivered.get(3).id());
            for (Delivery attempt : attempts) {
                assertThat(attempt.header("Dialtone-Event-Id")).isEqualTo(attempt.id());
                assertThat(VERIFIER.isValid(attempt.header(WebhookVerifier.HEADER), attempt.body()))
                        .as("signature of attempt %s", attempt.type()).isTrue();
            }
            // A retry is the same event: same envelope, same seq.
            assertThat(attempts.subList(0, 4).stream().map(d -> new String(d.body())).distinct()).hasSize(1);
        }
    }

    @Test
    void roomJoinsAndLeavesAreToldUnderTheRoomsKey() {
        String room = "webhook-room-" + NAMES.incrementAndGet();
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            String aliceHandle = a.command("room.join", o -> o.put("room", room)).path("handle").asText();
            String bobHandle = b.command("room.join", o -> o.put("room", room)).path("handle").asText();
            assertOk(b.command("room.leave", o -> o.put("room", room)));
            assertOk(a.command("room.leave", o -> o.put("room", room)));

            String key = "room:" + room;
            await().atMost(WAIT).until(() -> receiver.delivered(key).size() >= 4);
            List<Delivery> delivered = receiver.delivered(key);
            assertThat(delivered.stream().map(Delivery::type).toList()).containsExactly("room.participant_joined",
                    "room.participant_joined", "room.participant_left", "room.participant_left");
            assertWellFormed(delivered, key);
            assertThat(delivered.stream().map(d -> d.data().path("user").asText()).toList())
                    .containsExactly(alice, bob, bob, alice);
            assertThat(delivered.stream().map(d -> d.data().path("handle").asText()).toList())
                    .containsExactly(aliceHandle, bobHandle, bobHandle, aliceHandle);
            assertThat(delivered.stream().map(d -> d.data().path("participants").asInt()).toList())
                    .containsExactly(1, 2, 1, 0);
            assertThat(delivered).allSatisfy(d -> assertThat(d.data().path("room").asText()).isEqualTo(room));
            assertThat(delivered.get(2).data().path("reason").asText()).isEqualTo("left");
            assertThat(delivered.get(3).data().path("reason").asText()).isEqualTo("left");
        }
    }
}
