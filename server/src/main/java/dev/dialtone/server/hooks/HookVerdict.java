package dev.dialtone.server.hooks;

/** What the pre-call hook decided: the call (invite, join, hold) may go ahead, or not. */
public sealed interface HookVerdict {

    /** The business server allowed it, or no hook is configured, or the hook failed open. */
    record Allow() implements HookVerdict {
    }

    /**
     * Not allowed. Becomes a {@code denied} error for the client, carrying {@code hookCode}.
     *
     * @param hookCode the business server's code (e.g. {@code CARD_EXPIRED}); null when the hook
     *                 could not be reached or gave no usable answer and the hook fails closed
     * @param message  for people: the business server's message, or (hook failure) a plain
     *                 sentence saying the business server is unavailable; may be null
     */
    record Deny(String hookCode, String message) implements HookVerdict {
        /** True when the business server did not decide: the hook failed and fails closed. */
        public boolean hookFailed() {
            return hookCode == null;
        }
    }

    HookVerdict ALLOW = new Allow();

    static HookVerdict allow() {
        return ALLOW;
    }

    static HookVerdict deny(String hookCode, String message) {
        return new Deny(hookCode, message);
    }
}
