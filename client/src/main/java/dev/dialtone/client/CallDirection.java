package dev.dialtone.client;

/** Whether this client placed a call or was invited to it. */
public enum CallDirection {
    /** Placed by this client with {@link DialtoneClient#invite(InviteOptions)}. */
    OUTGOING,
    /** Received as {@code call.incoming}: another user invited this client's user. */
    INCOMING
}
