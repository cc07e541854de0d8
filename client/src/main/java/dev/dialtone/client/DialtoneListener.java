package dev.dialtone.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.RoomLeaveReason;
import java.util.List;

/**
 * Receives a {@link DialtoneClient}'s events. Every method has a no-op default: override what you
 * need.
 *
 * <p><b>Threading.</b> All methods are called on the client's callback executor, one at a time,
 * in the order the server sent the events ({@code seq} order), each event at most once, and in
 * order with the completion of request futures. Do not block in a callback, and never wait for a
 * Dialtone future there ({@code join()}/{@code get()} on an unfinished SDK future throws
 * {@link IllegalStateException} on the callback thread instead of deadlocking); chain with
 * {@code thenAccept} instead. An exception thrown by a callback is logged and does not stop
 * later callbacks.
 *
 * <p><b>Order for a typical one-to-one call.</b> Caller: {@code invite} completes →
 * {@link #onRinging} → {@link #onAccepted} → {@link #onStarted} → (… {@link #onHoldChanged},
 * {@link #onSignal} …) → {@link #onEnded}. Callee: {@link #onIncomingCall} → {@code accept}
 * completes → {@link #onStarted} → … → {@link #onEnded}.
 *
 * <p><b>Final callback.</b> {@link #onEnded} is called exactly once for every call this client
 * was told about, and no callback mentions the call after it.
 *
 * <p><b>Resume.</b> When the connection drops (or {@link DialtoneClient#networkChanged()} is
 * called), the client resumes the same session on a new connection:
 * {@code onConnectionStateChanged(RESUMING)} → {@link #onResuming()} → (attempts) →
 * {@code onConnectionStateChanged(CONNECTED)} → {@link #onResumed} → the events that happened
 * meanwhile, each once, in order. If the session cannot be resumed: {@link #onResumeFailed} →
 * {@link #onEnded} ({@code connection_lost}) for every call → {@link #onDisconnected} →
 * {@code onConnectionStateChanged(DISCONNECTED)}.
 *
 * <p><b>Conference resume.</b> Rooms survive a resumed session unchanged (same handles). When the
 * session cannot be resumed and this client was in rooms, the end above is followed by a new
 * session and the rooms are joined again: {@code onConnectionStateChanged(CONNECTING)} → (sign-in
 * attempts, with backoff while the server is unreachable) → {@code CONNECTED} → per room
 * {@link #onRoomResumed} (new handle, original handle); or, when the room refuses or the
 * give-up time passes, {@link #onRoomResumeFailed} → {@link #onRoomLeft}.
 */
public interface DialtoneListener {

    /** The connection state changed; see {@link ConnectionState}. */
    default void onConnectionStateChanged(ConnectionState state) {
    }

    /**
     * Another user invites this client's user ({@code call.incoming}); the call is
     * {@code RINGING}. Answer with {@link Call#accept()}, {@link Call#decline()} or let it ring.
     *
     * @param waiting true when this user is already in a call and the server rings anyway
     */
    default void onIncomingCall(Call call, boolean waiting) {
    }

    /** The invite reached at least one device of {@code user} (caller side, once per invitee). */
    default void onRinging(Call call, String user) {
    }

    /** {@code user} accepted, with their optional {@code payload}; {@link #onStarted} follows for the first one. */
    default void onAccepted(Call call, String user, JsonNode payload) {
    }

    /**
     * The call became active (caller, and the participant who accepted from this device): connect
     * the media to {@code roomId} or start the WebRTC offer/answer with {@link Call#signal}.
     */
    default void onStarted(Call call, String roomId, List<String> participants) {
    }

    /**
     * An invitee did not join (caller side): refused, busy, no answer or offline. In a one-to-one
     * call {@link #onEnded} follows.
     */
    default void onDeclined(Call call, String user, DeclineReason reason, JsonNode payload) {
    }

