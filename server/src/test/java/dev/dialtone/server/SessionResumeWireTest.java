package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Detach and resume, frame by frame: replay with original seqs, token rotation, failures, dedupe. */
class SessionResumeWireTest {
    private static final long WINDOW_MS = 1_500;
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().resumeWindowMs(WINDOW_MS).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Signed(RawClient client, String session, String resumeToken) {
    }

    private static Signed signIn(String user) {
        RawClient client = RawClient.connect(server.port());
        JsonNode ok = client.command("auth", o -> o.put("token", server.tokens().sign(user, Duration.ofMinutes(5)))
                .put("device", "d"));
        return new Signed(client, ok.path("session").asText(), ok.path("resumeToken").asText());
    }

    private static JsonNode resume(RawClient client, Signed signed, long lastSeq) {
        return client.command("resume", o -> o.put("session", signed.session())
                .put("resumeToken", signed.resumeToken()).put("lastSeq", lastSeq));
    }

    @Test
    void eventsWhileDetachedAreReplayedInOrderWithTheirOriginalSeqAndTheTokenRotates() {
        Signed alice = signIn("r-alice");
        try (RawClient bob = RawClient.signedIn(server, "r-bob", "d")) {
            String callId = bob.command("call.invite", o -> {
                o.putArray("to").add("r-alice");
                o.put("media", "audio");
            }).path("callId").asText();
            assertThat(alice.client().nextEvent("call.incoming").path("seq").asLong()).isEqualTo(1);
            bob.nextEvent("call.ringing");
            alice.client().command("call.accept", o -> o.put("callId", callId));
            alice.client().nextEvent("call.started");
            bob.nextEvent("call.accepted");
            bob.nextEvent("call.started");

            alice.client().drop();
            assertThat(bob.nextEvent("call.participant_reconnecting").path("user").asText()).isEqualTo("r-alice");
            bob.command("call.hold", o -> o.put("callId", callId));
            bob.nextEvent("call.hold_changed");
            bob.command("call.unhold", o -> o.put("callId", callId));
            bob.nextEvent("call.hold_changed");

            try (RawClient again = RawClient.connect(server.port())) {
                JsonNode ok = resume(again, alice, 1);
                assertThat(ok.path("type").asText()).isEqualTo("ok");
                assertThat(ok.path("session").asText()).isEqualTo(alice.session());
                assertThat(ok.path("replayed").asInt()).isEqualTo(3);
                String rotated = ok.path("resumeToken").asText();
                assertThat(rotated).isNotEqualTo(alice.resumeToken());
                JsonNode started = again.nextEvent("call.started");
                assertThat(started.path("seq").asLong()).isEqualTo(2);
                JsonNode held = again.nextEvent("call.hold_changed");
                assertThat(held.path("seq").asLong()).isEqualTo(3);
                assertThat(held.path("held").asBoolean()).isTrue();
                JsonNode unheld = again.nextEvent("call.hold_changed");
                assertThat(unheld.path("seq").asLong()).isEqualTo(4);
                assertThat(unheld.path("held").asBoolean()).isFalse();
                assertThat(bob.nextEvent("call.participant_resumed").path("user").asText()).isEqualTo("r-alice");
                // New events continue the numbering.
                bob.command("call.hangup", o -> o.put("callId", callId));
                assertThat(again.nextEvent("call.ended").path("seq").asLong()).isEqualTo(5);

                // Once the client has used the resumed connection, the old token is spent: a stolen
                // old token cannot take the session.
                again.command("ping", o -> { });
                try (RawClient thief = RawClient.connect(server.port())) {
                    JsonNode refused = resume(thief, alice, 5);
                    assertThat(refused.path("code").asText()).isEqualTo("resume_failed");
                    assertThat(refused.path("reason").asText()).isEqualTo("invalid");
                    assertThat(thief.isClosed()).isFalse();
                }
            }
        }
    }

    @Test
    void whenTheResumeReplyIsLostTheClientCanResumeAgainWithTheTokenItHas() {
        Signed alice = signIn("l-alice");
        alice.client().drop();
        try (RawClient first = RawClient.connect(server.port())) {
            JsonNode ok = resume(first, alice, 0);
            assertThat(ok.path("type").asText()).isEqualTo("ok");
            // The socket dies before the client could read the new token.
            first.drop();
        }
        try (RawClient second = RawClient.connect(server.port())) {
            JsonNode again = resume(second, alice, 0);
            assertThat(again.path("type").asText()).as("%s", again).isEqualTo("ok");
            second.command("ping", o -> { });
            try (RawClient third = RawClient.connect(server.port())) {
                assertThat(resume(third, alice, 0).path("reason").asText()).isEqualTo("invalid");
            }
        }
    }

