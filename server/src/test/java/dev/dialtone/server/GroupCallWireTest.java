package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Group calls frame by frame: later joins, invite_more, join after declining, leaving, the last two. */
class GroupCallWireTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().maxInvitees(3).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String invite(RawClient from, String... to) {
        JsonNode ok = from.command("call.invite", o -> {
            var list = o.putArray("to");
            for (String user : to) {
                list.add(user);
            }
            o.put("media", "audio");
        });
        assertThat(ok.path("type").asText()).as("%s", ok).isEqualTo("ok");
        return ok.path("callId").asText();
    }

    @Test
    void aGroupCallGrowsShrinksAndEndsWhenTheLastTwoPart() {
        try (RawClient alice = RawClient.signedIn(server, "g-alice", "d");
             RawClient bob = RawClient.signedIn(server, "g-bob", "d");
             RawClient carol = RawClient.signedIn(server, "g-carol", "d");
             RawClient dave = RawClient.signedIn(server, "g-dave", "d")) {
            String callId = invite(alice, "g-bob", "g-carol");
            assertThat(bob.nextEvent("call.incoming").path("invitees")).hasSize(2);
            carol.nextEvent("call.incoming");
            alice.nextEvent("call.ringing");
            alice.nextEvent("call.ringing");

            bob.command("call.accept", o -> o.put("callId", callId));
            alice.nextEvent("call.accepted");
            alice.nextEvent("call.started");
            bob.nextEvent("call.started");

            // Carol, still ringing, accepts later and joins the active call.
            JsonNode joined = carol.command("call.accept", o -> o.put("callId", callId));
            assertThat(joined.path("roomId").asText()).startsWith("r-");
            assertThat(carol.nextEvent("call.started").path("participants")).hasSize(3);
            assertThat(alice.nextEvent("call.accepted").path("user").asText()).isEqualTo("g-carol");
            assertThat(alice.nextEvent("call.participant_joined").path("user").asText()).isEqualTo("g-carol");
            bob.nextEvent("call.accepted");
            bob.nextEvent("call.participant_joined");

            // Any participant invites more.
            assertThat(bob.command("call.invite_more", o -> o.put("callId", callId).putArray("to").add("g-dave"))
                    .path("type").asText()).isEqualTo("ok");
            dave.nextEvent("call.incoming");
            assertThat(alice.nextEvent("call.ringing").path("user").asText()).isEqualTo("g-dave");
            assertThat(bob.nextEvent("call.ringing").path("user").asText()).isEqualTo("g-dave");
            dave.command("call.decline", o -> o.put("callId", callId));
            alice.nextEvent("call.declined");
            // …and having declined, joins after all.
            dave.command("call.join", o -> o.put("callId", callId));
            dave.nextEvent("call.started");
            alice.nextEvent("call.participant_joined");
            assertThat(bob.nextEvent("call.declined").path("user").asText()).isEqualTo("g-dave");
            bob.nextEvent("call.participant_joined");

            // Hanging up in a group means leaving; the call goes on.
            alice.command("call.hangup", o -> o.put("callId", callId));
            JsonNode ownEnd = alice.nextEvent("call.ended");
            assertThat(ownEnd.path("by").asText()).isEqualTo("g-alice");
            JsonNode left = bob.nextEvent("call.participant_left");
            assertThat(left.path("user").asText()).isEqualTo("g-alice");
            assertThat(left.path("reason").asText()).isEqualTo("hangup");

            carol.command("call.hangup", o -> o.put("callId", callId));
            assertThat(carol.skipTo("call.ended").path("by").asText()).isEqualTo("g-carol");
            assertThat(bob.nextEvent("call.participant_left").path("user").asText()).isEqualTo("g-carol");
            // Bob and dave are the last two: when one leaves, the call ends for the other too.
            dave.command("call.hangup", o -> o.put("callId", callId));
            JsonNode ended = bob.nextEvent("call.ended");
            assertThat(ended.path("reason").asText()).isEqualTo("hangup");
            assertThat(ended.path("by").asText()).isEqualTo("g-dave");
            assertThat(dave.skipTo("call.ended").path("by").asText()).isEqualTo("g-dave");
        }
    }

    @Test
    void theInviteeLimitIsEnforcedForInvitesAndInviteMore() {
        try (RawClient alice = RawClient.signedIn(server, "l-alice", "d")) {
            JsonNode tooMany = alice.command("call.invite", o -> {
                o.putArray("to").add("l-1").add("l-2").add("l-3").add("l-4");
                o.put("media", "audio");
            });
            assertThat(tooMany.path("code").asText()).isEqualTo("bad_request");
            assertThat(tooMany.path("message").asText()).contains("3");
        }
    }

    @Test
    void onlyJoinedParticipantsOfAnActiveCallInviteMore() {
        try (RawClient alice = RawClient.signedIn(server, "m-alice", "d");
             RawClient bob = RawClient.signedIn(server, "m-bob", "d");
             RawClient eve = RawClient.signedIn(server, "m-eve", "d")) {
            String callId = invite(alice, "m-bob");
            assertThat(alice.command("call.invite_more", o -> o.put("callId", callId).putArray("to").add("m-eve"))
                    .path("code").asText()).isEqualTo("invalid_state");
            assertThat(eve.command("call.invite_more", o -> o.put("callId", callId).putArray("to").add("m-zed"))
                    .path("code").asText()).isEqualTo("not_found");
            assertThat(eve.poll(200)).isNull();
            bob.nextEvent("call.incoming");
        }
    }
}
