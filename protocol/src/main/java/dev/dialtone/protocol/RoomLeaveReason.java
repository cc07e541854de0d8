package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Why a participant left a room, as carried by {@code room.participant_left}. */
public enum RoomLeaveReason implements WireEnum {
    /** The participant left the room. */
    LEFT,
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
    public static RoomLeaveReason fromWire(String wire) {
        return WireEnum.fromWire(RoomLeaveReason.class, wire);
    }
}
