package dev.dialtone.core;

import dev.dialtone.protocol.CallState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Which calls each user is engaged in: the cross-call facts behind rules 1 (one outgoing call), 2
 * (busy), 3 (offline, with presence supplied by the caller) and 7 (glare).
 *
 * <p>Thread-safe without a global lock: each user's line is changed atomically on its own
 * ({@link ConcurrentHashMap#compute}), never two at once. Two invites that cross (A→B and B→A at
 * the same moment) are resolved by age: every admitted invite gets a sequence number and the
 * younger one merges into the older one.
 */
public final class LineBook {

    /** One user's engagement: an outgoing call still ringing, and every call they ring in or are in. */
    private record Line(String outgoing, long outgoingSeq, List<String> outgoingTo, Set<String> calls) {
        static final Line IDLE = new Line(null, 0, List.of(), Set.of());

        boolean idle() {
            return outgoing == null && calls.isEmpty();
        }

        Line withCall(String callId) {
            Set<String> more = new HashSet<>(calls);
            more.add(callId);
            return new Line(outgoing, outgoingSeq, outgoingTo, Set.copyOf(more));
        }

        Line withoutCall(String callId) {
            Set<String> fewer = new HashSet<>(calls);
            fewer.remove(callId);
            boolean wasOutgoing = callId.equals(outgoing);
            return new Line(wasOutgoing ? null : outgoing, wasOutgoing ? 0 : outgoingSeq,
                    wasOutgoing ? List.of() : outgoingTo, Set.copyOf(fewer));
        }

        Line outgoingSettled(String callId) {
            return callId.equals(outgoing) ? new Line(null, 0, List.of(), calls) : this;
        }
    }

    /** The result of admitting an invite. */
    public sealed interface Admission {
        /** The caller already has an outgoing call ringing (rule 1). */
        record CallerBusy(String ringingCallId) implements Admission {
        }

        /** The invitee's own invite to the caller is ringing: accept that call instead (rule 7). */
        record Glare(String existingCallId) implements Admission {
        }

        /** Admitted: the invitees as classified, lines claimed for the new call. */
        record Admitted(List<Invitation> invitations) implements Admission {
        }
    }

    private final ConcurrentHashMap<String, Line> lines = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /**
     * Admits an invite: claims the caller's outgoing line, detects glare, classifies each invitee
     * and claims the lines of those who will ring. On {@link Admission.CallerBusy} and
     * {@link Admission.Glare} nothing stays claimed.
     */
    public Admission admit(String callId, String caller, List<String> invitees, BusyPolicy busyPolicy,
                           Function<String, Presence> presence) {
        // The sequence number is taken inside the caller's atomic step, so its order is the order
        // in which outgoing lines were claimed: the invite that claimed first is the older one.
        long[] seq = new long[1];
        String[] ringing = new String[1];
        lines.compute(caller, (user, line) -> {
            Line current = line == null ? Line.IDLE : line;
            if (current.outgoing() != null) {
                ringing[0] = current.outgoing();
                return line;
            }
            seq[0] = sequence.incrementAndGet();
            Set<String> calls = new HashSet<>(current.calls());
            calls.add(callId);
            return new Line(callId, seq[0], List.copyOf(invitees), Set.copyOf(calls));
        });
        if (ringing[0] != null) {
            return new Admission.CallerBusy(ringing[0]);
        }
        boolean oneToOne = invitees.size() == 1;
        List<Invitation> invitations = new ArrayList<>(invitees.size());
        for (String invitee : invitees) {
            Presence reach = presence.apply(invitee);
            if (reach == Presence.OFFLINE) {
                invitations.add(new Invitation(invitee, Invitation.Availability.OFFLINE, false));
                continue;
            }
            Invitation.Availability[] availability = new Invitation.Availability[1];
            String[] glare = new String[1];
            lines.compute(invitee, (user, line) -> {
                Line current = line == null ? Line.IDLE : line;
                boolean crossing = oneToOne && current.outgoing() != null
                        && current.outgoingTo().equals(List.of(caller));
                if (crossing && current.outgoingSeq() < seq[0]) {
                    // Rule 7: their invite to us is older; ours merges into it.
                    glare[0] = current.outgoing();
                    return line;
                }
                if (!current.idle() && !crossing && busyPolicy == BusyPolicy.REJECT) {
                    availability[0] = Invitation.Availability.BUSY;
                    return line;
                }
                // A crossing younger invite will merge into ours, so the invitee counts as free.
                availability[0] = current.idle() || crossing
                        ? Invitation.Availability.FREE : Invitation.Availability.WAITING;
                return current.withCall(callId);
            });
            if (glare[0] != null) {
                release(callId, caller);
                return new Admission.Glare(glare[0]);
            }
            invitations.add(new Invitation(invitee, availability[0], reach == Presence.ATTACHED));
        }
        return new Admission.Admitted(invitations);
    }

    /**
     * Classifies the users a participant invites into an existing call ({@code call.invite_more})
     * and claims the lines of those who will ring. No caller line and no glare: the call exists.
     */
    public List<Invitation> admitMore(String callId, List<String> invitees, BusyPolicy busyPolicy,
                                      Function<String, Presence> presence) {
        List<Invitation> invitations = new ArrayList<>(invitees.size());
        for (String invitee : invitees) {
            Presence reach = presence.apply(invitee);
            if (reach == Presence.OFFLINE) {
                invitations.add(new Invitation(invitee, Invitation.Availability.OFFLINE, false));
                continue;
            }
            Invitation.Availability[] availability = new Invitation.Availability[1];
            lines.compute(invitee, (user, line) -> {
                Line current = line == null ? Line.IDLE : line;
                if (current.calls().contains(callId)) {
                    availability[0] = Invitation.Availability.FREE; // already ringing or in this call
                    return line;
                }
                if (!current.idle() && busyPolicy == BusyPolicy.REJECT) {
                    availability[0] = Invitation.Availability.BUSY;
                    return line;
                }
                availability[0] = current.idle() ? Invitation.Availability.FREE : Invitation.Availability.WAITING;
                return current.withCall(callId);
            });
            invitations.add(new Invitation(invitee, availability[0], reach == Presence.ATTACHED));
        }
        return invitations;
    }

    /**
     * Brings the lines of a call's users up to date after a transition: a user stays engaged while
     * ringing or joined in a live call; the caller's outgoing line frees once nobody rings anymore.
     */
    public void update(Call call) {
        boolean live = call.state() != CallState.ENDED;
        for (Party party : call.parties()) {
            boolean engaged = live && (party.pending() || party.joined());
            if (!engaged) {
                release(call.id(), party.user());
                continue;
            }
            boolean settled = call.state() != CallState.RINGING;
            // A participant who joins again (call.join) is engaged again: claim the line back.
            lines.compute(party.user(), (user, line) -> {
                Line current = line == null ? Line.IDLE : line;
                Line claimed = current.calls().contains(call.id()) ? current : current.withCall(call.id());
                return settled ? claimed.outgoingSettled(call.id()) : claimed;
            });
        }
    }

    /** Frees one user's line from a call. */
    public void release(String callId, String user) {
        lines.computeIfPresent(user, (name, line) -> {
            Line rest = line.withoutCall(callId);
            return rest.idle() ? null : rest;
        });
    }

    /** The calls a user rings in or takes part in (the caller's own call included). */
    public Set<String> callsOf(String user) {
        Line line = lines.get(user);
        return line == null ? Set.of() : line.calls();
    }

    /** Whether the user rings in, or takes part in, any call. */
    public boolean engaged(String user) {
        Line line = lines.get(user);
        return line != null && !line.idle();
    }

    /** The user's outgoing call that still rings, or null. */
    public String outgoing(String user) {
        Line line = lines.get(user);
        return line == null ? null : line.outgoing();
    }

    /** How many users are engaged; for metrics. */
    public int engagedUsers() {
        return lines.size();
    }
}
