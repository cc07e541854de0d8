package dev.dialtone.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ResumeFailure;
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
     * {@code DISCONNECTED}. Call {@link DialtoneClient#connect()} for a new session.
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
