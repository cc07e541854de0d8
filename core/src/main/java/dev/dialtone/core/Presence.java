package dev.dialtone.core;

/** Whether a user can be reached: what the session registry knows about a user's devices. */
public enum Presence {
    /** No session at all. */
    OFFLINE,
    /** Only detached sessions (reconnecting): the invite waits in their replay buffers. */
    DETACHED,
    /** At least one attached session: the invite is delivered now. */
    ATTACHED
}
