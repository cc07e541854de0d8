package dev.dialtone.server.e2e;

import static dev.dialtone.server.e2e.WebhookE2ETest.assertOk;
import static dev.dialtone.server.e2e.WebhookE2ETest.assertWellFormed;
import static dev.dialtone.server.e2e.WebhookE2ETest.awaitDelivered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.e2e.WebhookReceiver.Delivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ringing for push (rule 3 with {@code ringOffline}): an invitee with no session keeps ringing,
 * the backend hears {@code call.push} / {@code call.push_retracted}, and an invitee who signs in
 * during the ring gets the call at once. Real server, raw WebSocket frames, real webhook receiver.
 */
class OfflinePushTest {
    private static final long RING_TIMEOUT_MS = 1_500;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static WebhookReceiver receiver;
    /** ringOffline on, short ring timeout. */
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        receiver = WebhookReceiver.start();
        server = DialtoneServer.start(WebhookE2ETest.config(receiver).ringOffline(true)
                .ringTimeoutMs(RING_TIMEOUT_MS).build());
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

    private static String name(String base) {
        return base + "-push-" + NAMES.incrementAndGet();
    }

    private static String invite(RawClient caller, String to, Integer timeoutMs) {
        JsonNode ok = caller.command("call.invite", o -> {
            o.putArray("to").add(to);
            o.put("media", "audio");
            o.putObject("payload").put("reason", "delivery");
            if (timeoutMs != null) {
                o.put("timeoutMs", timeoutMs);
            }
        });
        assertOk(ok);
        return ok.path("callId").asText();
    }

    private static List<String> types(List<Delivery> delivered) {
        return delivered.stream().map(Delivery::type).toList();
    }

    private static Delivery only(List<Delivery> delivered, String type) {
        List<Delivery> matching = delivered.stream().filter(d -> d.type().equals(type)).toList();
        assertThat(matching).as("%s in %s", type, types(delivered)).hasSize(1);
        return matching.get(0);
    }

    @Test
    void anOfflineInviteeIsPushedAndGetsTheCallWhenTheySignInDuringTheRing() {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop")) {
            String callId = invite(a, bob, 10_000);
            long invitedAt = System.currentTimeMillis();

            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.types(callId).contains("call.push"));
            JsonNode push = only(receiver.delivered(callId), "call.push").data();
            assertThat(push.path("user").asText()).isEqualTo(bob);
            assertThat(push.path("ringing").asBoolean()).isTrue();
            assertThat(push.path("caller").asText()).isEqualTo(alice);
            assertThat(push.path("media").asText()).isEqualTo("audio");
            assertThat(push.path("payload").path("reason").asText()).isEqualTo("delivery");
            long expiresAt = push.path("expiresAt").asLong();
            assertThat(expiresAt).isGreaterThan(invitedAt);

