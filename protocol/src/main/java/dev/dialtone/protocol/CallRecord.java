package dev.dialtone.protocol;

import java.util.List;

/**
 * The record of one ended call, as stored, as {@code calls.history} returns it, as the admin API
 * serves it and as the {@code call.ended} webhook carries it.
 *
 * <pre>{@code
 * {"callId":"c-…","caller":"alice","invitees":[{"user":"bob","outcome":"answered"}],"media":"video",
 *  "createdAt":1767225600000,"answeredAt":1767225603000,"endedAt":1767225661000,"endReason":"hangup",
 *  "endedBy":"bob","durationMs":58000,"roomId":"r-…","outcome":"outgoing"}
 * }</pre>
 *
 * @param answeredAt epoch ms when the call became active; null if it never did
 * @param endedBy    the user who caused the end; null when nobody did (timeout, server)
 * @param roomId     null if the call never became active
 * @param outcome    how the call went for the user who asked ({@code calls.history}); null elsewhere
 */
public record CallRecord(String callId, String caller, List<Invitee> invitees, Media media, long createdAt,
                         Long answeredAt, long endedAt, EndReason endReason, String endedBy, long durationMs,
                         String roomId, CallOutcome outcome) {

    public CallRecord {
        invitees = List.copyOf(invitees);
    }

    /** One invitee and how the call went for them. */
    public record Invitee(String user, CallOutcome outcome) {
    }

    /** Whether the user took part: the caller or an invitee. */
    public boolean involves(String user) {
        return caller.equals(user) || invitees.stream().anyMatch(i -> i.user().equals(user));
    }

    /** This record as seen by one user: with {@code outcome} set for them. */
    public CallRecord forUser(String user) {
        CallOutcome mine = caller.equals(user) ? CallOutcome.OUTGOING : invitees.stream()
                .filter(i -> i.user().equals(user)).map(Invitee::outcome).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(user + " has no part in call " + callId));
        return new CallRecord(callId, caller, invitees, media, createdAt, answeredAt, endedAt, endReason, endedBy,
                durationMs, roomId, mine);
    }
}
