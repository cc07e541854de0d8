package dev.dialtone.protocol;

/** WebSocket close codes of the protocol. */
public final class CloseCodes {
    /** The server is shutting down; clients resume elsewhere. */
    public static final int GOING_AWAY = 1001;
    /** Too many malformed frames in a row. */
    public static final int TOO_MANY_BAD_FRAMES = 4400;
    /** Authentication missing, failed or expired (also: no first frame within the deadline). */
    public static final int UNAUTHORIZED = 4401;
    /**
     * Extension: the socket stayed silent for two heartbeat intervals; its session is detached and
     * can be resumed.
     */
    public static final int HEARTBEAT_MISSED = 4408;
    /** The session was replaced by a newer login of the same user and device. */
    public static final int REPLACED = 4409;
    /** Rate limit exceeded. */
    public static final int RATE_LIMITED = 4429;

    private CloseCodes() {
    }
}