    /**
     * An incoming call stopped ringing on this device without it acting: the caller canceled,
     * nobody answered, or another device of this user answered or declined it. {@link #onEnded}
     * follows at once, with {@code reason} mapped: {@code canceled} and
     * {@code answered_elsewhere} → {@link EndReason#CANCELED}, {@code no_answer} →
     * {@link EndReason#NO_ANSWER}, {@code declined_elsewhere} → {@link EndReason#DECLINED};
     * {@link Call#cancelReason()} keeps the precise reason.
     */
    default void onCanceled(Call call, CancelReason reason) {
    }

    /**
     * The call is over for this client. The final callback for the call.
     *
     * <p>Usually the server's {@code call.ended} ({@code reason}, the user {@code by} whom, and the
     * active time {@code durationMs}, 0 if it never became active). The SDK also ends calls itself
     * where the server sends no {@code call.ended} to this device: after {@link #onCanceled}; after
     * this client declined (reason {@code declined} or {@code busy}, {@code by} this user); after
     * {@link DialtoneClient#logout()} ({@code hangup} by this user); and when the session is lost
     * or the client closed ({@code connection_lost}, {@code by} null, duration measured locally).
     */
    default void onEnded(Call call, EndReason reason, String by, long durationMs) {
    }

    /** {@code user} put the call on hold ({@code held} true) or took their hold off. Includes this user. */
    default void onHoldChanged(Call call, String user, boolean held) {
    }

    /** {@code user}'s connection dropped; the server keeps the call while they resume. */
    default void onParticipantReconnecting(Call call, String user) {
    }

    /** {@code user} resumed their session after {@link #onParticipantReconnecting}. */
    default void onParticipantResumed(Call call, String user) {
    }

    /** {@code from} relayed {@code data} to this user (SDP, ICE candidates…). */
    default void onSignal(Call call, String from, JsonNode data) {
    }

    /**
     * {@code user} joined a group call this device is in ({@code call.participant_joined}): an
     * invitee who accepted later (after {@link #onAccepted}), or a user who joined again with
     * {@link DialtoneClient#joinCall}. {@link Call#participants()} includes them.
     */
    default void onParticipantJoined(Call call, String user) {
    }

    /**
     * {@code user} left a group call that goes on ({@code call.participant_left}): they hung up
     * ({@link LeaveReason#HANGUP}), their session was lost for good ({@code CONNECTION_LOST}) or
     * they were removed ({@code FORCED}). The call does not end here; {@link #onEnded} follows only
     * when the server ends it for this device.
     */
    default void onParticipantLeft(Call call, String user, LeaveReason reason) {
    }

    // ---- rooms -------------------------------------------------------------------------------

    /**
     * Another participant joined the room ({@code room.participant_joined}) with the
     * {@code payload} of their join (or null). {@link Room#participants()} includes them.
     */
    default void onRoomParticipantJoined(Room room, RoomParticipant participant, JsonNode payload) {
    }

    /**
     * A participant left the room ({@code room.participant_left}): {@link RoomLeaveReason#LEFT},
     * {@code CONNECTION_LOST} (their session was lost for good) or {@code FORCED}.
     * {@code participant} is as this client last knew it; it is no longer in
     * {@link Room#participants()}.
     */
    default void onRoomParticipantLeft(Room room, RoomParticipant participant, RoomLeaveReason reason) {
    }

    /** A participant's connection dropped; the server keeps their place while they resume ({@code connected} false). */
    default void onRoomParticipantReconnecting(Room room, RoomParticipant participant) {
    }

    /** A participant resumed their session after {@link #onRoomParticipantReconnecting}; same handle. */
    default void onRoomParticipantResumed(Room room, RoomParticipant participant) {
    }

    /**
     * A participant whose session could not be resumed joined again under a new handle
     * ({@code room.participant_rejoined}): {@code participant} has the new handle and replaces the
     * one with {@code originalHandle} in {@link Room#participants()}. The two handles are the same
     * person: move their video tile, don't add one.
     */
    default void onRoomParticipantRejoined(Room room, RoomParticipant participant, String originalHandle) {
    }

