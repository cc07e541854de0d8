package dev.dialtone.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.core.Action.Accept;
import dev.dialtone.core.Action.ByUser;
import dev.dialtone.core.Action.Cancel;
import dev.dialtone.core.Action.Decline;
import dev.dialtone.core.Action.Detached;
import dev.dialtone.core.Action.Hangup;
import dev.dialtone.core.Action.Hold;
import dev.dialtone.core.Action.Resumed;
import dev.dialtone.core.Action.SessionEnded;
import dev.dialtone.core.Action.Signal;
import dev.dialtone.core.Action.Unhold;
import dev.dialtone.core.Action.Wake;
import dev.dialtone.core.Outcome.Rejection;
import dev.dialtone.core.Outcome.Transition;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import java.util.ArrayList;
import java.util.List;

/**
 * The call state machine: {@code (call, action, now) → Transition(call', effects) | Rejection}.
 * Pure: no I/O, no threads, no clock reads. Not thread-safe by itself; the server applies all
 * actions of one call serially.
 *
 * <pre>
 *  action \ call  RINGING                               ACTIVE                          ENDED
 *  accept         invitee: joins, call → ACTIVE         invalid_state                   invalid_state
 *  decline        invitee: declined; maybe → ENDED      invalid_state                   invalid_state
 *  cancel         caller: → ENDED canceled              invalid_state                   invalid_state
 *  hangup         caller = cancel, invitee = decline    joined: → ENDED hangup          invalid_state
 *  hold, unhold   invalid_state                         joined: hold_changed            invalid_state
 *  signal         invalid_state                         joined → joined: relayed        invalid_state
 *  wake           overdue invitees → no_answer          (nothing)                       (nothing)
 *  detached       joined: reconnecting                  joined: reconnecting            (nothing)
 *  resumed        joined: resumed; invited: ringing     joined: resumed                 (nothing)
 *  session ended  like hangup (lost: connection_lost)   like hangup (lost: conn._lost)  (nothing)
 * </pre>
 *
 * A user with no part in a call gets {@code not_found} for every action (rule 9); an ended call
 * answers {@code invalid_state} saying how it ended (rule 11).
 */
public final class CallMachine {
    private final CallPolicy policy;
    private final IdSource ids;

    public CallMachine(CallPolicy policy, IdSource ids) {
        this.policy = policy;
        this.ids = ids;
    }

    public CallPolicy policy() {
        return policy;
    }

    /**
     * Creates a call from an invite whose invitees the server has already classified (busy,
     * offline, free). Busy and offline invitees are declined at once; if none is left ringing, the
     * call ends in the same transition (rule 5).
     *
     * @param timeoutMs the invite's ring timeout, or null for the policy default
     */
    public Transition create(String callId, Actor caller, List<Invitation> invitations, Media media,
                             JsonNode payload, Integer timeoutMs, long now) {
        long expiresAt = now + (timeoutMs == null ? policy.defaultRingTimeoutMs() : timeoutMs);
        List<String> inviteeIds = invitations.stream().map(Invitation::user).toList();
        List<Party> parties = new ArrayList<>();
        parties.add(Party.caller(caller.user(), caller.session()));
        List<Effect> effects = new ArrayList<>();
        for (Invitation invitation : invitations) {
            String user = invitation.user();
            switch (invitation.availability()) {
                case FREE, WAITING -> {
                    boolean waiting = invitation.availability() == Invitation.Availability.WAITING;
                    parties.add(Party.invitee(user, invitation.delivered(), expiresAt, waiting));
                    effects.add(send(new Target.User(user), new Event.CallIncoming(callId, caller.user(), media,
                            payload, inviteeIds, expiresAt, waiting ? Boolean.TRUE : null)));
                    if (invitation.delivered()) {
                        effects.add(send(new Target.User(caller.user()), new Event.CallRinging(callId, user)));
                    }
                }
                case BUSY, OFFLINE -> {
                    DeclineReason reason = invitation.availability() == Invitation.Availability.BUSY
                            ? DeclineReason.BUSY : DeclineReason.OFFLINE;
                    parties.add(Party.invitee(user, false, expiresAt, false).declined(reason));
                    effects.add(send(new Target.User(caller.user()),
                            new Event.CallDeclined(callId, user, reason, null)));
                }
            }
        }
        Call call = new Call(callId, caller.user(), media, payload, now, CallState.RINGING, null, 0, parties, null,
                null, 0);
        if (!call.anyPending()) {
            return endIfNobodyLeft(call, null, now, effects);
        }
        effects.add(new Effect.WakeAt(callId, expiresAt));
        return new Transition(call, effects);
    }

