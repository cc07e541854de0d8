package dev.dialtone.core;

/**
 * The server's call policy, fixed at start.
 *
 * @param busyPolicy         rule 2: reject or call waiting
 * @param holdAllowed        rule 8: whether {@code call.hold} is allowed at all
 * @param defaultRingTimeoutMs ring timeout when the invite names none
 * @param maxInvitees          most users one call may invite, all invites together
 */
public record CallPolicy(BusyPolicy busyPolicy, boolean holdAllowed, long defaultRingTimeoutMs, int maxInvitees) {
    public static final CallPolicy DEFAULT = new CallPolicy(BusyPolicy.REJECT, true, 30_000, 16);

    public CallPolicy {
        if (busyPolicy == null) {
            throw new IllegalArgumentException("busyPolicy is required");
        }
        if (maxInvitees < 1) {
            throw new IllegalArgumentException("maxInvitees must be at least 1");
        }
        if (defaultRingTimeoutMs <= 0) {
            throw new IllegalArgumentException("defaultRingTimeoutMs must be positive");
        }
    }
}
