package dev.dialtone.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** Servers and call set-ups over the wire (RawClient) for the admin API tests. */
final class AdminCalls {
    static final String KEY = "admin-key-for-tests-0123456789";
    static final String SECRET = "admin-secret-admin-secret-admin-secret-012345";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private AdminCalls() {
    }

    static ServerConfig.Builder config() {
        return ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .secret(SECRET)
                .eventLoops(2)
                .firstFrameTimeoutMs(5_000)
                .resumeWindowMs(60_000)
                .records(RecordsConfig.inMemory());
    }

    /** A user name no other test uses. */
    static String name(String base) {
        return base + "-" + NAMES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** {@code caller} invites {@code callee}; returns the call id once the callee rings and the caller heard so. */
    static String ring(RawClient caller, RawClient callee, String calleeUser) {
        JsonNode invited = caller.command("call.invite", o -> {
            o.putArray("to").add(calleeUser);
            o.put("media", "audio");
        });
        assertThat(invited.path("type").asText()).as("invite reply %s", invited).isEqualTo("ok");
        String callId = invited.path("callId").asText();
        assertThat(callee.nextEvent("call.incoming").path("callId").asText()).isEqualTo(callId);
        assertThat(caller.nextEvent("call.ringing").path("callId").asText()).isEqualTo(callId);
        return callId;
    }

    /** A call from {@code caller} that {@code callee} accepted; returns its id once both heard call.started. */
    static String answered(RawClient caller, RawClient callee, String calleeUser) {
        String callId = ring(caller, callee, calleeUser);
        JsonNode accepted = callee.command("call.accept", o -> o.put("callId", callId));
        assertThat(accepted.path("type").asText()).as("accept reply %s", accepted).isEqualTo("ok");
        caller.nextEvent("call.accepted");
        caller.nextEvent("call.started");
        callee.nextEvent("call.started");
        return callId;
    }

    /** {@code who} hangs up an active call; both sides hear call.ended with reason hangup. */
    static void hangup(RawClient who, RawClient other, String callId) {
        JsonNode reply = who.command("call.hangup", o -> o.put("callId", callId));
        assertThat(reply.path("type").asText()).as("hangup reply %s", reply).isEqualTo("ok");
        assertThat(who.nextEvent("call.ended").path("reason").asText()).isEqualTo("hangup");
        assertThat(other.nextEvent("call.ended").path("reason").asText()).isEqualTo("hangup");
    }

    /** Signs in with a token as the gateway sees it; returns the auth reply. */
    static JsonNode auth(RawClient client, String token, String device) {
        return client.command("auth", o -> o.put("token", token).put("device", device));
    }

    /**
     * Asserts that nothing but what was already consumed reached {@code client}: a command round
     * trip is a barrier, since events sent before its reply arrive before it.
     */
    static void assertNoMoreEvents(RawClient client) {
        JsonNode reply = client.command("calls.list", o -> { });
        assertThat(reply.path("type").asText()).isEqualTo("ok");
        assertThat(client.poll(0)).as("an unexpected frame").isNull();
    }
}
