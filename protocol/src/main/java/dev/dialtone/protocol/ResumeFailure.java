package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Why a {@code resume} failed. */
public enum ResumeFailure implements WireEnum {
    /** The session existed but its resume window has passed. */ EXPIRED,
    /** No such session. */ UNKNOWN,
    /** The resume token or lastSeq does not match the session. */ INVALID;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static ResumeFailure fromWire(String wire) {
        return WireEnum.fromWire(ResumeFailure.class, wire);
    }
}
