package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.webhooks.WebhookVerifier;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.e2e.HookServer.Answer;
import dev.dialtone.server.hooks.HookConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pre-call hook end to end: a real server asks a real HTTP hook (inside the test) before
 * {@code call.invite}, {@code call.invite_more}, {@code room.join} and, when configured,
 * {@code call.hold}; clients speak raw frames so every field of a denial is visible.
 */
class HookE2ETest {
    private static final String TOKEN_SECRET = "hook-e2e-token-secret-0123456789abcdef";
    private static final String HOOK_SECRET = "hook-e2e-signing-secret-0123456789";
    private static final long HOOK_TIMEOUT_MS = 300;
    /** A slow hook answers well after the deadline. */
    private static final long SLOW_MS = HOOK_TIMEOUT_MS + 500;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static HookServer hook;
    /** Fail-closed, signed, not asked about hold. */
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        hook = HookServer.start();
        server = DialtoneServer.start(config(hookConfig().secret(HOOK_SECRET).build()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (hook != null) {
            hook.close();
        }
    }

    @BeforeEach
    void allowByDefault() {
        hook.answerAlways(Answer.allow());
        hook.clear();
    }

    private static HookConfig.Builder hookConfig() {
        return HookConfig.builder().url(hook.url()).timeoutMs(HOOK_TIMEOUT_MS);
    }

    private static ServerConfig config(HookConfig hookConfig) {
        return ServerConfig.builder().records(RecordsConfig.inMemory())
                .host("127.0.0.1").port(0).secret(TOKEN_SECRET).eventLoops(2).firstFrameTimeoutMs(5_000)
                .resumeWindowMs(1_000).hook(hookConfig).build();
    }

    private static String name(String base) {
        return base + "-" + NAMES.incrementAndGet();
    }

    private static JsonNode invite(RawClient caller, String to) {
        return caller.command("call.invite", o -> {
            o.putArray("to").add(to);
            o.put("media", "video");
            o.putObject("payload").put("topic", "billing");
        });
    }

    private static void assertOk(JsonNode reply) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("ok");
    }

