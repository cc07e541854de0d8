package dev.dialtone.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.core.Action.Accept;
import dev.dialtone.core.Action.ByUser;
import dev.dialtone.core.Action.Cancel;
import dev.dialtone.core.Action.Decline;
import dev.dialtone.core.Action.Detached;
import dev.dialtone.core.Action.ForceEnd;
import dev.dialtone.core.Action.SignedIn;
import dev.dialtone.core.Action.Hangup;
import dev.dialtone.core.Action.Hold;
import dev.dialtone.core.Action.InviteMore;
import dev.dialtone.core.Action.Join;
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
import dev.dialtone.protocol.LeaveReason;
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
 *  action \ call  RINGING                               ACTIVE                              ENDED
 *  accept         invitee: joins, call → ACTIVE         pending invitee: joins              invalid_state
 *  decline        invitee: declined; maybe → ENDED      pending invitee: declined           invalid_state
 *  cancel         caller: → ENDED canceled              invalid_state                       invalid_state
 *  hangup         caller = cancel, invitee = decline    joined: leaves; fewer than 2 → END  invalid_state
 *  hold, unhold   invalid_state                         joined: hold_changed                invalid_state
 *  signal         invalid_state                         joined → joined: relayed            invalid_state
 *  invite more    invalid_state                         joined: more invitees ring          invalid_state
 *  join           invalid_state                         declined or left: joins again       invalid_state
 *  wake           overdue invitees → no_answer          overdue invitees → no_answer        (nothing)
 *  detached       joined: reconnecting                  joined: reconnecting                (nothing)
 *  resumed        joined: resumed; invited: ringing     joined: resumed; invited: ringing   (nothing)
 *  signed in      pending: incoming to the new device   pending: incoming to the new device (nothing)
 *  session ended  like hangup (lost: connection_lost)   like hangup (lost: connection_lost) (nothing)
 *  force end      → ENDED with the given reason         → ENDED with the given reason       (nothing)
 * </pre>
 *
 * A user with no part in a call gets {@code not_found} for every action (rule 9); an ended call
 * answers {@code invalid_state} saying how it ended (rule 11). A call ends by itself when fewer
 * than two participants remain and nobody rings (rule 5); with more, a leaving participant is
 * reported with {@code call.participant_left} and the call goes on. How invitees fare
 * ({@code call.ringing}, {@code call.declined}) is told to everyone in the call: the caller alone
 * while it rings, every joined participant once it is active.
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
            parties.add(ring(callId, caller.user(), invitation, media, payload, inviteeIds, expiresAt, effects,
                    List.of(new Target.User(caller.user()))));
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
            case InviteMore m -> inviteMore(call, m, now);
            case Join j -> join(call, j.actor(), now);
            case Wake w -> wake(call, now);
            case Detached d -> connection(call, d.user(), d.session(), false);
            case Resumed r -> connection(call, r.user(), r.session(), true);
            case SignedIn i -> signedIn(call, i);
            case ForceEnd f -> end(call, f.reason(), null, now, new ArrayList<>());
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
        if (now >= me.expiresAt()) {
            // The timer that declines it may not have fired yet; the deadline has passed all the same.
            return reject(ErrorCode.INVALID_STATE, "the invite to call " + call.id() + " timed out");
        }
        String session = accept.actor().session();
        List<Effect> effects = new ArrayList<>();
        Event accepted = new Event.CallAccepted(call.id(), me.user(), accept.payload());
        Event answeredElsewhere = new Event.CallCanceled(call.id(), CancelReason.ANSWERED_ELSEWHERE);
        if (call.state() == CallState.ACTIVE) {
            // A later invitee of a group call: the others hear of the acceptance, then the join.
            Call joined = call.withParty(me.user(), p -> p.joinedFrom(session));
            effects.addAll(toJoined(joined, me.user(), accepted));
            effects.add(send(new Target.UserExcept(me.user(), session), answeredElsewhere));
            return welcome(joined, me.user(), session, effects);
        }
        Call active = call.withParty(me.user(), p -> p.joinedFrom(session)).activated(ids.newRoomId(), now);
        effects.addAll(toJoined(active, me.user(), accepted));
        effects.add(send(new Target.UserExcept(me.user(), session), answeredElsewhere));
        Event started = new Event.CallStarted(call.id(), active.roomId(),
                active.joinedParties().stream().map(Party::user).toList());
        effects.addAll(toJoined(active, null, started));
        reportDisconnected(active, me.user(), session, effects);
        // In a group call the other invitees keep ringing.
        return new Transition(active, effects);
    }

    /**
     * Someone joined an active call: the others get {@code call.participant_joined}; the newcomer
     * gets {@code call.started} with everyone present, as if the call had just begun for them.
     */
    private Transition welcome(Call call, String user, String session, List<Effect> effects) {
        effects.addAll(toJoined(call, user, new Event.CallParticipantJoined(call.id(), user)));
        effects.add(send(new Target.Session(user, session), new Event.CallStarted(call.id(), call.roomId(),
                call.joinedParties().stream().map(Party::user).toList())));
        for (Party party : call.joinedParties()) {
            if (party.held()) {
                effects.add(send(new Target.Session(user, session), new Event.CallHoldChanged(call.id(), party.user(),
                        true)));
            }
        }
        reportDisconnected(call, user, session, effects);
        return new Transition(call, effects);
    }

    /** Tells a newcomer which participants are reconnecting; it would otherwise hear only their return. */
    private static void reportDisconnected(Call call, String newcomer, String session, List<Effect> effects) {
        for (Party party : call.joinedParties()) {
            if (!party.connected()) {
                effects.add(send(new Target.Session(newcomer, session),
                        new Event.CallParticipantReconnecting(call.id(), party.user())));
            }
        }
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
        return leave(call, me, LeaveReason.HANGUP, EndReason.HANGUP, now);
    }

    private Outcome inviteMore(Call call, InviteMore invite, long now) {
        Party me = call.party(invite.actor().user());
        if (call.state() != CallState.ACTIVE || !me.joined()) {
            return reject(ErrorCode.INVALID_STATE, "only a joined participant of an active call can invite more");
        }
        List<Invitation> fresh = invite.invitations().stream().filter(i -> {
            Party party = call.party(i.user());
            return party == null || !(party.pending() || party.joined());
        }).toList();
        if (fresh.isEmpty()) {
            return reject(ErrorCode.INVALID_STATE, "everyone named is already in call " + call.id() + " or ringing");
        }
        long newcomers = fresh.stream().filter(i -> call.party(i.user()) == null).count();
        if (call.invitees().size() + newcomers > policy.maxInvitees()) {
            return reject(ErrorCode.BAD_REQUEST, "a call may invite at most " + policy.maxInvitees() + " users");
        }
        long expiresAt = now + policy.defaultRingTimeoutMs();
        List<String> everyone = new ArrayList<>(call.invitees().stream().map(Party::user).toList());
        fresh.stream().map(Invitation::user).filter(u -> !everyone.contains(u)).forEach(everyone::add);
        List<Effect> effects = new ArrayList<>();
        List<Party> parties = new ArrayList<>(call.parties());
        // Everyone in the call hears how the new invitees fare, as the caller does in a one-to-one call.
        List<Target> told = call.joinedParties().stream().map(p -> targetOf(call, p)).toList();
        for (Invitation invitation : fresh) {
            Party party = ring(call.id(), call.caller(), invitation, call.media(), call.payload(), everyone,
                    expiresAt, effects, told);
            int index = indexOf(parties, invitation.user());
            if (index < 0) {
                parties.add(party);
            } else {
                parties.set(index, party);
            }
        }
        Call changed = call.withParties(parties);
        if (changed.anyPending()) {
            effects.add(new Effect.WakeAt(call.id(), changed.nextDeadline()));
        }
        return new Transition(changed, effects);
    }

    private Outcome join(Call call, Actor actor, long now) {
        Party me = call.party(actor.user());
        if (me.pending()) {
            return accept(call, new Accept(actor, null), now);
        }
        if (call.state() != CallState.ACTIVE || me.joined()) {
            return reject(ErrorCode.INVALID_STATE, me.joined() ? "you are already in call " + call.id()
                    : "only an active call can be joined; call " + call.id() + " is " + call.state().wire());
        }
        Call joined = call.withParty(me.user(), p -> p.joinedFrom(actor.session()));
        return welcome(joined, me.user(), actor.session(), new ArrayList<>());
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
                effects.addAll(toJoined(call, null,
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
        return settle(new Transition(changed, effects), null, now);
    }

    private Outcome connection(Call call, String user, String session, boolean connected) {
        Party party = call.party(user);
        if (connected && party != null && party.state() == ParticipantState.INVITED) {
            // The invite waited in a detached session's buffer; the resume has just delivered it.
            Call changed = call.withParty(user, Party::delivered);
            return new Transition(changed, toJoined(call, null, new Event.CallRinging(call.id(), user)));
        }
        if (party == null || !party.joined() || !session.equals(party.session()) || party.connected() == connected) {
            return unchanged(call);
        }
        Call changed = call.withParty(user, p -> p.withConnected(connected));
        Event event = connected ? new Event.CallParticipantResumed(call.id(), user)
                : new Event.CallParticipantReconnecting(call.id(), user);
        return new Transition(changed, toJoined(changed, user, event));
    }

    /**
     * A new device of a user whose invite still rings: it rings there too (rule 6). An invite that
     * had reached no device yet (the user was offline and the server keeps ringing them, or all
     * their sessions were detached) now counts as ringing.
     */
    private Outcome signedIn(Call call, SignedIn signedIn) {
        Party party = call.party(signedIn.user());
        if (party == null || !party.pending()) {
            return unchanged(call);
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(send(new Target.Session(party.user(), signedIn.session()), new Event.CallIncoming(call.id(),
                call.caller(), call.media(), call.payload(), call.invitees().stream().map(Party::user).toList(),
                party.expiresAt(), party.waiting() ? Boolean.TRUE : null)));
        if (party.state() != ParticipantState.INVITED) {
            return new Transition(call, effects);
        }
        effects.addAll(toJoined(call, null, new Event.CallRinging(call.id(), party.user())));
        return new Transition(call.withParty(party.user(), Party::delivered), effects);
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
        if (call.state() == CallState.RINGING) {
            // The caller's own device is gone before anyone answered.
            return end(call, ended.lost() ? EndReason.CONNECTION_LOST : EndReason.CANCELED, party.user(), now,
                    new ArrayList<>());
        }
        return ended.lost() ? leave(call, party, LeaveReason.CONNECTION_LOST, EndReason.CONNECTION_LOST, now)
                : leave(call, party, LeaveReason.HANGUP, EndReason.HANGUP, now);
    }

    /**
     * One invitee of a new invite: rung ({@code call.incoming} to their devices, {@code call.ringing}
     * to {@code told} once it reached a device), or declined at once when busy or offline.
     */
    private static Party ring(String callId, String caller, Invitation invitation, Media media, JsonNode payload,
                              List<String> invitees, long expiresAt, List<Effect> effects, List<Target> told) {
        String user = invitation.user();
        switch (invitation.availability()) {
            case FREE, WAITING -> {
                boolean waiting = invitation.availability() == Invitation.Availability.WAITING;
                effects.add(send(new Target.User(user), new Event.CallIncoming(callId, caller, media, payload,
                        invitees, expiresAt, waiting ? Boolean.TRUE : null)));
                if (invitation.delivered()) {
                    told.forEach(t -> effects.add(send(t, new Event.CallRinging(callId, user))));
                }
                return Party.invitee(user, invitation.delivered(), expiresAt, waiting);
            }
            default -> {
                DeclineReason reason = invitation.availability() == Invitation.Availability.BUSY
                        ? DeclineReason.BUSY : DeclineReason.OFFLINE;
                told.forEach(t -> effects.add(send(t, new Event.CallDeclined(callId, user, reason, null))));
                return Party.invitee(user, false, expiresAt, false).declined(reason);
            }
        }
    }

    private static int indexOf(List<Party> parties, String user) {
        for (int i = 0; i < parties.size(); i++) {
            if (parties.get(i).user().equals(user)) {
                return i;
            }
        }
        return -1;
    }

    // ---- endings -------------------------------------------------------------------------------

    /**
     * A joined participant leaves an active call. With at least two others still in it (or one,
     * and someone still ringing) the call goes on: the leaver gets {@code call.ended} for their own
     * part, the others {@code call.participant_left}. Otherwise the call ends for everyone.
     */
    private Transition leave(Call call, Party leaver, LeaveReason reason, EndReason endReason, long now) {
        Call after = call.withParty(leaver.user(), Party::left);
        int remaining = after.joinedParties().size();
        if (call.state() != CallState.ACTIVE || remaining == 0 || (remaining < 2 && !after.anyPending())) {
            if (endReason == EndReason.CONNECTION_LOST && call.state() == CallState.ACTIVE
                    && call.joinedParties().stream().anyMatch(p -> p.held() && !p.user().equals(leaver.user()))) {
                // The remaining side holds a call that can never be taken off hold: the unhold fails.
                endReason = EndReason.UNHOLD_FAILED;
            }
            return end(call, endReason, leaver.user(), now, new ArrayList<>());
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(send(targetOf(call, leaver), new Event.CallEnded(call.id(), endReason, leaver.user(),
                Math.max(0, now - call.answeredAt()))));
        effects.addAll(toJoined(after, null, new Event.CallParticipantLeft(call.id(), leaver.user(), reason)));
        return new Transition(after, effects);
    }

    /** Rule 5 for an active call: once fewer than two are in it and nobody rings, it ends. */
    private Transition settle(Transition transition, String by, long now) {
        Call call = transition.call();
        if (call.state() == CallState.ACTIVE && call.joinedParties().size() < 2 && !call.anyPending()) {
            return end(call, EndReason.HANGUP, by, now, new ArrayList<>(transition.effects()));
        }
        return transition;
    }

    /** Declines one invitee (telling the caller) and ends the call if nobody is left to take part. */
    private Transition declineParty(Call call, String user, DeclineReason reason, JsonNode payload, String by,
                                    long now, List<Effect> effects) {
        Call changed = call.withParty(user, p -> p.declined(reason));
        effects.addAll(toJoined(call, null, new Event.CallDeclined(call.id(), user, reason, payload)));
        if (changed.state() == CallState.RINGING && !changed.anyPending()) {
            return endIfNobodyLeft(changed, by, now, effects);
        }
        return settle(new Transition(changed, effects), by, now);
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
        for (Party party : call.parties()) {
            // Those who left a group call earlier had their own call.ended then.
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