    /**
     * Conference resume succeeded: this client's session could not be resumed, so the SDK signed in
     * afresh and joined the room again, passing its earlier handle. {@code room} is the same object
     * as before; {@link Room#handle()} is now {@code handle}, and {@link Room#participants()} is the
     * server's list as of the re-join (those who came or went meanwhile are not reported one by
     * one). The others got {@code room.participant_rejoined} with both handles.
     *
     * @param handle this client's new handle in the room
     * @param originalHandle the handle it had before
     */
    default void onRoomResumed(Room room, String handle, String originalHandle) {
    }

    /**
     * Conference resume gave up on {@code room}: the room refused the re-join ({@code forbidden},
     * {@code full}, {@code denied}: {@link DialtoneException#code()}), the new sign-in was refused,
     * the client was closed or logged out meanwhile, or the give-up time
     * ({@code Builder.roomResumeGiveUp}, 60 s by default) passed without success
     * ({@link DialtoneException.Kind#TIMEOUT}). {@link #onRoomLeft} follows at once.
     */
    default void onRoomResumeFailed(Room room, DialtoneException reason) {
    }

    /**
     * This client is no longer in {@code room}: after {@link Room#leave()} (once its future
     * completed), after {@link #onRoomResumeFailed}, or when the session ended for another reason
     * ({@code logout()}, {@code close()}, close codes 4400, 4401, 4409, 4429). The final callback for
     * the room: {@link Room#isJoined()} is false and the room is no longer in
     * {@link DialtoneClient#rooms()}.
     */
    default void onRoomLeft(Room room) {
    }

    /**
     * The connection was lost and the client is resuming the session ({@code RESUMING}, reported
     * just before): calls and unanswered requests are kept, and requests made now wait for the
     * resume (at most the request timeout). Called once per outage, however many attempts it takes.
     */
    default void onResuming() {
    }

    /**
     * The session was resumed on a new connection ({@code CONNECTED}, reported just before):
     * nothing was lost. The events that happened meanwhile follow, each once and in order, and
     * requests whose replies were lost are answered (the server never executes them twice).
     *
     * @param previousResumeHandle the resume token used for this resume (opaque)
     * @param newResumeHandle the rotated token, used for the next resume (opaque)
     */
    default void onResumed(String previousResumeHandle, String newResumeHandle) {
    }

    /**
     * The session could not be resumed and is over: the server no longer has it
     * ({@link ResumeFailure#EXPIRED}: its resume window passed; {@code UNKNOWN}: e.g. the server
     * restarted; {@code INVALID}: the token or position was refused), or the client's give-up time
     * passed ({@code EXPIRED}). Unanswered requests have failed ({@code CONNECTION}); next come
     * {@link #onEnded} ({@code connection_lost}) for every call, {@link #onDisconnected}, and
     * {@code DISCONNECTED}. Call {@link DialtoneClient#connect()} for a new session — unless this
     * client was in rooms: then it signs in afresh by itself ({@code CONNECTING} follows at once)
     * and joins them again (conference resume, {@link #onRoomResumed}).
     */
    default void onResumeFailed(ResumeFailure reason) {
    }

    /**
     * A connection that had opened ended and the session is over (or sign-in failed). Called after
     * the {@link #onEnded} of the session's calls and before {@link #onConnectionStateChanged}
     * reports {@code DISCONNECTED}; not called when the socket could not be opened at all (then
     * the {@code connect()} future fails), nor when a lost connection is being resumed
     * ({@link #onResuming()}) — only if that resume fails, with the code of the lost connection.
     *
     * @param closeCode the WebSocket close code: {@code 4401} unauthorized (token invalid or
     *     expired), {@code 4409} replaced by a newer login of the same user and device,
     *     {@code 4400} too many malformed frames, {@code 4429} rate limited, {@code 1001} server
     *     shutting down, {@code 1000} closed by this client ({@code close()}, {@code logout()}) or
     *     by the server, {@code 1006} dropped without a close frame (network loss, heartbeat
     *     timeout, network change)
     * @param reason the close reason or a description of the failure
     */
    default void onDisconnected(int closeCode, String reason) {
    }
}
