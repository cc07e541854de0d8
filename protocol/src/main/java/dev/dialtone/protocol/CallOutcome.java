package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * How a call went for one user, as {@code calls.history} reports it: the caller's calls are
 * {@code outgoing}; an invitee answered it (on any device), missed it (no answer, offline, or the
 * call stopped ringing before they acted), declined it, or was busy.
 */
public enum CallOutcome implements WireEnum {
    OUTGOING, ANSWERED, MISSED, DECLINED, BUSY;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    @JsonCreator
    public static CallOutcome fromWire(String wire) {
        return WireEnum.fromWire(CallOutcome.class, wire);
    }

    /**
     * An invitee's outcome from how their ringing ended: joined at some point, or the reason
     * they did not ({@code null} when the call stopped ringing before they acted).
     */
    public static CallOutcome ofInvitee(boolean joined, DeclineReason declineReason) {
        if (joined) {
            return ANSWERED;
        }
        if (declineReason == null) {
            return MISSED;
        }
        return switch (declineReason) {
            case REFUSED -> DECLINED;
            case BUSY -> BUSY;
            case NO_ANSWER, OFFLINE -> MISSED;
        };
    }
}
