package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.RoomLeaveReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Conference rooms: join, the others coming and going, leave. The test plays the server. */
class RoomTest {

    private static ObjectNode json(String field, String value) {
        return Harness.CODEC.mapper().createObjectNode().put(field, value);
    }

    /** Joins {@code room}; the server answers with {@code handle} and {@code others}. */
    static Room joined(Harness h, String room, String handle, Result.RoomParticipant... others) {
        CompletableFuture<Room> join = h.core.joinRoom(room, null);
        h.ok(h.link().last(Command.RoomJoin.class).id(), new Result.RoomJoin(room, handle, List.of(others)));
        assertThat(join).isCompleted();
        return join.join();
    }

    private static DialtoneException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            return DialtoneException.of(e);
        }
        throw new AssertionError("not failed");
    }

    @Test
    void joiningARoomGivesItsHandleAndTheOthers() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Room> join = h.core.joinRoom("standup", json("role", "host"));
        Command.RoomJoin sent = h.link().last(Command.RoomJoin.class);
        assertThat(sent.room()).isEqualTo("standup");
        assertThat(sent.payload()).isEqualTo(json("role", "host"));
        assertThat(sent.originalHandle()).isNull();
        assertThat(join).isNotDone();
        assertThat(h.core.rooms()).isEmpty();

        h.ok(sent.id(), new Result.RoomJoin("standup", "h-1", List.of(new Result.RoomParticipant("bob", "h-b", true),
                new Result.RoomParticipant("carol", "h-c", false))));
        Room room = join.join();
        assertThat(room.name()).isEqualTo("standup");
        assertThat(room.handle()).isEqualTo("h-1");
        assertThat(room.isJoined()).isTrue();
        assertThat(room.participants()).containsExactly(new RoomParticipant("bob", "h-b", true),
                new RoomParticipant("carol", "h-c", false));
        assertThat(h.core.rooms()).containsExactly(room);
        assertThat(room.toString()).contains("standup", "h-1");
    }

    @Test
    void theOthersComeAndGoAndTheParticipantsFollow() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1", new Result.RoomParticipant("bob", "h-b", true));

        h.event(new Event.RoomParticipantJoined("standup", "carol", "h-c", json("role", "guest")));
        h.event(new Event.RoomParticipantReconnecting("standup", "bob", "h-b"));
        assertThat(room.participants()).containsExactly(new RoomParticipant("bob", "h-b", false),
                new RoomParticipant("carol", "h-c", true));
        h.event(new Event.RoomParticipantResumed("standup", "bob", "h-b"));
        h.event(new Event.RoomParticipantReconnecting("standup", "carol", "h-c"));
        // carol's session could not be resumed: she comes back under a new handle, in her place.
        h.event(new Event.RoomParticipantRejoined("standup", "carol", "h-c2", "h-c"));
        h.event(new Event.RoomParticipantJoined("standup", "bob", "h-b2", null));   // bob's second device
        h.event(new Event.RoomParticipantLeft("standup", "bob", "h-b", RoomLeaveReason.LEFT));
        h.event(new Event.RoomParticipantLeft("standup", "bob", "h-b2", RoomLeaveReason.CONNECTION_LOST));

        assertThat(h.recorder.callLines()).containsExactly(
                "room joined standup [h-1] {bob/h-b, carol/h-c} carol/h-c {\"role\":\"guest\"}",
                "room reconnecting standup [h-1] {bob/h-b~, carol/h-c} bob/h-b~",
                "room resumed standup [h-1] {bob/h-b, carol/h-c} bob/h-b",
                "room reconnecting standup [h-1] {bob/h-b, carol/h-c~} carol/h-c~",
                "room rejoined standup [h-1] {bob/h-b, carol/h-c2} carol/h-c2 was h-c",
                "room joined standup [h-1] {bob/h-b, carol/h-c2, bob/h-b2} bob/h-b2",
                "room left standup [h-1] {carol/h-c2, bob/h-b2} bob/h-b left",
                "room left standup [h-1] {carol/h-c2} bob/h-b2 connection_lost");
        assertThat(room.participants()).containsExactly(new RoomParticipant("carol", "h-c2", true));
    }

    @Test
    void eventsForOtherRoomsAreIgnored() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1");
        h.event(new Event.RoomParticipantJoined("retro", "bob", "h-b", null));
        assertThat(h.recorder.callLines()).isEmpty();
        assertThat(room.participants()).isEmpty();
    }

    @Test
    void leavingCompletesThenReportsTheRoomLeft() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1", new Result.RoomParticipant("bob", "h-b", true));
        CompletableFuture<Void> leave = room.leave();
        leave.thenRun(() -> h.recorder.record("leave done"));
        Command.RoomLeave sent = h.link().last(Command.RoomLeave.class);
        assertThat(sent.room()).isEqualTo("standup");
        assertThat(room.isJoined()).isTrue();
        h.ok(sent.id());
        assertThat(h.recorder.callLines()).containsExactly("leave done", "room gone standup [h-1 left] {bob/h-b}");
        assertThat(room.isJoined()).isFalse();
        assertThat(h.core.rooms()).isEmpty();

        // Nothing about the room after it was left.
        h.event(new Event.RoomParticipantLeft("standup", "bob", "h-b", RoomLeaveReason.LEFT));
        assertThat(h.recorder.callLines()).hasSize(2);
        // Leaving again sends nothing and fails.
        int sentFrames = h.link().sent.size();
        assertThat(failure(room.leave()).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(h.link().sent).hasSize(sentFrames);

        // Joining again gives a new Room object.
        Room again = joined(h, "standup", "h-2");
        assertThat(again).isNotSameAs(room);
        assertThat(h.core.rooms()).containsExactly(again);
    }

    @Test
    void aLeaveTheServerSaysIsNotNeededStillLeavesHere() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1");
        CompletableFuture<Void> leave = room.leave();
        h.error(h.idOf(Command.RoomLeave.class), ErrorCode.NOT_FOUND, "you are not in room standup");
        assertThat(failure(leave).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(room.isJoined()).isFalse();
        assertThat(h.recorder.callLines()).containsExactly("room gone standup [h-1 left] {}");
    }

    @Test
    void aRefusedJoinFailsWithTheServersCode() {
        for (ErrorCode code : new ErrorCode[] {ErrorCode.FORBIDDEN, ErrorCode.FULL, ErrorCode.DENIED}) {
            Harness h = new Harness();
            h.connected();
            CompletableFuture<Room> join = h.core.joinRoom("standup", null);
            h.error(h.idOf(Command.RoomJoin.class), code, "no");
            DialtoneException e = failure(join);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.command()).isEqualTo("room.join");
            assertThat(h.core.rooms()).isEmpty();
        }
    }

    @Test
    void invalidNamesAndPayloadsAreRefusedBeforeSending() {
        Harness h = new Harness();
        h.connected();
        assertThatThrownBy(() -> h.core.joinRoom("no spaces", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.core.joinRoom("", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.core.joinRoom("x".repeat(129), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.core.joinRoom("standup", Harness.CODEC.mapper().createArrayNode()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(h.link().commands(Command.RoomJoin.class)).isEmpty();
    }

    @Test
    void joiningARoomTwiceGivesTheSameRoom() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1", new Result.RoomParticipant("bob", "h-b", true));
        Room again = joined(h, "standup", "h-1", new Result.RoomParticipant("bob", "h-b", true));
        assertThat(again).isSameAs(room);
        assertThat(h.core.rooms()).containsExactly(room);
    }

    @Test
    void eventsReplayedBeforeTheJoinReplyWaitForIt() {
        Harness h = new Harness();
        h.connected();
        CompletableFuture<Room> join = h.core.joinRoom("standup", null);
        join.thenAccept(room -> h.recorder.record("join done " + Recorder.view(room)));
        String joinId = h.idOf(Command.RoomJoin.class);
        h.lose();
        h.resumed("r-2", 1);
        h.event(1, new Event.RoomParticipantJoined("standup", "carol", "h-c", null));
        h.ok(joinId, new Result.RoomJoin("standup", "h-1", List.of(new Result.RoomParticipant("bob", "h-b", true))));
        assertThat(h.recorder.callLines()).containsExactly(
                "join done standup [h-1] {bob/h-b}",
                "room joined standup [h-1] {bob/h-b, carol/h-c} carol/h-c");
    }

    @Test
    void aResumedSessionKeepsItsRoomsAndHandles() {
        Harness h = new Harness();
        h.connected();
        Room room = joined(h, "standup", "h-1", new Result.RoomParticipant("bob", "h-b", true));
        h.lose();
        assertThat(room.isJoined()).isTrue();
        h.resumed("r-2", 1);
        h.event(new Event.RoomParticipantLeft("standup", "bob", "h-b", RoomLeaveReason.LEFT));
        assertThat(h.link().commands(Command.RoomJoin.class)).isEmpty();   // nothing to join again
        assertThat(room.handle()).isEqualTo("h-1");
        assertThat(h.core.rooms()).containsExactly(room);
        assertThat(room.participants()).isEmpty();
    }

    @Test
    void loggingOutOrClosingLeavesEveryRoom() {
        Harness h = new Harness();
        h.connected();
        Room standup = joined(h, "standup", "h-1");
        Room retro = joined(h, "retro", "h-2");
        h.core.logout();
        h.ok(h.idOf(Command.Logout.class));
        assertThat(h.recorder.lines).containsExactly(
                "state CONNECTING",
                "state CONNECTED",
                "room gone standup [h-1 left] {}",
                "room gone retro [h-2 left] {}",
                "disconnected 1000 logged out",
                "state DISCONNECTED");
        assertThat(standup.isJoined()).isFalse();
        assertThat(retro.isJoined()).isFalse();
        assertThat(h.core.rooms()).isEmpty();

        Harness h2 = new Harness();
        h2.connected();
        joined(h2, "standup", "h-1");
        h2.core.close();
        assertThat(h2.recorder.lines).containsSubsequence("room gone standup [h-1 left] {}",
                "disconnected 1000 client closed");
        assertThat(h2.core.rooms()).isEmpty();
    }

    @Test
    void aSessionEndedByTheServerLeavesTheRoomsWithoutARejoin() {
        Harness h = new Harness();
        h.connected();
        joined(h, "standup", "h-1");
        h.link().listener.onClosed(dev.dialtone.protocol.CloseCodes.REPLACED, "replaced");
        assertThat(h.recorder.lines).endsWith("room gone standup [h-1 left] {}", "disconnected 4409 replaced",
                "state DISCONNECTED");
        assertThat(h.transport.links).hasSize(1);
    }
}
