package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Why a call ended, as carried by {@code call.ended}. Busy and no-answer are end reasons, not errors. */
public enum EndReason implements WireEnum {
    /** A user hung up (or the last invitee left a group call). */ HANGUP,
    /** The caller canceled before anyone answered. */ CANCELED,
    /** Every invitee refused (or declined for different reasons). */ DECLINED,
    /** Every invitee was busy. */ BUSY,
    /** Nobody answered before the ring timeout. */ NO_ANSWER,
    /** No invitee had a session. */ OFFLINE,
    /** An administrator or the business server ended the call. */ FORCED,
    /** A participant's session was lost for good (the resume window passed). */ CONNECTION_LOST,
    /** An unhold could not be carried out because the other side is gone for good. */ UNHOLD_FAILED;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static EndReason fromWire(String wire) {
        return WireEnum.fromWire(EndReason.class, wire);
    }
}
