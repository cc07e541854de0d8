package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Call flows at the level of frames: exact event order, seq numbering, and the de-duplication of
 * re-sent command ids. (The SDK-level end-to-end tests cover the scenarios; these pin the wire.)
 */
class CallFlowWireTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode invite(RawClient from, String to) {
        return from.command("call.invite", o -> {
            o.putArray("to").add(to);
            o.put("media", "audio").putObject("payload").put("topic", "wire");
        });
    }

    @Test
    void anAnsweredCallProducesTheContractsEventsWithConsecutiveSeqNumbers() {
        try (RawClient alice = RawClient.signedIn(server, "w-alice", "d");
             RawClient bob = RawClient.signedIn(server, "w-bob", "d")) {
            JsonNode invited = invite(alice, "w-bob");
            String callId = invited.path("callId").asText();
            assertThat(callId).startsWith("c-");

            JsonNode incoming = bob.nextEvent("call.incoming");
            assertThat(incoming.path("seq").asLong()).isEqualTo(1);
            assertThat(incoming.path("from").asText()).isEqualTo("w-alice");
            assertThat(incoming.path("payload").path("topic").asText()).isEqualTo("wire");
            assertThat(incoming.path("invitees").get(0).asText()).isEqualTo("w-bob");
            assertThat(incoming.path("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
            assertThat(incoming.has("waiting")).isFalse();

            JsonNode ringing = alice.nextEvent("call.ringing");
            assertThat(ringing.path("seq").asLong()).isEqualTo(1);
            assertThat(ringing.path("user").asText()).isEqualTo("w-bob");

            JsonNode accepted = bob.command("call.accept", o -> o.put("callId", callId));
            String roomId = accepted.path("roomId").asText();
            assertThat(roomId).startsWith("r-");

            assertThat(alice.nextEvent("call.accepted").path("seq").asLong()).isEqualTo(2);
            JsonNode startedForAlice = alice.nextEvent("call.started");
            assertThat(startedForAlice.path("seq").asLong()).isEqualTo(3);
            assertThat(startedForAlice.path("roomId").asText()).isEqualTo(roomId);
            JsonNode startedForBob = bob.nextEvent("call.started");
            assertThat(startedForBob.path("seq").asLong()).isEqualTo(2);

            assertThat(alice.command("call.hold", o -> o.put("callId", callId)).path("type").asText())
                    .isEqualTo("ok");
            assertThat(alice.nextEvent("call.hold_changed").path("held").asBoolean()).isTrue();
            assertThat(bob.nextEvent("call.hold_changed").path("seq").asLong()).isEqualTo(3);

            JsonNode list = bob.command("calls.list", o -> { });
            JsonNode snapshot = list.path("calls").get(0);
            assertThat(snapshot.path("state").asText()).isEqualTo("active");
            assertThat(snapshot.path("participants").get(0).path("held").asBoolean()).isTrue();

            bob.command("call.hangup", o -> o.put("callId", callId));
            JsonNode ended = alice.nextEvent("call.ended");
            assertThat(ended.path("reason").asText()).isEqualTo("hangup");
            assertThat(ended.path("by").asText()).isEqualTo("w-bob");
            assertThat(ended.path("seq").asLong()).isEqualTo(5);
            assertThat(bob.nextEvent("call.ended").path("seq").asLong()).isEqualTo(4);

            JsonNode late = alice.command("call.hangup", o -> o.put("callId", callId));
            assertThat(late.path("code").asText()).isEqualTo("invalid_state");
            assertThat(late.path("message").asText()).contains("hangup").contains("w-bob");
        }
    }

    @Test
    void aCommandResentWithTheSameIdIsExecutedOnceAndAnsweredWithTheOriginalReply() {
        try (RawClient alice = RawClient.signedIn(server, "d-alice", "d");
             RawClient bob = RawClient.signedIn(server, "d-bob", "d")) {
            String frame = "{\"type\":\"call.invite\",\"id\":\"same\",\"to\":[\"d-bob\"],\"media\":\"video\"}";
            alice.sendText(frame);
            JsonNode first = alice.replyTo("same");
            alice.sendText(frame);
            JsonNode second = alice.replyTo("same");
            assertThat(second).isEqualTo(first);
            assertThat(bob.nextEvent("call.incoming").path("callId").asText()).isEqualTo(first.path("callId").asText());
            assertThat(bob.poll(300)).as("a second incoming call").isNull();
        }
    }

    @Test
    void aPlainOkResentWithTheSameIdIsAnsweredWithTheSameFrameAndNotExecutedAgain() {
        try (RawClient alice = RawClient.signedIn(server, "h-alice", "d");
             RawClient bob = RawClient.signedIn(server, "h-bob", "d")) {
            String callId = invite(alice, "h-bob").path("callId").asText();
            bob.nextEvent("call.incoming");
            bob.command("call.accept", o -> o.put("callId", callId));
            alice.skipTo("call.started");
            bob.skipTo("call.started");

            String hold = "{\"type\":\"call.hold\",\"id\":\"hold-1\",\"callId\":\"" + callId + "\"}";
            alice.sendText(hold);
            JsonNode first = alice.replyTo("hold-1");
            assertThat(first.toString()).isEqualTo("{\"type\":\"ok\",\"re\":\"hold-1\"}");
            assertThat(bob.nextEvent("call.hold_changed").path("held").asBoolean()).isTrue();

            // Executed again, a second hold by the same user would answer invalid_state.
            alice.sendText(hold);
            assertThat(alice.replyTo("hold-1")).isEqualTo(first);
            assertThat(bob.poll(300)).as("a second hold_changed").isNull();
        }
    }

    @Test
    void someoneElsesCallIsNotFound() {
        try (RawClient alice = RawClient.signedIn(server, "p-alice", "d");
             RawClient bob = RawClient.signedIn(server, "p-bob", "d");
             RawClient eve = RawClient.signedIn(server, "p-eve", "d")) {
            String callId = invite(alice, "p-bob").path("callId").asText();
            for (String type : new String[] {"call.accept", "call.decline", "call.cancel", "call.hangup", "call.hold",
                    "call.unhold"}) {
                JsonNode reply = eve.command(type, o -> o.put("callId", callId));
                assertThat(reply.path("code").asText()).as(type).isEqualTo("not_found");
            }
            JsonNode signal = eve.command("call.signal", o -> o.put("callId", callId).put("to", "p-bob")
                    .putObject("data").put("sdp", "x"));
            assertThat(signal.path("code").asText()).isEqualTo("not_found");
            assertThat(eve.command("calls.list", o -> { }).path("calls").size()).isZero();
            assertThat(eve.command("call.accept", o -> o.put("callId", "c-nonexistent")).path("code").asText())
                    .isEqualTo("not_found");
        }
    }
}
