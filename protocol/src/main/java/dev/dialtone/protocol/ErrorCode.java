package dev.dialtone.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * Every error code a command can be answered with. One stable table: clients switch on these, and
 * the human text in {@code message} is for people only.
 */
public enum ErrorCode implements WireEnum {
    /** The frame is not a JSON object, has no known type, or a field is missing or invalid. */
    BAD_REQUEST,
    /** Not signed in, or the token is invalid or expired. */
    UNAUTHORIZED,
    /** No such call, or a call the user has no part in (never a hint that it exists). */
    NOT_FOUND,
    /** The call is not in a state that allows the command (including calls that have ended). */
    INVALID_STATE,
    /** The caller already has an outgoing call ringing. */
    BUSY,
    /** Policy or the business server refused; carries {@code hookCode} when a hook decided. */
    DENIED,
    /** Too many commands; slow down. */
    RATE_LIMITED,
    /** Only the user who put the call on hold can unhold it. */
    NOT_HOLDER,
    /** The session could not be resumed; carries {@code reason}. */
    RESUME_FAILED,
    /** The token does not allow this (for example a room outside its {@code rooms} claim). */
    FORBIDDEN,
    /** The room is at capacity. */
    FULL,
    /** Extension: the server failed unexpectedly; the command may be retried. */
    INTERNAL,
    /**
     * Extension: a service the command needs is unavailable for now (call records while the
     * database is unreachable); retry later.
     */
    UNAVAILABLE;

    @Override
    public String wire() {
        return WireEnum.wireName(this);
    }

    /** Parses a wire name; throws {@link IllegalArgumentException} naming the accepted values. */
    @JsonCreator
    public static ErrorCode fromWire(String wire) {
        return WireEnum.fromWire(ErrorCode.class, wire);
    }
}
