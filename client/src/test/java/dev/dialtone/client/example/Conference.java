package dev.dialtone.client.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.RoomLeaveReason;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A conference: join a room, keep one tile per participant (by handle), and follow the conference
 * resume after a session was lost for good (shown in docs/sdk-java.md).
 */
public final class Conference {
    /** The tiles on screen, by participant handle. */
    static final Map<String, String> tiles = new ConcurrentHashMap<>();

    public static DialtoneClient build(URI server, Supplier<String> tokens) {
        DialtoneListener listener = new DialtoneListener() {
            @Override
            public void onRoomParticipantJoined(Room room, RoomParticipant participant, JsonNode payload) {
                tiles.put(participant.handle(), payload == null ? participant.user()
                        : payload.path("displayName").asText(participant.user()));
            }

            @Override
            public void onRoomParticipantLeft(Room room, RoomParticipant participant, RoomLeaveReason reason) {
                tiles.remove(participant.handle());
            }

            @Override
            public void onRoomParticipantReconnecting(Room room, RoomParticipant participant) {
                System.out.println(participant.user() + " is reconnecting…");   // grey the tile out
            }

            @Override
            public void onRoomParticipantResumed(Room room, RoomParticipant participant) {
                System.out.println(participant.user() + " is back");
            }

            @Override
            public void onRoomParticipantRejoined(Room room, RoomParticipant participant, String originalHandle) {
                // Same person, new handle: move the tile instead of adding one.
                String tile = tiles.remove(originalHandle);
                tiles.put(participant.handle(), tile != null ? tile : participant.user());
            }

            @Override
            public void onResumeFailed(ResumeFailure reason) {
                // The session is gone (server restarted, or away too long). The client is in rooms,
                // so it signs in again by itself and re-joins them: show "rejoining…".
                System.out.println("connection lost (" + reason.wire() + "); rejoining the conference…");
            }

            @Override
            public void onRoomResumed(Room room, String handle, String originalHandle) {
                // Same Room object, new handle; the others saw us rejoin with both handles.
                System.out.println("back in " + room.name() + " as " + handle + " (was " + originalHandle + ")");
                tiles.clear();
                for (RoomParticipant participant : room.participants()) {
                    tiles.put(participant.handle(), participant.user());
                }
            }

            @Override
            public void onRoomResumeFailed(Room room, DialtoneException reason) {
                System.out.println("could not get back into " + room.name() + ": " + reason.getMessage());
            }

            @Override
            public void onRoomLeft(Room room) {
                // The final callback for the room: close the conference screen.
                tiles.clear();
                System.out.println("left " + room.name());
            }
        };
        return DialtoneClient.builder()
                .uri(server)
                .tokenSupplier(tokens)                        // also used by the automatic new sign-in
                .listener(listener)
                .roomResumeGiveUp(Duration.ofSeconds(60))     // the default
                .build();
    }

    /** Joins the team's stand-up with a display name the others see. */
    public static void joinStandup(DialtoneClient client) {
        ObjectNode payload = WireCodec.get().mapper().createObjectNode().put("displayName", "Alice");
        client.joinRoom("team-standup", payload)
                .thenAccept(room -> {
                    System.out.println("joined " + room.name() + " as " + room.handle());
                    for (RoomParticipant participant : room.participants()) {
                        tiles.put(participant.handle(), participant.user());
                    }
                })
                .exceptionally(error -> {
                    DialtoneException e = DialtoneException.of(error);
                    if (e == null || e.code() == null) {
                        System.out.println("could not join: " + error);
                        return null;
                    }
                    switch (e.code()) {
                        case FORBIDDEN -> System.out.println("your token does not allow this room");
                        case FULL -> System.out.println("the room is full");
                        case DENIED -> System.out.println("not allowed: " + e.hookCode());
                        default -> System.out.println("could not join: " + e.getMessage());
                    }
                    return null;
                });
    }

    /** Leaves the room; {@code onRoomLeft} follows. */
    public static void leave(Room room) {
        room.leave();
    }

    private Conference() {
    }
}
