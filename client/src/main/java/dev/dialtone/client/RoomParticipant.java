package dev.dialtone.client;

/**
 * Another participant of a {@link Room}, as this client last heard of it. Immutable.
 *
 * @param user the participant's user id
 * @param handle the participant's id in the room ({@code h-…}); one user may be in a room several
 *     times (from several devices), each with its own handle. A participant whose session could not
 *     be resumed comes back under a new handle ({@link DialtoneListener#onRoomParticipantRejoined})
 * @param connected false while the participant's connection is down and the server waits for it to
 *     resume ({@link DialtoneListener#onRoomParticipantReconnecting})
 */
public record RoomParticipant(String user, String handle, boolean connected) {
}
