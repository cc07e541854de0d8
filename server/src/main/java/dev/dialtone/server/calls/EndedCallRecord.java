package dev.dialtone.server.calls;

import dev.dialtone.core.Call;
import dev.dialtone.core.Party;
import dev.dialtone.protocol.CallOutcome;
import dev.dialtone.protocol.CallRecord;
import java.util.Set;

/** Turns an ended call into its record. */
final class EndedCallRecord {
    private EndedCallRecord() {
    }

    /**
     * @param answered the invitees who joined the call at some point; a user who joined, left and
     *                 was invited again counts as having answered whatever came after
     */
    static CallRecord of(Call call, Set<String> answered) {
        var invitees = call.invitees().stream()
                .map(p -> new CallRecord.Invitee(p.user(), outcome(p, answered.contains(p.user()))))
                .toList();
        return new CallRecord(call.id(), call.caller(), invitees, call.media(), call.createdAt(),
                call.answeredAt() == 0 ? null : call.answeredAt(), call.endedAt(), call.endReason(), call.endedBy(),
                call.durationMs(), call.roomId(), null);
    }

    private static CallOutcome outcome(Party party, boolean answered) {
        return CallOutcome.ofInvitee(answered || party.joined(), party.declineReason());
    }
}
