package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Why an invitee did not join, as carried by {@code call.declined}. Clients may send only {@code refused} and {@code busy}. */
public enum DeclineReason implements WireEnum {
    REFUSED,
    BUSY,
    NO_ANSWER,
    OFFLINE;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static DeclineReason fromWire(String wire) {
        return WireEnum.fromWire(DeclineReason.class, wire);
    }
}
