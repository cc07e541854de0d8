package dev.dialtone.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A call's complete state. Immutable: every transition makes a new {@code Call}, so a rejected
 * action leaves the old one untouched by construction.
 *
 * @param parties the caller first, then the invitees in invite order
 */
public record Call(String id, String caller, Media media, JsonNode payload, long createdAt, CallState state,
                   String roomId, long answeredAt, List<Party> parties, EndReason endReason, String endedBy,
                   long endedAt) {

    public Call {
        parties = List.copyOf(parties);
    }

    /** The party of a user, or null when the user has no part in this call. */
    public Party party(String user) {
        for (Party party : parties) {
            if (party.user().equals(user)) {
                return party;
            }
        }
        return null;
    }

    public boolean involves(String user) {
        return party(user) != null;
    }

    public boolean isCaller(String user) {
        return caller.equals(user);
    }

    public List<Party> invitees() {
        return parties.subList(1, parties.size());
    }

    // Plain loops rather than streams: these run several times per transition, and a stream
    // pipeline's allocations were a third of the machine's garbage (see docs/benchmarks.md).
    public List<Party> joinedParties() {
        List<Party> joined = new ArrayList<>(parties.size());
        for (Party party : parties) {
            if (party.joined()) {
                joined.add(party);
            }
        }
        return Collections.unmodifiableList(joined);
    }

    public boolean anyPending() {
        for (Party party : parties) {
            if (party.pending()) {
                return true;
            }
        }
        return false;
    }

    /** The earliest ring deadline of a still-pending invitee, or 0 when none rings. */
    public long nextDeadline() {
        return parties.stream().filter(Party::pending).mapToLong(Party::expiresAt).min().orElse(0);
    }

    public long durationMs() {
        return answeredAt == 0 ? 0 : Math.max(0, endedAt - answeredAt);
    }

    Call withParty(String user, UnaryOperator<Party> change) {
        List<Party> changed = new ArrayList<>(parties.size());
        for (Party party : parties) {
            changed.add(party.user().equals(user) ? change.apply(party) : party);
        }
        return withParties(changed);
    }

    Call withParties(List<Party> changed) {
        return new Call(id, caller, media, payload, createdAt, state, roomId, answeredAt, changed, endReason, endedBy,
                endedAt);
    }

    Call activated(String newRoomId, long now) {
        return new Call(id, caller, media, payload, createdAt, CallState.ACTIVE, newRoomId, now, parties, null, null, 0);
    }

    Call ended(List<Party> finalParties, EndReason reason, String by, long now) {
        return new Call(id, caller, media, payload, createdAt, CallState.ENDED, roomId, answeredAt, finalParties,
                reason, by, now);
    }

    /** The call as {@code calls.list} reports it. */
    public CallSnapshot snapshot() {
        List<CallSnapshot.Participant> participants = parties.stream()
                .map(p -> new CallSnapshot.Participant(p.user(), p.state(), p.held(), p.connected()))
                .toList();
        return new CallSnapshot(id, caller, media, state, roomId, createdAt, participants);
    }
}
