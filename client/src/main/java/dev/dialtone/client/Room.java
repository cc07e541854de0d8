package dev.dialtone.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A conference room this client joined with {@link DialtoneClient#joinRoom(String)}.
 *
 * <p><b>Identity.</b> The client keeps one {@code Room} object per joined room, from the
 * completion of {@code joinRoom} until {@link DialtoneListener#onRoomLeft}: every callback about the
 * room gets the same object ({@code ==}), also across a conference resume (a new session that
 * re-joined the room, {@link DialtoneListener#onRoomResumed}). Joining the room again after it was
 * left gives a new object.
 *
 * <p><b>State.</b> Like a {@link Call}'s, the getters are a client-side view that changes only on
 * the callback executor, just before the callback that reports the change; read from other
 * threads, each getter returns a consistent snapshot.
 *
 * <p>Thread-safe. Implemented by the SDK only; applications may implement it in test doubles.
 */
public interface Room {

    /** The room's name, as passed to {@code joinRoom}. */
    String name();

    /**
     * This client's handle in the room ({@code h-…}), which the other participants know it by.
     * A new one after a conference resume ({@link DialtoneListener#onRoomResumed}).
     */
    String handle();

    /**
     * The other participants, in the order they joined: the server's list when this client joined
     * (or re-joined), kept up to date by the room's events. This client itself is not listed.
     */
    List<RoomParticipant> participants();

    /**
     * True from {@code joinRoom}'s completion until {@link DialtoneListener#onRoomLeft}, including
     * while a conference resume is under way.
     */
    boolean isJoined();

    /**
     * Leaves the room ({@code room.leave}); the others get {@code room.participant_left}
     * ({@code left}). The future completes, then {@link DialtoneListener#onRoomLeft} follows. While a
     * conference resume is under way it is stopped instead: the future completes at once, without
     * asking the server. Fails with {@link dev.dialtone.protocol.ErrorCode#NOT_FOUND} when the
     * server says this client is not in the room (the room is left here all the same), or without
     * sending anything when this {@code Room} was already left.
     */
    CompletableFuture<Void> leave();
}