    @Test
    void acknowledgedEventsAreNotReplayed() {
        Signed alice = signIn("k-alice");
        try (RawClient bob = RawClient.signedIn(server, "k-bob", "d")) {
            bob.command("call.invite", o -> {
                o.putArray("to").add("k-alice");
                o.put("media", "audio");
            });
            alice.client().nextEvent("call.incoming");
            alice.client().sendText("{\"type\":\"ack\",\"seq\":1}");
            alice.client().command("ping", o -> { });
            alice.client().drop();
            try (RawClient again = RawClient.connect(server.port())) {
                JsonNode ok = resume(again, alice, 1);
                assertThat(ok.path("replayed").asInt()).isZero();
            }
        }
    }

    @Test
    void aCommandResentAfterResumeIsAnsweredWithItsOriginalReply() {
        Signed alice = signIn("x-alice");
        try (RawClient bob = RawClient.signedIn(server, "x-bob", "d")) {
            String frame = "{\"type\":\"call.invite\",\"id\":\"inv-1\",\"to\":[\"x-bob\"],\"media\":\"audio\"}";
            alice.client().sendText(frame);
            JsonNode original = alice.client().replyTo("inv-1");
            alice.client().drop();
            try (RawClient again = RawClient.connect(server.port())) {
                resume(again, alice, 0);
                again.sendText(frame);
                assertThat(again.replyTo("inv-1")).isEqualTo(original);
            }
            assertThat(bob.nextEvent("call.incoming").path("callId").asText())
                    .isEqualTo(original.path("callId").asText());
            assertThat(bob.poll(300)).as("a second invite").isNull();
        }
    }

    @Test
    void aResumeAfterTheWindowIsExpiredAndTheCallEndedWithConnectionLost() {
        Signed alice = signIn("e-alice");
        try (RawClient bob = RawClient.signedIn(server, "e-bob", "d")) {
            String callId = bob.command("call.invite", o -> {
                o.putArray("to").add("e-alice");
                o.put("media", "audio");
            }).path("callId").asText();
            alice.client().nextEvent("call.incoming");
            alice.client().command("call.accept", o -> o.put("callId", callId));
            bob.nextEvent("call.ringing");
            bob.nextEvent("call.accepted");
            bob.nextEvent("call.started");
            alice.client().drop();
            bob.nextEvent("call.participant_reconnecting");
            JsonNode ended = Awaitility.await().atMost(Duration.ofMillis(WINDOW_MS * 4))
                    .until(() -> bob.poll(100), f -> f != null);
            assertThat(ended.path("type").asText()).isEqualTo("call.ended");
            assertThat(ended.path("reason").asText()).isEqualTo("connection_lost");
            assertThat(ended.path("by").asText()).isEqualTo("e-alice");
            try (RawClient late = RawClient.connect(server.port())) {
                JsonNode refused = resume(late, alice, 2);
                assertThat(refused.path("code").asText()).isEqualTo("resume_failed");
                assertThat(refused.path("reason").asText()).isEqualTo("expired");
            }
        }
    }

    @Test
    void aRingingInviteToASessionThatNeverCameBackIsDeclinedOffline() {
        Signed alice = signIn("o-alice");
        try (RawClient bob = RawClient.signedIn(server, "o-bob", "d")) {
            alice.client().drop();
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> server.sessions().presence("o-alice") == dev.dialtone.core.Presence.DETACHED);
            String callId = bob.command("call.invite", o -> {
                o.putArray("to").add("o-alice");
                o.put("media", "audio");
            }).path("callId").asText();
            // Detached: the invite waits in alice's buffer, so no ringing yet.
            JsonNode declined = Awaitility.await().atMost(Duration.ofMillis(WINDOW_MS * 4))
                    .until(() -> bob.poll(100), f -> f != null);
            assertThat(declined.path("type").asText()).isEqualTo("call.declined");
            assertThat(declined.path("callId").asText()).isEqualTo(callId);
            assertThat(declined.path("reason").asText()).isEqualTo("offline");
            assertThat(bob.nextEvent("call.ended").path("reason").asText()).isEqualTo("offline");
        }
    }

    @Test
    void unknownSessionsAndWrongTokensAreTold() {
        try (RawClient client = RawClient.connect(server.port())) {
            JsonNode unknown = client.command("resume", o -> o.put("session", "s-nope").put("resumeToken", "x")
                    .put("lastSeq", 0));
            assertThat(unknown.path("reason").asText()).isEqualTo("unknown");
            Signed alice = signIn("u-alice");
            JsonNode wrong = client.command("resume", o -> o.put("session", alice.session())
                    .put("resumeToken", "forged").put("lastSeq", 0));
            assertThat(wrong.path("code").asText()).isEqualTo("resume_failed");
            assertThat(wrong.path("reason").asText()).isEqualTo("invalid");
            // A failed resume leaves the connection open for a fresh auth.
            JsonNode auth = client.command("auth", o -> o.put("token",
                    server.tokens().sign("u-carol", Duration.ofMinutes(1))));
            assertThat(auth.path("type").asText()).isEqualTo("ok");
            alice.client().close();
        }
    }
}
