package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.RoomLeaveReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoomEventRendererTest {
    private final RoomEventRenderer rooms = new RoomEventRenderer(Style.PLAIN);

    /** A room as the SDK would hand it out. */
    private record FakeRoom(String name, String handle, List<RoomParticipant> participants) implements Room {
        @Override
        public boolean isJoined() {
            return true;
        }

        @Override
        public CompletableFuture<Void> leave() {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final RoomParticipant BOB = new RoomParticipant("bob", "h-bob1", true);
    private static final RoomParticipant CAROL = new RoomParticipant("carol", "h-carol1", false);
    private static final Room EMPTY = new FakeRoom("standup", "h-me1", List.of());
    private static final Room BUSY = new FakeRoom("standup", "h-me1", List.of(BOB, CAROL));

    @Test
    void othersComingAndGoing() {
        assertThat(rooms.participantJoined(BUSY, BOB)).isEqualTo("bob joined room standup");
        assertThat(rooms.participantLeft(BUSY, BOB, RoomLeaveReason.LEFT)).isEqualTo("bob left room standup");
        assertThat(rooms.participantLeft(BUSY, BOB, RoomLeaveReason.CONNECTION_LOST))
                .isEqualTo("bob left room standup (connection lost)");
        assertThat(rooms.participantLeft(BUSY, BOB, RoomLeaveReason.FORCED)).isEqualTo("bob left room standup (removed)");
        assertThat(rooms.participantReconnecting(BUSY, BOB)).isEqualTo("bob is reconnecting… (standup)");
        assertThat(rooms.participantResumed(BUSY, BOB)).isEqualTo("bob is back (standup)");
        assertThat(rooms.participantRejoined(BUSY, new RoomParticipant("bob", "h-bob2", true), "h-bob1"))
                .isEqualTo("bob is back in room standup (handle h-bob1 is now h-bob2)");
    }

    @Test
    void thisClientJoiningLeavingAndResuming() {
        assertThat(rooms.joined(EMPTY))
                .isEqualTo("you joined room standup as h-me1 — nobody else is here yet (`room leave` to go)");
        assertThat(rooms.joined(BUSY)).startsWith("you joined room standup as h-me1 — with bob and carol");
        assertThat(rooms.left(BUSY)).isEqualTo("you left room standup");
        assertThat(rooms.resumed(BUSY, "h-me2", "h-me1"))
                .isEqualTo("back in room standup (your handle changed from h-me1 to h-me2)");
        assertThat(rooms.resumeFailed(BUSY, DialtoneException.rejected("room.join", ErrorCode.FULL, "full", null, null)))
                .isEqualTo("could not get back into room standup: the room is full [full]");
        assertThat(rooms.resumeFailed(BUSY, DialtoneException.timeout("room.join", Duration.ofSeconds(60))))
                .isEqualTo("could not get back into room standup: gave up after trying for too long");
        assertThat(rooms.resumeFailed(BUSY,
                DialtoneException.rejected("room.join", ErrorCode.FORBIDDEN, "no", null, null)))
                .endsWith("your token does not allow this room [forbidden]");
    }

    @Test
    void listAndPrompt() {
        assertThat(rooms.list(List.of())).isEqualTo("you are not in any room — type `room join NAME` to join one");
        assertThat(rooms.list(List.of(BUSY))).isEqualTo("""
                1 room:
                  standup  you as h-me1
                    bob  h-bob1
                    carol  h-carol1  reconnecting""");
        assertThat(rooms.list(List.of(EMPTY, new FakeRoom("retro", "h-x", List.of()))))
                .startsWith("2 rooms:").contains("standup  you as h-me1, nobody else");
        assertThat(rooms.promptNote(List.of())).isNull();
        assertThat(rooms.promptNote(List.of("standup"))).isEqualTo("in room standup");
        assertThat(rooms.whichRoom(List.of(EMPTY, new FakeRoom("retro", "h-x", List.of()))))
                .isEqualTo("which room? you are in standup and retro — e.g. `room leave standup`");
    }
}
