package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Conferences frame by frame: join, leave, capacity, access, reconnecting and rejoin. */
class RoomWireTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().roomCapacity(3).resumeWindowMs(1_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode join(RawClient client, String room) {
        return client.command("room.join", o -> o.put("room", room).putObject("payload").put("name", "x"));
    }

    @Test
    void participantsJoinLeaveAndSeeEachOther() {
        try (RawClient alice = RawClient.signedIn(server, "ra-alice", "d");
             RawClient bob = RawClient.signedIn(server, "ra-bob", "d")) {
            JsonNode first = join(alice, "standup");
            assertThat(first.path("handle").asText()).startsWith("h-");
            assertThat(first.path("participants")).isEmpty();
            JsonNode second = join(bob, "standup");
            assertThat(second.path("participants").get(0).path("user").asText()).isEqualTo("ra-alice");
            JsonNode joined = alice.nextEvent("room.participant_joined");
            assertThat(joined.path("handle").asText()).isEqualTo(second.path("handle").asText());
            assertThat(joined.path("payload").path("name").asText()).isEqualTo("x");
            assertThat(bob.command("room.leave", o -> o.put("room", "standup")).path("type").asText()).isEqualTo("ok");
            JsonNode left = alice.nextEvent("room.participant_left");
            assertThat(left.path("reason").asText()).isEqualTo("left");
            assertThat(bob.command("room.leave", o -> o.put("room", "standup")).path("code").asText())
                    .isEqualTo("not_found");
        }
    }

    @Test
    void aFullRoomRefusesTheNextParticipant() {
        try (RawClient a = RawClient.signedIn(server, "rf-a", "d");
             RawClient b = RawClient.signedIn(server, "rf-b", "d");
             RawClient c = RawClient.signedIn(server, "rf-c", "d");
             RawClient d = RawClient.signedIn(server, "rf-d", "d")) {
            join(a, "full-room");
            join(b, "full-room");
            join(c, "full-room");
            assertThat(join(d, "full-room").path("code").asText()).isEqualTo("full");
        }
    }

    @Test
    void aTokensRoomsClaimLimitsWhichRoomsItsUserMayJoin() {
        RawClient client = RawClient.connect(server.port());
        try (client) {
            String token = server.tokens().sign("rc-user", Duration.ofMinutes(1), List.of("team-*", "lobby"));
            assertThat(client.command("auth", o -> o.put("token", token)).path("type").asText()).isEqualTo("ok");
            assertThat(join(client, "team-42").path("type").asText()).isEqualTo("ok");
            assertThat(join(client, "lobby").path("type").asText()).isEqualTo("ok");
            assertThat(join(client, "board").path("code").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    void aDroppedParticipantIsReconnectingThenLostAndCanRejoinWithItsOriginalHandle() {
        try (RawClient alice = RawClient.signedIn(server, "rr-alice", "d")) {
            RawClient bob = RawClient.signedIn(server, "rr-bob", "d");
            join(alice, "rejoin");
            String original = join(bob, "rejoin").path("handle").asText();
            alice.nextEvent("room.participant_joined");
            bob.drop();
            assertThat(alice.nextEvent("room.participant_reconnecting").path("handle").asText()).isEqualTo(original);
            JsonNode lost = alice.nextEvent("room.participant_left");
            assertThat(lost.path("reason").asText()).isEqualTo("connection_lost");
            try (RawClient bobAgain = RawClient.signedIn(server, "rr-bob", "d2")) {
                JsonNode again = bobAgain.command("room.join", o -> o.put("room", "rejoin")
                        .put("originalHandle", original));
                JsonNode rejoined = alice.nextEvent("room.participant_rejoined");
                assertThat(rejoined.path("originalHandle").asText()).isEqualTo(original);
                assertThat(rejoined.path("handle").asText()).isEqualTo(again.path("handle").asText())
                        .isNotEqualTo(original);
            }
        }
    }
}
