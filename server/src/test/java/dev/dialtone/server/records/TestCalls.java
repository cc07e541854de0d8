package dev.dialtone.server.records;

import dev.dialtone.protocol.CallOutcome;
import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.CallRecord.Invitee;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import java.util.List;

/** Call records for tests: plausible values derived from the few that a test cares about. */
final class TestCalls {
    /** How long every test call lasts from creation to end. */
    static final long LENGTH_MS = 60_000;

    private TestCalls() {
    }

    static Invitee invitee(String user, CallOutcome outcome) {
        return new Invitee(user, outcome);
    }

    /** A call created at {@code createdAt} that ended {@link #LENGTH_MS} later; answered if any invitee answered. */
    static CallRecord call(String callId, long createdAt, String caller, Invitee... invitees) {
        boolean answered = List.of(invitees).stream().anyMatch(i -> i.outcome() == CallOutcome.ANSWERED);
        return call(callId, createdAt, caller, answered ? EndReason.HANGUP : EndReason.NO_ANSWER, invitees);
    }

    static CallRecord call(String callId, long createdAt, String caller, EndReason reason, Invitee... invitees) {
        boolean answered = List.of(invitees).stream().anyMatch(i -> i.outcome() == CallOutcome.ANSWERED);
        long endedAt = createdAt + LENGTH_MS;
        Long answeredAt = answered ? createdAt + 2_000 : null;
        return new CallRecord(callId, caller, List.of(invitees), Media.AUDIO, createdAt, answeredAt, endedAt, reason,
                answered ? caller : null, answered ? endedAt - answeredAt : 0, answered ? "r-" + callId : null, null);
    }

    /** A one-to-one call from alice to bob, answered: the filler of writer tests. */
    static CallRecord simple(String callId) {
        return call(callId, 1_000, "alice", invitee("bob", CallOutcome.ANSWERED));
    }
}
