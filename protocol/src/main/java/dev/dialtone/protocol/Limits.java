package dev.dialtone.protocol;

/** Size and range limits that are part of the protocol contract. */
public final class Limits {
    /** Longest command id a client may choose. */
    public static final int MAX_ID_LENGTH = 64;
    /** Largest invite/accept/decline payload, serialized. */
    public static final int MAX_PAYLOAD_BYTES = 8 * 1024;
    /** Largest {@code call.signal} data, serialized. */
    public static final int MAX_SIGNAL_BYTES = 64 * 1024;
    /** Shortest and longest ring timeout a caller may ask for. */
    public static final int MIN_RING_TIMEOUT_MS = 1_000;
    public static final int MAX_RING_TIMEOUT_MS = 120_000;
    /** Default frame size limit; servers may configure another. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    /** Longest room name. */
    public static final int MAX_ROOM_LENGTH = 128;
    /** Default most invitees of one call (servers may configure another). */
    public static final int DEFAULT_MAX_INVITEES = 16;
    /** Longest user id. */
    public static final int MAX_USER_LENGTH = 128;

    private Limits() {
    }
}
