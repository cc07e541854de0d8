package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The state of one user in a call. */
public enum ParticipantState implements WireEnum {
    /** Invited, but the invite has not reached any of the user's devices yet. */ INVITED,
    /** The invite reached at least one device. */ RINGING,
    /** In the call (the caller is joined from the start). */ JOINED,
    /** Declined, missed (no answer), busy or offline. */ DECLINED,
    /** Was joined and hung up or was lost. */ LEFT;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static ParticipantState fromWire(String wire) {
        return WireEnum.fromWire(ParticipantState.class, wire);
    }
}
