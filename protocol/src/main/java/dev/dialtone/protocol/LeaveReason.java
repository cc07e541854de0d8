package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Why a participant left a group call that goes on, as carried by {@code call.participant_left}. */
public enum LeaveReason implements WireEnum {
    /** The participant hung up. */
    HANGUP,
    /** The participant's session was lost for good. */
    CONNECTION_LOST,
    /** An administrator or the business server removed the participant. */
    FORCED;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static LeaveReason fromWire(String wire) {
        return WireEnum.fromWire(LeaveReason.class, wire);
    }
}
