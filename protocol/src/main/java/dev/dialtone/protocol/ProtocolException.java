package dev.dialtone.protocol;

/** A frame that cannot be decoded; {@link #re()} is the command id when one could be read. */
public final class ProtocolException extends Exception {
    private final String re;

    public ProtocolException(String re, String message) {
        super(message, null, false, false);
        this.re = re;
    }

    /** The command's id, or null when the frame had none. */
    public String re() {
        return re;
    }
}
