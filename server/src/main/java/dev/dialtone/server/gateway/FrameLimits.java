package dev.dialtone.server.gateway;

/** Per-connection limits: frame size, malformed frames in a row, and a command rate. */
final class FrameLimits {
    private final int maxFrameBytes;
    private final int maxBadFrames;
    private final int commandsPerSecond;
    private int badInARow;
    private long windowStart;
    private int commandsInWindow;
    private int rejectedInARow;

    FrameLimits(int maxFrameBytes, int maxBadFrames, int commandsPerSecond) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxBadFrames = maxBadFrames;
        this.commandsPerSecond = commandsPerSecond;
    }

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** Whether a text frame fits the size limit, counted in UTF-8 bytes as on the wire. */
    boolean fits(String text) {
        if (text.length() * 3L <= maxFrameBytes) {
            return true;
        }
        if (text.length() > maxFrameBytes) {
            return false;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes <= maxFrameBytes;
    }

    /** Counts a malformed frame; true when the connection should now be closed (4400). */
    boolean badFrame() {
        return ++badInARow >= maxBadFrames;
    }

    void goodFrame() {
        badInARow = 0;
    }

    /**
     * Admits a command under the rate limit (a one-second window). Returns 0 to admit, 1 to refuse
     * with {@code rate_limited}, 2 when the client ignores refusals and must be closed (4429).
     */
    int admit(long nowMillis) {
        if (nowMillis - windowStart >= 1000) {
            windowStart = nowMillis;
            commandsInWindow = 0;
        }
        if (++commandsInWindow <= commandsPerSecond) {
            rejectedInARow = 0;
            return 0;
        }
        return ++rejectedInARow > commandsPerSecond ? 2 : 1;
    }
}
