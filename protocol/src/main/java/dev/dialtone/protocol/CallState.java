package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The state of a call as a whole. */
public enum CallState implements WireEnum {
    RINGING,
    ACTIVE,
    ENDED;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static CallState fromWire(String wire) {
        return WireEnum.fromWire(CallState.class, wire);
    }
}
