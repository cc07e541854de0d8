package dev.dialtone.server.calls;

import dev.dialtone.core.Call;
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
        // By the end nobody is joined any more: whether an invitee answered comes from the history.
        var invitees = call.invitees().stream()
                .map(p -> new CallRecord.Invitee(p.user(),
                        CallOutcome.ofInvitee(answered.contains(p.user()), p.declineReason())))
                .toList();
        return new CallRecord(call.id(), call.caller(), invitees, call.media(), call.createdAt(),
                call.answeredAt() == 0 ? null : call.answeredAt(), call.endedAt(), call.endReason(), call.endedBy(),
                call.durationMs(), call.roomId(), null);
    }
}
