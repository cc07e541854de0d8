package dev.dialtone.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One call as this client sees it: placed with {@link DialtoneClient#invite(InviteOptions)} or
 * received in {@link DialtoneListener#onIncomingCall(Call, boolean)}.
 *
 * <p><b>Identity.</b> The client keeps one {@code Call} object per call id for the call's whole
 * life, so the object passed to every callback about a call is the same one ({@code ==}).
 *
 * <p><b>State.</b> The getters are a client-side view built from the events the application has
 * been told about: inside a callback, the view includes that callback's event and nothing later
 * (for example {@link #state()} is {@code ACTIVE} inside {@code onStarted} even if
 * {@code call.ended} is already queued behind it). The view is updated only on the callback
 * executor; read from other threads it is a consistent snapshot per getter.
 *
 * <p><b>Commands.</b> Every command returns a {@link CompletableFuture} that completes on the
 * callback executor, in order with the events, when the server answers, or fails with a
 * {@link DialtoneException}. The server is the authority: a command on a call that has ended
 * is still sent and fails with {@link dev.dialtone.protocol.ErrorCode#INVALID_STATE}.
 *
 * <p><b>End.</b> {@link DialtoneListener#onEnded} is the final callback for a call: after it,
 * {@link #state()} is {@code ENDED}, the call is no longer in {@link DialtoneClient#calls()}, and
 * no further callback mentions it.
 *
 * <p><b>Group calls.</b> A call may have several invitees. It becomes {@code ACTIVE} at the first
 * acceptance and stays {@code ACTIVE} on this device while this device is in it: participants come
 * and go ({@link DialtoneListener#onParticipantJoined}, {@link DialtoneListener#onParticipantLeft},
 * {@link #participants()}) without ending it. {@link #hangup()} by a participant means "leave": the
 * call ends for this device ({@code onEnded}, {@code hangup} by this user) and goes on for the
 * others while at least two remain. {@link #inviteMore} rings more users;
 * {@link DialtoneClient#joinCall} joins again a call this user declined, missed or left.
 *
 * <p>Thread-safe. Implemented by the SDK only; applications may implement it in test doubles.
 */
public interface Call {

    /** The server's call id ({@code c-…}). */
    String id();

    /** Whether this client placed the call or was invited. */
    CallDirection direction();

    /**
     * The user who placed the call. Null only for a call joined with {@link DialtoneClient#joinCall}
     * that this client had never seen (invited while offline, say): {@link DialtoneClient#listCalls()}
     * has it.
     */
    String caller();

    /**
     * The users the caller invited, in order, as this client first learned of the call (an
     * incoming call lists every user invited so far). Users invited later with {@link #inviteMore}
     * are not added; {@link #participants()} is the live list. Empty for a call joined with
     * {@code joinCall} that this client had never seen.
     */
    List<String> invitees();

    /** The media the call was placed with; null only where {@link #caller()} is. */
    Media media();

    /** A copy of the caller's invite payload, or null. */
    JsonNode payload();

    /** For an incoming call: when it stops ringing (epoch ms); 0 for an outgoing call. */
    long expiresAt();

    /**
     * For an incoming call: true when the server rang this user although they are already in a
     * call (the call-waiting policy).
     */
    boolean isWaiting();

    /** {@code RINGING}, then {@code ACTIVE} once accepted, and finally {@code ENDED}. */
    CallState state();

    /** The media room of an active call (from {@code call.started} or {@code accept}); null before. */
    String roomId();

    /**
     * The users in the call, in order: the caller from the start, each user who accepted, the list
     * of {@code call.started} when the call became active for this device, then kept up to date by
     * {@link DialtoneListener#onParticipantJoined} and {@link DialtoneListener#onParticipantLeft}.
     * For a call joined with {@link DialtoneClient#joinCall} that this client had dropped, empty
     * until {@code onStarted} (which follows at once).
     */
    List<String> participants();

    /** The users who currently hold the call (both sides may hold at once). */
    Set<String> heldBy();

    /** Whether {@code user} currently holds the call. */
    boolean isHeldBy(String user);

    /** Whether {@code user}'s connection dropped and the server waits for them to resume. */
    boolean isReconnecting(String user);

    /** Why the call ended for this client; null until {@link #state()} is {@code ENDED}. */
    EndReason endReason();

    /**
     * For an incoming call that stopped ringing on this device without it acting
     * ({@code call.canceled}): the precise reason; otherwise null.
     */
    CancelReason cancelReason();

    /** Accepts an incoming call; completes with the call's room id. */
    CompletableFuture<String> accept();

    /**
     * Accepts an incoming call with a payload (a JSON object of at most 8 KiB, sent to the caller in
     * {@code call.accepted}); completes with the call's room id.
     *
     * @throws IllegalArgumentException when the payload is not a small enough JSON object
     */
    CompletableFuture<String> accept(JsonNode payload);

    /** Declines an incoming call ({@code refused}). The call then ends for this client. */
    CompletableFuture<Void> decline();

    /**
     * Declines an incoming call with a reason ({@link DeclineReason#REFUSED} or
     * {@link DeclineReason#BUSY}) and an optional payload for the caller.
     *
     * @throws IllegalArgumentException for another reason or an invalid payload
     */
    CompletableFuture<Void> decline(DeclineReason reason, JsonNode payload);

    /**
     * Rings more users into an active call ({@code call.invite_more}); any participant who is in
     * the call may. Each of them gets {@code onIncomingCall}; the caller and this user hear
     * {@link DialtoneListener#onRinging} or {@link DialtoneListener#onDeclined} for each, and
     * {@link DialtoneListener#onAccepted} then {@link DialtoneListener#onParticipantJoined} when one
     * joins. Typical failures: {@code invalid_state} (the call is not active, this device is not in
     * it, or everyone named already is or rings), {@code bad_request} (too many invitees, or this
     * user), {@code busy}, {@code denied}.
     *
     * @throws IllegalArgumentException when no user is named, one is empty or too long, or one is
     *     named twice
     */
    CompletableFuture<Void> inviteMore(String... users);

    /** Cancels an outgoing call before anyone answered. */
    CompletableFuture<Void> cancel();

    /**
     * Ends the call in any state: cancels (caller, ringing), declines (invitee, ringing) or hangs up.
     * In a group call it leaves: the call ends for this device and goes on for the others while at
     * least two remain.
     */
    CompletableFuture<Void> hangup();

    /** Puts an active call on hold from this user's side. */
    CompletableFuture<Void> hold();

    /** Takes this user's hold off (only the user who put the call on hold can). */
    CompletableFuture<Void> unhold();

    /**
     * Relays {@code data} (any JSON up to 64 KiB: an SDP offer or answer, an ICE candidate…) to
     * the participant {@code to}, who receives it in {@link DialtoneListener#onSignal}.
     *
     * @throws IllegalArgumentException when {@code to} or {@code data} is missing or too large
     */
    CompletableFuture<Void> signal(String to, JsonNode data);
}
