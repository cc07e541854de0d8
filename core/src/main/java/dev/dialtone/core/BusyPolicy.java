package dev.dialtone.core;

/** What happens to an invite for a user who is already in a call (rule 2). */
public enum BusyPolicy {
    /** Decline at once with reason {@code busy} (default). */
    REJECT,
    /** Ring anyway; {@code call.incoming} carries {@code waiting: true}. */
    WAITING
}