            try (RawClient b = RawClient.signedIn(server, bob, "phone")) {
                JsonNode incoming = b.nextEvent("call.incoming");
                assertThat(incoming.path("callId").asText()).isEqualTo(callId);
                assertThat(incoming.path("from").asText()).isEqualTo(alice);
                assertThat(incoming.path("expiresAt").asLong()).as("the remaining ring, not a new one")
                        .isEqualTo(expiresAt);
                // Not declined offline: the caller's first event is the ringing, once bob is there.
                JsonNode ringing = a.nextEvent("call.ringing");
                assertThat(ringing.path("callId").asText()).isEqualTo(callId);
                assertThat(ringing.path("user").asText()).isEqualTo(bob);

                JsonNode accepted = b.command("call.accept", o -> o.put("callId", callId));
                assertOk(accepted);
                assertThat(a.nextEvent("call.accepted").path("user").asText()).isEqualTo(bob);
                assertThat(a.nextEvent("call.started").path("roomId").asText())
                        .isEqualTo(accepted.path("roomId").asText());

                await().atMost(Duration.ofSeconds(5))
                        .until(() -> receiver.types(callId).contains("call.push_retracted"));
                assertOk(a.command("call.hangup", o -> o.put("callId", callId)));
            }

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(types(delivered)).containsExactly("call.created", "call.push", "call.ringing",
                    "call.accepted", "call.started", "call.push_retracted", "call.ended");
            assertWellFormed(delivered, callId);
            JsonNode retracted = delivered.get(5).data();
            assertThat(retracted.path("user").asText()).isEqualTo(bob);
            assertThat(retracted.path("reason").asText()).isEqualTo("answered");
            assertThat(delivered.get(6).data().path("record").path("invitees").get(0).path("outcome").asText())
                    .isEqualTo("answered");
        }
    }

    @Test
    void nobodySignsInTheCallEndsNoAnswerAndThePushIsRetracted() {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop")) {
            String callId = invite(a, bob, null); // the server's short ring timeout

            JsonNode declined = a.nextEvent("call.declined");
            assertThat(declined.path("user").asText()).isEqualTo(bob);
            assertThat(declined.path("reason").asText()).isEqualTo("no_answer");
            assertThat(a.nextEvent("call.ended").path("reason").asText()).isEqualTo("no_answer");

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(types(delivered)).containsExactly("call.created", "call.push", "call.declined",
                    "call.push_retracted", "call.ended");
            assertWellFormed(delivered, callId);
            assertThat(delivered.get(1).data().path("ringing").asBoolean()).isTrue();
            assertThat(delivered.get(2).data().path("reason").asText()).isEqualTo("no_answer");
            JsonNode retracted = delivered.get(3).data();
            assertThat(retracted.path("user").asText()).isEqualTo(bob);
            assertThat(retracted.path("reason").asText()).isEqualTo("no_answer");
            assertThat(delivered.get(4).data().path("reason").asText()).isEqualTo("no_answer");
            assertThat(delivered.get(4).data().path("record").path("invitees").get(0).path("outcome").asText())
                    .isEqualTo("missed");
        }
    }

    @Test
    void theCallersCancelRetractsThePush() {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop")) {
            String callId = invite(a, bob, 10_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.types(callId).contains("call.push"));
            assertOk(a.command("call.cancel", o -> o.put("callId", callId)));
            assertThat(a.nextEvent("call.ended").path("reason").asText()).isEqualTo("canceled");

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(types(delivered))
                    .containsExactly("call.created", "call.push", "call.push_retracted", "call.ended");
            assertWellFormed(delivered, callId);
            JsonNode retracted = delivered.get(2).data();
            assertThat(retracted.path("user").asText()).isEqualTo(bob);
            assertThat(retracted.path("reason").asText()).isEqualTo("canceled");
            assertThat(delivered.get(3).data().path("reason").asText()).isEqualTo("canceled");
        }
    }

    @Test
    void withoutRingOfflineAnOfflineInviteeIsDeclinedAtOnceWithAMissedCallPush() {
        try (DialtoneServer plain = DialtoneServer.start(WebhookE2ETest.config(receiver)
                .ringTimeoutMs(RING_TIMEOUT_MS).build())) {
            String alice = name("alice");
            String bob = name("bob");
            try (RawClient a = RawClient.signedIn(plain, alice, "laptop")) {
                String callId = invite(a, bob, 10_000);
                JsonNode declined = a.nextEvent("call.declined");
                assertThat(declined.path("user").asText()).isEqualTo(bob);
                assertThat(declined.path("reason").asText()).isEqualTo("offline");
                assertThat(a.nextEvent("call.ended").path("reason").asText()).isEqualTo("offline");

                List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
                assertThat(types(delivered))
                        .containsExactly("call.created", "call.declined", "call.push", "call.ended");
                assertWellFormed(delivered, callId);
                assertThat(delivered.get(1).data().path("reason").asText()).isEqualTo("offline");
                JsonNode push = delivered.get(2).data();
                assertThat(push.path("user").asText()).isEqualTo(bob);
                assertThat(push.path("ringing").isBoolean()).isTrue();
                assertThat(push.path("ringing").asBoolean()).isFalse();
                assertThat(delivered.get(3).data().path("reason").asText()).isEqualTo("offline");
            }
        }
    }

    @Test
    void aSecondDeviceThatSignsInDuringTheRingRingsToo() {
        String alice = name("alice");
        String bob = name("bob");
        try (RawClient a = RawClient.signedIn(server, alice, "laptop");
             RawClient phone = RawClient.signedIn(server, bob, "phone")) {
            String callId = invite(a, bob, 10_000);
            JsonNode first = phone.nextEvent("call.incoming");
            assertThat(a.nextEvent("call.ringing").path("user").asText()).isEqualTo(bob);

            try (RawClient tablet = RawClient.signedIn(server, bob, "tablet")) {
                JsonNode second = tablet.nextEvent("call.incoming");
                assertThat(second.path("callId").asText()).isEqualTo(callId);
                assertThat(second.path("from").asText()).isEqualTo(alice);
                assertThat(second.path("expiresAt").asLong()).isEqualTo(first.path("expiresAt").asLong());

                assertOk(tablet.command("call.accept", o -> o.put("callId", callId)));
                JsonNode canceled = phone.nextEvent("call.canceled");
                assertThat(canceled.path("reason").asText()).isEqualTo("answered_elsewhere");
                // The new device did not make bob ring twice for the caller.
                assertThat(a.nextEvent("call.accepted").path("user").asText()).isEqualTo(bob);
                a.nextEvent("call.started");
                assertOk(a.command("call.hangup", o -> o.put("callId", callId)));
            }

            List<Delivery> delivered = awaitDelivered(receiver, callId, "call.ended");
            assertThat(types(delivered)).containsExactly("call.created", "call.ringing", "call.accepted",
                    "call.started", "call.ended");
            assertWellFormed(delivered, callId);
        }
    }
}