    /** Applies one action to a call. */
    public Outcome apply(Call call, Action action, long now) {
        if (action instanceof ByUser byUser) {
            Rejection refused = checkAccess(call, byUser.actor());
            if (refused != null) {
                return refused;
            }
        } else if (call.state() == CallState.ENDED) {
            return unchanged(call);
        }
        return switch (action) {
            case Accept a -> accept(call, a, now);
            case Decline d -> decline(call, d.actor(), d.reason(), d.payload(), now);
            case Cancel c -> cancel(call, c.actor(), now);
            case Hangup h -> hangup(call, h.actor(), now);
            case Hold h -> hold(call, h.actor(), true);
            case Unhold u -> hold(call, u.actor(), false);
            case Signal s -> signal(call, s);
            case Wake w -> wake(call, now);
            case Detached d -> connection(call, d.user(), d.session(), false);
            case Resumed r -> connection(call, r.user(), r.session(), true);
            case SessionEnded e -> sessionEnded(call, e, now);
        };
    }

    // ---- user actions ------------------------------------------------------------------------

    private Outcome accept(Call call, Accept accept, long now) {
        Party me = call.party(accept.actor().user());
        if (call.isCaller(me.user())) {
            return reject(ErrorCode.INVALID_STATE, "the caller cannot accept their own call");
        }
        if (!me.pending()) {
            return reject(ErrorCode.INVALID_STATE, "you are " + me.state().wire() + " in call " + call.id());
        }
        if (call.state() != CallState.RINGING) {
            return reject(ErrorCode.INVALID_STATE, "call " + call.id() + " is already " + call.state().wire());
        }
        if (now >= me.expiresAt()) {
            // The timer that declines it may not have fired yet; the deadline has passed all the same.
            return reject(ErrorCode.INVALID_STATE, "the invite to call " + call.id() + " timed out");
        }
        String session = accept.actor().session();
        Call active = call.withParty(me.user(), p -> p.joinedFrom(session)).activated(ids.newRoomId(), now);
        List<Effect> effects = new ArrayList<>();
        Event accepted = new Event.CallAccepted(call.id(), me.user(), accept.payload());
        for (Party party : active.joinedParties()) {
            if (!party.user().equals(me.user())) {
                effects.add(send(targetOf(active, party), accepted));
            }
        }
        effects.add(send(new Target.UserExcept(me.user(), session),
                new Event.CallCanceled(call.id(), CancelReason.ANSWERED_ELSEWHERE)));
        Event started = new Event.CallStarted(call.id(), active.roomId(),
                active.joinedParties().stream().map(Party::user).toList());
        for (Party party : active.joinedParties()) {
            effects.add(send(targetOf(active, party), started));
        }
        for (Party party : active.joinedParties()) {
            if (!party.connected()) {
                // The newcomer would otherwise first hear of it when the party resumes.
                effects.add(send(new Target.Session(me.user(), session),
                        new Event.CallParticipantReconnecting(call.id(), party.user())));
            }
        }
        // A one-to-one call has nobody else to ring; in a group the others keep ringing.
        return new Transition(active, effects);
    }

