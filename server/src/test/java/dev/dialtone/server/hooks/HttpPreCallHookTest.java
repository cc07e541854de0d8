package dev.dialtone.server.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.webhooks.WebhookVerifier;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.server.webhooks.TestReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpPreCallHookTest {
    private static final String SECRET = "hook-secret-0123456789abcdef";
    private static final long TIMEOUT_MS = 200;

    private Vertx vertx;
    private TestReceiver receiver;
    private SimpleMeterRegistry registry;
    private PreCallHook hook;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        receiver = TestReceiver.start(vertx, TestReceiver.answer(200, "{\"allow\":true}"));
    }

    @AfterEach
    void stop() throws Exception {
        if (hook != null) {
            hook.close();
        }
        receiver.close();
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    /** The default 2 s timeout, unless the test is about timeouts. */
    private PreCallHook hook(HookConfig.Builder config) {
        hook = new HttpPreCallHook(vertx, config.build(), registry);
        return hook;
    }

    private PreCallHook hook() {
        return hook(HookConfig.builder().url(receiver.url()));
    }

    private PreCallHook shortTimeoutHook() {
        return hook(HookConfig.builder().url(receiver.url()).timeoutMs(TIMEOUT_MS));
    }

    private static ObjectNode invite() {
        ObjectNode request = WireCodec.get().mapper().createObjectNode();
        request.put("callId", "c-123").put("from", "alice").putArray("to").add("bob");
        return request;
    }

    private static HookVerdict verdict(CompletableFuture<HookVerdict> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void allowsAndPostsTheRequestWithItsAction() throws Exception {
        ObjectNode request = invite();
        CompletableFuture<HookVerdict> future = hook().check(PreCallHook.CALL_INVITE, request);
        request.put("from", "mallory"); // read before check returned: does not change what was sent

        assertThat(verdict(future)).isInstanceOf(HookVerdict.Allow.class);
        TestReceiver.Received sent = receiver.received().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.header("content-type")).isEqualTo("application/json");
        assertThat(sent.header("Dialtone-Signature")).isNull(); // no secret: unsigned
        JsonNode body = WireCodec.get().mapper().readTree(sent.body());
        assertThat(body.get("action").asText()).isEqualTo("call.invite");
        assertThat(body.get("callId").asText()).isEqualTo("c-123");
        assertThat(body.get("from").asText()).isEqualTo("alice");
        assertThat(body.get("to").get(0).asText()).isEqualTo("bob");
        assertThat(registry.get("dialtone.hook.verdicts").tag("action", "call.invite").tag("verdict", "allow")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("dialtone.hook.latency").tag("action", "call.invite").timer().count()).isEqualTo(1);
    }

    @Test
    void theRequestCannotOverrideTheAction() throws Exception {
        ObjectNode request = invite().put("action", "call.hold");
        verdict(hook().check(PreCallHook.ROOM_JOIN, request));
        JsonNode body = WireCodec.get().mapper().readTree(receiver.received().get(0).body());
        assertThat(body.get("action").asText()).isEqualTo("room.join");
    }

    @Test
    void deniesWithTheBusinessServersCodeAndMessage() throws Exception {
        receiver.responder(TestReceiver.answer(200,
                "{\"allow\":false,\"code\":\"CARD_EXPIRED\",\"message\":\"Your card has expired\"}"));
        assertThat(verdict(hook().check(PreCallHook.CALL_INVITE, invite())))
                .isEqualTo(new HookVerdict.Deny("CARD_EXPIRED", "Your card has expired"));
        assertThat(registry.get("dialtone.hook.verdicts").tag("action", "call.invite").tag("verdict", "deny")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void aDenialWithoutCodeStillLooksDecided() throws Exception {
        receiver.responder(TestReceiver.answer(200, "{\"allow\":false}"));
        HookVerdict verdict = verdict(hook().check(PreCallHook.CALL_INVITE, invite()));
        assertThat(verdict).isEqualTo(new HookVerdict.Deny("DENIED", null));
        assertThat(((HookVerdict.Deny) verdict).hookFailed()).isFalse();
    }

    @Test
    void acceptsTheNumericStyleOfOlderBusinessServers() throws Exception {
        PreCallHook hook = hook();
        receiver.responder(TestReceiver.answer(200, "{\"code\":0}"));
        assertThat(verdict(hook.check(PreCallHook.CALL_INVITE, invite()))).isInstanceOf(HookVerdict.Allow.class);
        receiver.responder(TestReceiver.answer(200, "{\"code\":\"0\",\"message\":\"ok\"}"));
        assertThat(verdict(hook.check(PreCallHook.CALL_INVITE, invite()))).isInstanceOf(HookVerdict.Allow.class);
        receiver.responder(TestReceiver.answer(200, "{\"code\":1002,\"message\":\"No credit left\"}"));
        assertThat(verdict(hook.check(PreCallHook.CALL_INVITE_MORE, invite())))
                .isEqualTo(new HookVerdict.Deny("1002", "No credit left"));
        receiver.responder(TestReceiver.answer(200, "{\"code\":\"NO_CREDIT\"}"));
        assertThat(verdict(hook.check(PreCallHook.ROOM_JOIN, invite()))).isEqualTo(new HookVerdict.Deny("NO_CREDIT", null));
    }

    @Test
    void aSlowHookFailsClosedByDefault() throws Exception {
        receiver.responder((request, response) -> vertx.setTimer(TIMEOUT_MS * 10,
                id -> response.putHeader("content-type", "application/json").end("{\"allow\":true}")));
        PreCallHook hook = shortTimeoutHook();
        long started = System.nanoTime();
        HookVerdict verdict = verdict(hook.check(PreCallHook.CALL_INVITE, invite()));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(verdict).isEqualTo(new HookVerdict.Deny(null, HttpPreCallHook.TIMEOUT_MESSAGE));
        assertThat(((HookVerdict.Deny) verdict).hookFailed()).isTrue();
        assertThat(tookMs).isBetween(TIMEOUT_MS - 20, TIMEOUT_MS * 7); // long before the answer
        assertThat(registry.get("dialtone.hook.verdicts").tag("action", "call.invite").tag("verdict", "failed_closed")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void aSlowHookAllowsWhenFailingOpen() throws Exception {
        receiver.responder((request, response) -> vertx.setTimer(TIMEOUT_MS * 4,
                id -> response.end("{\"allow\":false,\"code\":\"LATE\"}")));
        PreCallHook hook = hook(HookConfig.builder().url(receiver.url()).failOpen(true).timeoutMs(TIMEOUT_MS));
        assertThat(verdict(hook.check(PreCallHook.CALL_INVITE, invite()))).isInstanceOf(HookVerdict.Allow.class);
        assertThat(registry.get("dialtone.hook.verdicts").tag("action", "call.invite").tag("verdict", "failed_open")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void theTimeoutCoversAHookThatAnswersSlowlyAfterItsHeaders() throws Exception {
        // Headers at once, the body never: a connect or idle timeout alone would not catch it.
        receiver.responder((request, response) -> {
            response.setChunked(true).putHeader("content-type", "application/json").write("{\"allow\":");
        });
        assertThat(verdict(shortTimeoutHook().check(PreCallHook.CALL_INVITE, invite())))
                .isEqualTo(new HookVerdict.Deny(null, HttpPreCallHook.TIMEOUT_MESSAGE));
    }

    @Test
    void aHookThatIsDownFailsInBothModes() throws Exception {
        String down = "http://127.0.0.1:" + TestReceiver.freePort() + "/hook";
        HookVerdict closed = verdict(hook(HookConfig.builder().url(down)).check(PreCallHook.CALL_INVITE, invite()));
        assertThat(closed).isEqualTo(new HookVerdict.Deny(null, HttpPreCallHook.UNAVAILABLE_MESSAGE));
        hook.close();

        HookVerdict open = verdict(hook(HookConfig.builder().url(down).failOpen(true)).check(PreCallHook.ROOM_JOIN, invite()));
        assertThat(open).isInstanceOf(HookVerdict.Allow.class);
        assertThat(registry.get("dialtone.hook.verdicts").tag("action", "call.invite").tag("verdict", "failed_closed")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("dialtone.hook.verdicts").tag("action", "room.join").tag("verdict", "failed_open")
                .counter().count()).isEqualTo(1);
    }

    @Test
    void aNon2xxAnswerIsAFailureWhateverItsBody() throws Exception {
        receiver.responder(TestReceiver.answer(500, "{\"allow\":true}"));
        assertThat(verdict(hook().check(PreCallHook.CALL_INVITE, invite())))
                .isEqualTo(new HookVerdict.Deny(null, HttpPreCallHook.UNAVAILABLE_MESSAGE));
        receiver.responder(TestReceiver.answer(302, "{\"allow\":true}"));
        assertThat(verdict(hook.check(PreCallHook.CALL_INVITE, invite())))
                .isEqualTo(new HookVerdict.Deny(null, HttpPreCallHook.UNAVAILABLE_MESSAGE));
    }

    @Test
    void anUnreadableAnswerIsAFailure() throws Exception {
        PreCallHook closed = hook();
        for (String garbage : new String[] {"not json", "", "[1,2]", "\"allow\"", "{}", "{\"allow\":\"yes\"}",
                "{\"code\":{\"x\":1}}", "{\"allow\":null}"}) {
            receiver.responder(TestReceiver.answer(200, garbage));
            assertThat(verdict(closed.check(PreCallHook.CALL_INVITE, invite())))
                    .as(garbage).isEqualTo(new HookVerdict.Deny(null, HttpPreCallHook.UNAVAILABLE_MESSAGE));
        }
        closed.close();
        PreCallHook open = hook(HookConfig.builder().url(receiver.url()).failOpen(true));
        receiver.responder(TestReceiver.answer(200, "<html>oops</html>"));
        assertThat(verdict(open.check(PreCallHook.CALL_INVITE, invite()))).isInstanceOf(HookVerdict.Allow.class);
    }

    @Test
    void signsRequestsVerifiablyWithTheSdk() throws Exception {
        PreCallHook hook = hook(HookConfig.builder().url(receiver.url()).secret(SECRET));
        verdict(hook.check(PreCallHook.CALL_INVITE, invite()));
        TestReceiver.Received sent = receiver.received().get(0);
        String signature = sent.header(WebhookVerifier.HEADER);
        assertThat(signature).matches("t=\\d+,v1=[0-9a-f]{64}");
        WebhookVerifier verifier = new WebhookVerifier(SECRET);
        verifier.verify(signature, sent.body());
        assertThat(verifier.isValid(signature, (sent.text() + " ").getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(new WebhookVerifier("another-secret-0123456789").isValid(signature, sent.body())).isFalse();
    }

    @Test
    void asksAboutHoldOnlyWhenConfigured() throws Exception {
        PreCallHook plain = hook();
        assertThat(plain.asks(PreCallHook.CALL_INVITE)).isTrue();
        assertThat(plain.asks(PreCallHook.CALL_INVITE_MORE)).isTrue();
        assertThat(plain.asks(PreCallHook.ROOM_JOIN)).isTrue();
        assertThat(plain.asks(PreCallHook.CALL_HOLD)).isFalse();
        assertThat(plain.asks("call.accept")).isFalse();
        receiver.responder(TestReceiver.answer(200, "{\"allow\":false,\"code\":\"NO\"}"));
        assertThat(verdict(plain.check(PreCallHook.CALL_HOLD, invite()))).isInstanceOf(HookVerdict.Allow.class);
        assertThat(receiver.received()).isEmpty();
        assertThatThrownBy(() -> plain.check("call.accept", invite())).isInstanceOf(IllegalArgumentException.class);
        plain.close();

        PreCallHook withHold = hook(HookConfig.builder().url(receiver.url()).askOnHold(true));
        assertThat(withHold.asks(PreCallHook.CALL_HOLD)).isTrue();
        assertThat(verdict(withHold.check(PreCallHook.CALL_HOLD, invite()))).isEqualTo(new HookVerdict.Deny("NO", null));
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void completesOnAVertxThread() throws Exception {
        receiver.responder((request, response) -> vertx.setTimer(30, id -> response.end("{\"allow\":true}")));
        CompletableFuture<Boolean> onVertx = hook().check(PreCallHook.CALL_INVITE, invite())
                .thenApply(v -> Context.isOnVertxThread());
        assertThat(onVertx.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void manyChecksAtOnceDoNotBlockOneAnother() throws Exception {
        receiver.responder((request, response) -> vertx.setTimer(50, id -> response.end("{\"allow\":true}")));
        PreCallHook hook = hook(HookConfig.builder().url(receiver.url()).timeoutMs(10_000));
        List<CompletableFuture<HookVerdict>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(hook.check(PreCallHook.CALL_INVITE, invite()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        for (CompletableFuture<HookVerdict> one : all) {
            assertThat(one.get()).isInstanceOf(HookVerdict.Allow.class);
        }
    }

    @Test
    void allowAllNeverAsks() throws Exception {
        assertThat(PreCallHook.create(vertx, HookConfig.DISABLED, registry)).isSameAs(PreCallHook.ALLOW_ALL);
        assertThat(PreCallHook.ALLOW_ALL.asks(PreCallHook.CALL_INVITE)).isFalse();
        assertThat(verdict(PreCallHook.ALLOW_ALL.check(PreCallHook.CALL_INVITE, invite()))).isInstanceOf(HookVerdict.Allow.class);
        assertThatThrownBy(() -> new HttpPreCallHook(vertx, HookConfig.DISABLED, registry))
                .isInstanceOf(IllegalArgumentException.class);
        PreCallHook created = PreCallHook.create(vertx, HookConfig.builder().url(receiver.url()).build(), registry);
        assertThat(created).isInstanceOf(HttpPreCallHook.class);
        created.close();
    }
}
