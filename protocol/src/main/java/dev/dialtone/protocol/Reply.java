package dev.dialtone.protocol;

/** The server's answer to one command. Replies carry {@code re} (the command's id) and no seq. */
public sealed interface Reply {

    /** The command's id; null when a malformed frame had none. */
    String re();

    /** {@code {"type":"ok","re":"<id>", …result fields}} */
    record Ok(String re, Result result) implements Reply {
    }

    /**
     * {@code {"type":"error","re":"<id>","code":"invalid_state","message":"call c-1 has ended (canceled)"}}
     * — {@code reason} is set for {@code resume_failed}, {@code hookCode} for hook denials.
     */
    record Error(String re, ErrorCode code, String message, ResumeFailure reason, String hookCode) implements Reply {
        public Error(String re, ErrorCode code, String message) {
            this(re, code, message, null, null);
        }
    }

    static Reply ok(String re) {
        return new Ok(re, Result.Empty.INSTANCE);
    }

    static Reply ok(String re, Result result) {
        return new Ok(re, result);
    }

    static Reply error(String re, ErrorCode code, String message) {
        return new Error(re, code, message);
    }
}