    private Outcome decline(Call call, Actor actor, DeclineReason reason, JsonNode payload, long now) {
        Party me = call.party(actor.user());
        if (call.isCaller(me.user())) {
            return reject(ErrorCode.INVALID_STATE, "the caller cannot decline their own call; cancel it");
        }
        if (!me.pending()) {
            return reject(ErrorCode.INVALID_STATE, "you are " + me.state().wire() + " in call " + call.id());
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(send(new Target.UserExcept(me.user(), actor.session()),
                new Event.CallCanceled(call.id(), CancelReason.DECLINED_ELSEWHERE)));
        return declineParty(call, me.user(), reason, payload, me.user(), now, effects);
    }

    private Outcome cancel(Call call, Actor actor, long now) {
        if (!call.isCaller(actor.user())) {
            return reject(ErrorCode.INVALID_STATE, "only the caller can cancel; decline or hang up instead");
        }
        if (call.state() != CallState.RINGING) {
            return reject(ErrorCode.INVALID_STATE, "call " + call.id() + " was answered; hang up instead");
        }
        return end(call, EndReason.CANCELED, actor.user(), now, new ArrayList<>());
    }

    private Outcome hangup(Call call, Actor actor, long now) {
        Party me = call.party(actor.user());
        if (call.isCaller(me.user()) && call.state() == CallState.RINGING) {
            return cancel(call, actor, now);
        }
        if (me.pending()) {
            return decline(call, actor, DeclineReason.REFUSED, null, now);
        }
        if (!me.joined()) {
            return reject(ErrorCode.INVALID_STATE, "you are " + me.state().wire() + " in call " + call.id());
        }
        return end(call, EndReason.HANGUP, me.user(), now, new ArrayList<>());
    }

    private Outcome hold(Call call, Actor actor, boolean held) {
        Party me = call.party(actor.user());
        if (call.state() != CallState.ACTIVE || !me.joined()) {
            return reject(ErrorCode.INVALID_STATE, "only a joined participant of an active call can "
                    + (held ? "hold" : "unhold"));
        }
        if (held && !policy.holdAllowed()) {
            return reject(ErrorCode.DENIED, "holding calls is not allowed on this server");
        }
        if (held && me.held()) {
            return reject(ErrorCode.INVALID_STATE, "you already hold call " + call.id());
        }
        if (!held && !me.held()) {
            boolean heldByOther = call.joinedParties().stream().anyMatch(Party::held);
            return heldByOther
                    ? reject(ErrorCode.NOT_HOLDER, "only the participant who put the call on hold can unhold it")
                    : reject(ErrorCode.INVALID_STATE, "call " + call.id() + " is not on hold");
        }
        Call changed = call.withParty(me.user(), p -> p.withHeld(held));
        return new Transition(changed, toJoined(changed, null, new Event.CallHoldChanged(call.id(), me.user(), held)));
    }

    private Outcome signal(Call call, Signal signal) {
        Party me = call.party(signal.actor().user());
        if (call.state() != CallState.ACTIVE || !me.joined()) {
            return reject(ErrorCode.INVALID_STATE, "signals travel between joined participants of an active call");
        }
        Party to = call.party(signal.to());
        if (to == null) {
            return reject(ErrorCode.NOT_FOUND, signal.to() + " is not in call " + call.id());
        }
        if (!to.joined() || to.user().equals(me.user())) {
            return reject(ErrorCode.INVALID_STATE, signal.to() + " is not a joined participant you can signal");
        }
        // Signals are for the media session: only the device that joined the call gets them.
        return new Transition(call, List.of(send(new Target.Session(to.user(), to.session()),
                new Event.CallSignal(call.id(), me.user(), signal.data()))));
    }

    // ---- timers and sessions -------------------------------------------------------------------

    private Outcome wake(Call call, long now) {
        List<Effect> effects = new ArrayList<>();
        Call changed = call;
        for (Party party : call.parties()) {
            if (party.pending() && party.expiresAt() <= now) {
                changed = changed.withParty(party.user(), p -> p.declined(DeclineReason.NO_ANSWER));
                effects.add(send(new Target.User(call.caller()),
                        new Event.CallDeclined(call.id(), party.user(), DeclineReason.NO_ANSWER, null)));
                effects.add(send(new Target.User(party.user()),
                        new Event.CallCanceled(call.id(), CancelReason.NO_ANSWER)));
            }
        }
        if (changed.state() == CallState.RINGING && !changed.anyPending()) {
            return endIfNobodyLeft(changed, null, now, effects);
        }
        if (changed.anyPending()) {
            effects.add(new Effect.WakeAt(call.id(), changed.nextDeadline()));
        }
        return new Transition(changed, effects);
    }

    private Outcome connection(Call call, String user, String session, boolean connected) {
        Party party = call.party(user);
        if (connected && party != null && party.state() == ParticipantState.INVITED) {
            // The invite waited in a detached session's buffer; the resume has just delivered it.
            Call changed = call.withParty(user, Party::delivered);
            return new Transition(changed, List.of(send(new Target.User(call.caller()),
                    new Event.CallRinging(call.id(), user))));
        }
        if (party == null || !party.joined() || !session.equals(party.session()) || party.connected() == connected) {
            return unchanged(call);
        }
        Call changed = call.withParty(user, p -> p.withConnected(connected));
        Event event = connected ? new Event.CallParticipantResumed(call.id(), user)
                : new Event.CallParticipantReconnecting(call.id(), user);
        return new Transition(changed, toJoined(changed, user, event));
    }

    private Outcome sessionEnded(Call call, SessionEnded ended, long now) {
        Party party = call.party(ended.user());
        if (party == null) {
            return unchanged(call);
        }
        if (party.pending()) {
            // Another device of the user may still answer; only the last one declines.
            if (ended.userStillOnline()) {
                return unchanged(call);
            }
            DeclineReason reason = ended.lost() ? DeclineReason.OFFLINE : DeclineReason.REFUSED;
            return declineParty(call, party.user(), reason, null, party.user(), now, new ArrayList<>());
        }
        if (!party.joined() || !ended.session().equals(party.session())) {
            return unchanged(call);
        }
        EndReason reason = EndReason.HANGUP;
        if (call.state() == CallState.RINGING) {
            reason = ended.lost() ? EndReason.CONNECTION_LOST : EndReason.CANCELED;
        } else if (ended.lost()) {
            // The remaining side holds a call that can never be taken off hold: the unhold fails.
            boolean othersHold = call.joinedParties().stream()
                    .anyMatch(p -> p.held() && !p.user().equals(party.user()));
            reason = othersHold ? EndReason.UNHOLD_FAILED : EndReason.CONNECTION_LOST;
        }
        return end(call, reason, party.user(), now, new ArrayList<>());
    }

    // ---- endings -------------------------------------------------------------------------------

    /** Declines one invitee (telling the caller) and ends the call if nobody is left to take part. */
    private Transition declineParty(Call call, String user, DeclineReason reason, JsonNode payload, String by,
                                    long now, List<Effect> effects) {
        Call changed = call.withParty(user, p -> p.declined(reason));
        effects.add(send(new Target.User(call.caller()), new Event.CallDeclined(call.id(), user, reason, payload)));
        if (changed.state() == CallState.RINGING && !changed.anyPending()) {
            return endIfNobodyLeft(changed, by, now, effects);
        }
        return new Transition(changed, effects);
    }

    /** Rule 5: a ringing call whose invitees all declined ends with their common reason, or declined. */
    private Transition endIfNobodyLeft(Call call, String by, long now, List<Effect> effects) {
        List<DeclineReason> reasons = call.invitees().stream().map(Party::declineReason).distinct().toList();
        EndReason reason = reasons.size() == 1 ? endReasonOf(reasons.get(0)) : EndReason.DECLINED;
        return end(call, reason, by, now, effects);
    }

    /**
     * Ends the call: {@code call.ended} to the caller's devices and each joined participant's
     * device, {@code call.canceled} to invitees whose devices still ring.
     */
    private Transition end(Call call, EndReason reason, String by, long now, List<Effect> effects) {
        List<Party> finalParties = new ArrayList<>(call.parties().size());
        Event.CallEnded ended = null;
        for (Party party : call.parties()) {
            if (party.pending()) {
                effects.add(send(new Target.User(party.user()),
                        new Event.CallCanceled(call.id(), CancelReason.CANCELED)));
                finalParties.add(party.declined(null));
            } else if (party.joined()) {
                finalParties.add(party.left());
            } else {
                finalParties.add(party);
            }
        }
        Call result = call.ended(finalParties, reason, by, now);
        ended = new Event.CallEnded(call.id(), reason, by, result.durationMs());
        effects.add(send(new Target.User(call.caller()), ended));
        for (Party party : call.invitees()) {
            if (party.joined()) {
                effects.add(send(targetOf(call, party), ended));
            }
        }
        return new Transition(result, effects);
    }

    private static EndReason endReasonOf(DeclineReason reason) {
        if (reason == null) {
            return EndReason.DECLINED;
        }
        return switch (reason) {
            case REFUSED -> EndReason.DECLINED;
            case BUSY -> EndReason.BUSY;
            case NO_ANSWER -> EndReason.NO_ANSWER;
            case OFFLINE -> EndReason.OFFLINE;
        };
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Rejection checkAccess(Call call, Actor actor) {
        if (!call.involves(actor.user())) {
            return new Rejection(ErrorCode.NOT_FOUND, "no call " + call.id());
        }
        if (call.state() == CallState.ENDED) {
            return new Rejection(ErrorCode.INVALID_STATE, "call " + call.id() + " has ended ("
                    + call.endReason().wire() + (call.endedBy() == null ? "" : " by " + call.endedBy()) + ")");
        }
        return null;
    }

    /** The caller is reached on all their devices; an invitee on the device it joined from. */
    private static Target targetOf(Call call, Party party) {
        return call.isCaller(party.user()) || party.session() == null
                ? new Target.User(party.user())
                : new Target.Session(party.user(), party.session());
    }

    private static List<Effect> toJoined(Call call, String exceptUser, Event event) {
        List<Effect> effects = new ArrayList<>();
        for (Party party : call.joinedParties()) {
            if (!party.user().equals(exceptUser)) {
                effects.add(send(targetOf(call, party), event));
            }
        }
        return effects;
    }

    private static Effect send(Target target, Event event) {
        return new Effect.Send(target, event);
    }

    private static Rejection reject(ErrorCode code, String message) {
        return new Rejection(code, message);
    }

    private static Transition unchanged(Call call) {
        return new Transition(call, List.of());
    }
}
