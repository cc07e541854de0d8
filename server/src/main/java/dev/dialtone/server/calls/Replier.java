package dev.dialtone.server.calls;

import dev.dialtone.protocol.Reply;

/** Answers one command exactly once. */
@FunctionalInterface
public interface Replier {
    void reply(Reply reply);

    /** A replier that passes on only the first reply, so a failure after the answer adds nothing. */
    static Replier once(Replier replier) {
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        return reply -> {
            if (answered.compareAndSet(false, true)) {
                replier.reply(reply);
            }
        };
    }

    /** The answer to a command whose handling failed unexpectedly. */
    static Reply internal(String commandId, String type) {
        return Reply.error(commandId, dev.dialtone.protocol.ErrorCode.INTERNAL,
                "the server failed to carry out " + type + "; it is safe to retry with a new id");
    }
}
