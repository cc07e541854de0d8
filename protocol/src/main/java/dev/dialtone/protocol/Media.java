package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The media a call is placed with. */
public enum Media implements WireEnum {
    AUDIO,
    VIDEO;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static Media fromWire(String wire) {
        return WireEnum.fromWire(Media.class, wire);
    }
}
