package dev.dialtone.client;

import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.ResumeFailure;
import java.time.Duration;
import java.util.Objects;

/**
 * Why a request failed. Every {@link java.util.concurrent.CompletableFuture} the SDK returns fails
 * with this exception (unchecked), never with a bare {@code TimeoutException} or {@code IOException}.
 *
 * <p>{@link #kind()} says where the failure came from; when the server answered with an error,
 * {@link #code()} is the protocol's stable {@link ErrorCode}, so applications switch on it:
 *
 * <pre>{@code
 * client.invite(InviteOptions.to("bob")).exceptionally(error -> {
 *     DialtoneException e = DialtoneException.of(error);
 *     if (e != null && e.code() == ErrorCode.DENIED) {
 *         show("Not allowed: " + e.hookCode());
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>Busy, declined or unanswered calls are not errors: they arrive as
 * {@link DialtoneListener#onDeclined} and {@link DialtoneListener#onEnded} with their reason.
 */
public final class DialtoneException extends RuntimeException {

    /** Where a failure came from. */
    public enum Kind {
        /** The server answered the command with {@code error}; {@link #code()} says which. */
        REJECTED,
        /**
         * No reply within the client's request timeout, or (conference resume,
         * {@link DialtoneListener#onRoomResumeFailed}) a give-up time passed without success.
         * {@link #code()} is null. The server may still have carried the command out (a late
         * {@code call.invite} is hung up by the SDK, a late {@code room.join} is left).
         */
        TIMEOUT,
        /**
         * Not connected when the request was made, the connection ended before the reply, the token
         * supplier failed, or the client was closed. {@link #code()} is null.
         */
        CONNECTION,
        /** The server's reply could not be decoded (client and server disagree on the protocol). */
        PROTOCOL
    }

    private final Kind kind;
    private final String command;
    private final ErrorCode code;
    private final ResumeFailure resumeFailure;
    private final String hookCode;

    private DialtoneException(Kind kind, String command, ErrorCode code, ResumeFailure resumeFailure,
                              String hookCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.command = command;
        this.code = code;
        this.resumeFailure = resumeFailure;
        this.hookCode = hookCode;
    }

    /**
     * The server answered {@code command} with {@code error}.
     *
     * @param code null only for a code this SDK version does not know
     */
    public static DialtoneException rejected(String command, ErrorCode code, String message,
                                             ResumeFailure resumeFailure, String hookCode) {
        String codeName = code == null ? "unknown error" : code.wire();
        return new DialtoneException(Kind.REJECTED, command, code, resumeFailure, hookCode,
                command + " failed: " + codeName + (message == null || message.isEmpty() ? "" : ": " + message)
                        + (hookCode == null ? "" : " (hook code " + hookCode + ")"), null);
    }

    /** No reply to {@code command} within {@code timeout}. */
    public static DialtoneException timeout(String command, Duration timeout) {
        return new DialtoneException(Kind.TIMEOUT, command, null, null, null,
                command + " timed out: no reply from the server within " + timeout.toMillis() + " ms", null);
    }

    /**
     * {@code command} did not succeed within a give-up time ({@link Kind#TIMEOUT}); {@code cause} is
     * the last failure on the way, or null.
     */
    public static DialtoneException gaveUp(String command, String message, Throwable cause) {
        return new DialtoneException(Kind.TIMEOUT, command, null, null, null,
                command + " gave up: " + message + (cause == null || cause.getMessage() == null ? ""
                        : " (last failure: " + cause.getMessage() + ")"), cause);
    }

    /** The request could not be carried over a connection (see {@link Kind#CONNECTION}). */
    public static DialtoneException connection(String command, String message, Throwable cause) {
        return new DialtoneException(Kind.CONNECTION, command, null, null, null,
                command == null ? message : command + " failed: " + message, cause);
    }

    /** The reply to {@code command} could not be decoded. */
    public static DialtoneException protocol(String command, String message) {
        return new DialtoneException(Kind.PROTOCOL, command, null, null, null,
                command + " failed: unreadable reply: " + message, null);
    }

    /**
     * The {@code DialtoneException} behind a future's failure: {@code error} itself, or its cause
     * when the future wrapped it (as {@code join()} and dependent stages do); null when it is none.
     */
    public static DialtoneException of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DialtoneException dialtone) {
                return dialtone;
            }
        }
        return null;
    }

    /** Where the failure came from. */
    public Kind kind() {
        return kind;
    }

    /** The wire type of the failed command, e.g. {@code call.accept}; null when none was involved. */
    public String command() {
        return command;
    }

    /** The server's error code when {@link #kind()} is {@link Kind#REJECTED}; otherwise null. */
    public ErrorCode code() {
        return code;
    }

    /** For {@link ErrorCode#RESUME_FAILED}: why the session could not be resumed; otherwise null. */
    public ResumeFailure resumeFailure() {
        return resumeFailure;
    }

    /** For {@link ErrorCode#DENIED} decided by the business server's hook: its code; otherwise null. */
    public String hookCode() {
        return hookCode;
    }

    /** True for {@link Kind#TIMEOUT}. */
    public boolean isTimeout() {
        return kind == Kind.TIMEOUT;
    }
}
