package dev.dialtone.core;

/**
 * What the server found out about one invitee before the call is created (rules 2 and 3): its
 * availability, and whether the invite reaches an attached device right away.
 */
public record Invitation(String user, Availability availability, boolean delivered) {

    public enum Availability {
        /** Free: ring. */
        FREE,
        /** In another call, and the policy is call waiting: ring with {@code waiting: true}. */
        WAITING,
        /** In another call, and the policy is reject: declined at once with {@code busy}. */
        BUSY,
        /** No session at all: declined at once with {@code offline}. */
        OFFLINE
    }
}
