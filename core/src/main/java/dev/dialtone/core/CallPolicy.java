package dev.dialtone.core;

/**
 * The server's call policy, fixed at start.
 *
 * @param busyPolicy         rule 2: reject or call waiting
 * @param holdAllowed        rule 8: whether {@code call.hold} is allowed at all
 * @param defaultRingTimeoutMs ring timeout when the invite names none
 */
public record CallPolicy(BusyPolicy busyPolicy, boolean holdAllowed, long defaultRingTimeoutMs) {
    public static final CallPolicy DEFAULT = new CallPolicy(BusyPolicy.REJECT, true, 30_000);

    public CallPolicy {
        if (busyPolicy == null) {
            throw new IllegalArgumentException("busyPolicy is required");
        }
        if (defaultRingTimeoutMs <= 0) {
            throw new IllegalArgumentException("defaultRingTimeoutMs must be positive");
        }
    }
}
