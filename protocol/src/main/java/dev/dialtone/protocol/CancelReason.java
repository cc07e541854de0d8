package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Why a device stopped ringing without acting itself, as carried by {@code call.canceled}. */
public enum CancelReason implements WireEnum {
    /** The caller canceled (or the call ended before this invitee answered). */ CANCELED,
    /** The ring timeout passed. */ NO_ANSWER,
    /** Another device of the same user accepted. */ ANSWERED_ELSEWHERE,
    /** Another device of the same user declined. */ DECLINED_ELSEWHERE;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static CancelReason fromWire(String wire) {
        return WireEnum.fromWire(CancelReason.class, wire);
    }
}
