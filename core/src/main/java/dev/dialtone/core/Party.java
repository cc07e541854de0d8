package dev.dialtone.core;

import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.ParticipantState;

/**
 * One user's part in a call. The caller is a party too, joined from the start.
 *
 * @param user          the user id
 * @param state         invited → ringing → joined → left, or → declined
 * @param session       the session (device) the user joined from; null until joined
 * @param held          whether this user has the call on hold (their own side only, rule 8)
 * @param connected     false while the joined session is detached (reconnecting)
 * @param expiresAt     when an invitee's ringing times out (epoch ms); 0 for the caller
 * @param waiting       the invitee was already in a call and rings under the call-waiting policy
 * @param declineReason why a declined invitee did not join; null when the call ended while it rang
 */
public record Party(String user, ParticipantState state, String session, boolean held, boolean connected,
                    long expiresAt, boolean waiting, DeclineReason declineReason) {

    static Party caller(String user, String session) {
        return new Party(user, ParticipantState.JOINED, session, false, true, 0, false, null);
    }

    static Party invitee(String user, boolean delivered, long expiresAt, boolean waiting) {
        return new Party(user, delivered ? ParticipantState.RINGING : ParticipantState.INVITED, null, false, true,
                expiresAt, waiting, null);
    }

    /** Still being rung: invited or ringing. */
    public boolean pending() {
        return state == ParticipantState.INVITED || state == ParticipantState.RINGING;
    }

    public boolean joined() {
        return state == ParticipantState.JOINED;
    }

    Party delivered() {
        return new Party(user, ParticipantState.RINGING, session, held, connected, expiresAt, waiting, declineReason);
    }

    Party joinedFrom(String joinedSession) {
        return new Party(user, ParticipantState.JOINED, joinedSession, false, true, expiresAt, waiting, null);
    }

    Party declined(DeclineReason reason) {
        return new Party(user, ParticipantState.DECLINED, session, false, connected, expiresAt, waiting, reason);
    }

    Party left() {
        return new Party(user, ParticipantState.LEFT, session, false, connected, expiresAt, waiting, declineReason);
    }

    Party withHeld(boolean value) {
        return new Party(user, state, session, value, connected, expiresAt, waiting, declineReason);
    }

    Party withConnected(boolean value) {
        return new Party(user, state, session, held, value, expiresAt, waiting, declineReason);
    }
}
