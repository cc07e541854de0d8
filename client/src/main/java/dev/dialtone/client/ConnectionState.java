package dev.dialtone.client;

/**
 * The state of a {@link DialtoneClient}'s connection, reported to
 * {@link DialtoneListener#onConnectionStateChanged(ConnectionState)} on every change.
 *
 * <pre>
 *   DISCONNECTED --connect()--> CONNECTING --auth ok--> CONNECTED
 *        ^                          |                      |
 *        +------ failure -----------+---- lost / close() / logout() / 4401 / 4409
 * </pre>
 */
public enum ConnectionState {
    /** The socket is being opened or the {@code auth} command is in flight. */
    CONNECTING,
    /** Signed in: commands can be sent and events arrive. */
    CONNECTED,
    /**
     * The connection dropped and the client is resuming the same session (no call or event lost).
     * Reserved for automatic resume; this version of the SDK never enters it.
     */
    RESUMING,
    /** No session: never connected, or the session ended (connection lost, closed, logged out). */
    DISCONNECTED
}