    /** A denial decided by the hook: {@code denied} with its code and message. */
    private static void assertDenied(JsonNode reply, String hookCode, String message) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("error");
        assertThat(reply.path("code").asText()).as("reply %s", reply).isEqualTo("denied");
        assertThat(reply.path("hookCode").asText(null)).as("reply %s", reply).isEqualTo(hookCode);
        assertThat(reply.path("message").asText()).as("reply %s", reply).isEqualTo(message);
        assertThat(reply.has("callId")).as("reply %s", reply).isFalse();
    }

    /** A denial because the hook failed and the server fails closed: no hookCode, plain words. */
    private static void assertDeniedByFailure(JsonNode reply, String words) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("error");
        assertThat(reply.path("code").asText()).as("reply %s", reply).isEqualTo("denied");
        assertThat(reply.has("hookCode")).as("reply %s", reply).isFalse();
        assertThat(reply.path("message").asText()).as("reply %s", reply)
                .startsWith("The business server").contains(words)
                .doesNotContain("Exception").doesNotContain("127.0.0.1").doesNotContain("HTTP");
    }

    private static void assertAlive(RawClient client) {
        assertOk(client.command("ping", o -> { }));
    }

    /** Invites, and checks that the callee rings with this call as the very next thing they hear. */
    private static String inviteThatRings(RawClient caller, RawClient callee, String calleeName) {
        JsonNode ok = invite(caller, calleeName);
        assertOk(ok);
        String callId = ok.path("callId").asText();
        assertThat(callee.nextEvent("call.incoming").path("callId").asText()).isEqualTo(callId);
        assertThat(caller.nextEvent("call.ringing").path("callId").asText()).isEqualTo(callId);
        return callId;
    }

    /** An answered one-to-one call; both sides' setup events consumed. */
    private static String activeCall(RawClient caller, RawClient callee, String calleeName) {
        String callId = inviteThatRings(caller, callee, calleeName);
        assertOk(callee.command("call.accept", o -> o.put("callId", callId)));
        caller.skipTo("call.started");
        callee.skipTo("call.started");
        return callId;
    }

    // ---- call.invite ---------------------------------------------------------------------------

    @Test
    void anAllowedInviteGoesAheadAndTheHookHearsASignedRequest() throws Exception {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            int before = hook.requests().size();
            String callId = inviteThatRings(a, b, bob);

            assertThat(hook.requests()).hasSize(before + 1);
            HookServer.Request request = hook.requests().get(before);
            JsonNode body = request.json();
            assertThat(body.path("action").asText()).isEqualTo("call.invite");
            assertThat(body.path("user").asText()).isEqualTo(alice);
            assertThat(body.path("device").asText()).isEqualTo("laptop");
            assertThat(body.path("session").asText()).startsWith("s-");
            assertThat(body.path("to").isArray()).isTrue();
            assertThat(body.path("to")).hasSize(1);
            assertThat(body.path("to").get(0).asText()).isEqualTo(bob);
            assertThat(body.path("media").asText()).isEqualTo("video");
            assertThat(body.path("payload").path("topic").asText()).isEqualTo("billing");
            assertThat(request.header("content-type")).isEqualTo("application/json");
            WebhookVerifier verifier = new WebhookVerifier(HOOK_SECRET);
            assertThatCode(() -> verifier.verify(request.header(WebhookVerifier.HEADER), request.body()))
                    .doesNotThrowAnyException();
            assertThat(new WebhookVerifier("some-other-secret-0123456789")
                    .isValid(request.header(WebhookVerifier.HEADER), request.body())).isFalse();

            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
        }
    }

    @Test
    void theNumericStyleZeroAllows() {
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, name("alice"), "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            hook.answerAlways(Answer.json("{\"code\":0}"));
            String callId = inviteThatRings(a, b, bob);
            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
        }
    }

    @Test
    void aDeniedInviteReachesNobodyAndLeavesTheCallersLineFree() {
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, name("alice"), "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            hook.answerAlways(Answer.deny("CARD_EXPIRED", "Your card has expired"));
            assertDenied(invite(a, bob), "CARD_EXPIRED", "Your card has expired");
            assertAlive(a);

            // The same caller may call at once (no line was taken); the callee's first event is this call.
            hook.answerAlways(Answer.allow());
            String callId = inviteThatRings(a, b, bob);
            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
        }
    }

    @Test
    void aNumericCodeDenialCarriesTheCodeAsText() {
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, name("alice"), "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            hook.answerAlways(Answer.json("{\"code\":4031,\"message\":\"Insufficient balance\"}"));
            assertDenied(invite(a, bob), "4031", "Insufficient balance");
            assertAlive(a);

            hook.answerAlways(Answer.allow());
            String callId = inviteThatRings(a, b, bob);
            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
        }
    }

    @Test
    void aSlowHookDeniesWhenFailingClosed() {
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, name("alice"), "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            hook.answerAlways(Answer.allow().after(SLOW_MS));
            assertDeniedByFailure(invite(a, bob), "in time");
            assertAlive(a);
            // The late "allow" changes nothing: the callee's first event is the next, allowed call.
            await().atMost(Duration.ofSeconds(3)).until(() -> hook.lateAnswers() == 1);

            hook.answerAlways(Answer.allow());
            String callId = inviteThatRings(a, b, bob);
            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
        }
    }

    @Test
    void aHookThatAnswersNonsenseOrAnErrorStatusDeniesWhenFailingClosed() {
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, name("alice"), "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            hook.answerAlways(new Answer(503, "{\"allow\":true}", 0));
            assertDeniedByFailure(invite(a, bob), "unavailable");
            hook.answerAlways(Answer.json("{\"verdict\":\"yes\"}"));
            assertDeniedByFailure(invite(a, bob), "unavailable");
            assertAlive(a);

            hook.answerAlways(Answer.allow());
            String callId = inviteThatRings(a, b, bob);
            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
        }
    }

    @Test
    void aSlowHookAllowsWhenFailingOpen() {
        try (DialtoneServer open = DialtoneServer.start(config(hookConfig().failOpen(true).build()))) {
            String bob = name("bob");
            try (RawClient a = RawClient.signedIn(open, name("alice"), "laptop");
                 RawClient b = RawClient.signedIn(open, bob, "phone")) {
                hook.answerAlways(Answer.deny("TOO_LATE", "answered after the deadline").after(SLOW_MS));
                String callId = inviteThatRings(a, b, bob);
                // The late "deny" changes nothing: the call still rings until the caller cancels.
                await().atMost(Duration.ofSeconds(3)).until(() -> hook.lateAnswers() == 1);
                assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
                assertThat(b.nextEvent("call.canceled").path("reason").asText()).isEqualTo("canceled");
            }
        }
    }

    @Test
    void aHookThatIsDownDeniesWhenFailingClosed() {
        HookConfig down = HookConfig.builder().url(HookServer.downUrl()).timeoutMs(HOOK_TIMEOUT_MS).build();
        try (DialtoneServer closed = DialtoneServer.start(config(down))) {
            String bob = name("bob");
            try (RawClient a = RawClient.signedIn(closed, name("alice"), "laptop");
                 RawClient b = RawClient.signedIn(closed, bob, "phone")) {
                assertDeniedByFailure(invite(a, bob), "unavailable");
                assertAlive(a);
                // Denied again: nothing was left half-done by the first attempt (no "busy").
                assertDeniedByFailure(invite(a, bob), "unavailable");
                assertThat(b.poll(100)).as("the callee hears nothing").isNull();
            }
        }
    }

    @Test
    void aHookThatIsDownAllowsWhenFailingOpen() {
        HookConfig down = HookConfig.builder().url(HookServer.downUrl()).timeoutMs(HOOK_TIMEOUT_MS).failOpen(true)
                .build();
        try (DialtoneServer open = DialtoneServer.start(config(down))) {
            String bob = name("bob");
            try (RawClient a = RawClient.signedIn(open, name("alice"), "laptop");
                 RawClient b = RawClient.signedIn(open, bob, "phone")) {
                String callId = inviteThatRings(a, b, bob);
                assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
            }
        }
    }

    // ---- call.invite_more and room.join --------------------------------------------------------

    @Test
    void inviteMoreDeniedByTheHookRingsNobody() {
        String alice = name("alice");
        String bob = name("bob");
        String carol = name("carol");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone");
             RawClient c = RawClient.signedIn(server, carol, "phone")) {
            String callId = activeCall(a, b, bob);

            hook.answer(r -> r.action().equals("call.invite_more")
                    ? Answer.deny("SEAT_LIMIT", "Your plan allows two people per call") : Answer.allow());
            JsonNode denied = a.command("call.invite_more", o -> {
                o.put("callId", callId);
                o.putArray("to").add(carol);
            });
            assertDenied(denied, "SEAT_LIMIT", "Your plan allows two people per call");
            JsonNode asked = hook.requests("call.invite_more").getLast().json();
            assertThat(asked.path("callId").asText()).isEqualTo(callId);
            assertThat(asked.path("to").get(0).asText()).isEqualTo(carol);
            assertThat(asked.path("user").asText()).isEqualTo(alice);
            assertAlive(a);

            hook.answerAlways(Answer.allow());
            assertOk(a.command("call.invite_more", o -> {
                o.put("callId", callId);
                o.putArray("to").add(carol);
            }));
            assertThat(c.nextEvent("call.incoming").path("callId").asText()).isEqualTo(callId);
            // bob heard of carol only through the allowed invite: her ringing is his next event.
            JsonNode ringing = b.nextEvent("call.ringing");
            assertThat(ringing.path("user").asText()).isEqualTo(carol);
            assertOk(a.command("call.hangup", o -> o.put("callId", callId)));
        }
    }

    @Test
    void roomJoinDeniedByTheHookJoinsNothing() {
        String room = "standup-" + NAMES.incrementAndGet();
        String alice = name("alice");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient b = RawClient.signedIn(server, name("bob"), "phone")) {
            assertOk(b.command("room.join", o -> o.put("room", room)));

            hook.answer(r -> r.action().equals("room.join") && r.json().path("user").asText().equals(alice)
                    ? Answer.deny("ROOM_LOCKED", "This room is locked") : Answer.allow());
            JsonNode denied = a.command("room.join", o -> {
                o.put("room", room);
                o.putObject("payload").put("name", "Alice");
            });
            assertDenied(denied, "ROOM_LOCKED", "This room is locked");
            JsonNode asked = hook.requests("room.join").getLast().json();
            assertThat(asked.path("room").asText()).isEqualTo(room);
            assertThat(asked.path("user").asText()).isEqualTo(alice);
            assertThat(asked.path("payload").path("name").asText()).isEqualTo("Alice");
            assertAlive(a);
            // She is not in the room: a leave finds nothing.
            assertThat(a.command("room.leave", o -> o.put("room", room)).path("code").asText()).isEqualTo("not_found");

            hook.answerAlways(Answer.allow());
            JsonNode joined = a.command("room.join", o -> o.put("room", room));
            assertOk(joined);
            assertThat(joined.path("participants")).hasSize(1);
            JsonNode announced = b.nextEvent("room.participant_joined");
            assertThat(announced.path("user").asText()).isEqualTo(alice);
        }
    }

    // ---- call.hold -----------------------------------------------------------------------------

    @Test
    void withoutAskOnHoldTheHookIsNeverAskedAboutHold() {
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, name("alice"), "laptop");
             RawClient b = RawClient.signedIn(server, bob, "phone")) {
            String callId = activeCall(a, b, bob);
            hook.answer(r -> r.action().equals("call.hold") ? Answer.deny("NO_HOLD", "no") : Answer.allow());
            int asked = hook.requests().size();

            assertOk(a.command("call.hold", o -> o.put("callId", callId)));
            assertThat(b.nextEvent("call.hold_changed").path("held").asBoolean()).isTrue();
            assertOk(a.command("call.unhold", o -> o.put("callId", callId)));
            assertThat(b.nextEvent("call.hold_changed").path("held").asBoolean()).isFalse();
            assertThat(hook.requests()).hasSize(asked);
            assertThat(hook.requests("call.hold")).isEmpty();
            assertOk(a.command("call.hangup", o -> o.put("callId", callId)));
        }
    }

    @Test
    void withAskOnHoldADeniedHoldChangesNothing() {
        try (DialtoneServer asking = DialtoneServer.start(config(hookConfig().askOnHold(true).build()))) {
            String alice = name("alice");
            String bob = name("bob");
            try (RawClient a = RawClient.signedIn(asking, alice, "laptop");
                 RawClient b = RawClient.signedIn(asking, bob, "phone")) {
                String callId = activeCall(a, b, bob);
                hook.answer(r -> r.action().equals("call.hold")
                        ? Answer.deny("HOLD_FORBIDDEN", "Calls with agents cannot be held") : Answer.allow());

                assertDenied(a.command("call.hold", o -> o.put("callId", callId)), "HOLD_FORBIDDEN",
                        "Calls with agents cannot be held");
                JsonNode asked = hook.requests("call.hold").getLast().json();
                assertThat(asked.path("callId").asText()).isEqualTo(callId);
                assertThat(asked.path("user").asText()).isEqualTo(alice);
                assertAlive(a);
                JsonNode calls = a.command("calls.list", o -> { });
                assertOk(calls);
                assertThat(calls.path("calls")).hasSize(1);
                assertThat(calls.path("calls").get(0).path("participants"))
                        .allSatisfy(p -> assertThat(p.path("held").asBoolean()).as("%s", p).isFalse());

                hook.answerAlways(Answer.allow());
                assertOk(a.command("call.hold", o -> o.put("callId", callId)));
                // The first hold_changed either side hears is the allowed one.
                JsonNode held = b.nextEvent("call.hold_changed");
                assertThat(held.path("user").asText()).isEqualTo(alice);
                assertThat(held.path("held").asBoolean()).isTrue();
                assertThat(a.nextEvent("call.hold_changed").path("held").asBoolean()).isTrue();
                // Unhold is never asked.
                int holdAsks = hook.requests("call.hold").size();
                hook.answerAlways(Answer.deny("NOPE", "no"));
                assertOk(a.command("call.unhold", o -> o.put("callId", callId)));
                assertThat(b.nextEvent("call.hold_changed").path("held").asBoolean()).isFalse();
                assertThat(hook.requests("call.hold")).hasSize(holdAsks);
                assertOk(a.command("call.hangup", o -> o.put("callId", callId)));
            }
        }
    }
}
