package dev.dialtone.client;

/**
 * The state of a {@link DialtoneClient}'s connection, reported to
 * {@link DialtoneListener#onConnectionStateChanged(ConnectionState)} on every change.
 *
 * <pre>
 *   DISCONNECTED --connect()--> CONNECTING --auth ok--> CONNECTED
 *        ^                          |                    |     ^
 *        |                          |   connection lost, |     | resumed
 *        |                          |   networkChanged() v     |
 *        |                          |                   RESUMING
 *        |                          |                    |
 *        +--------------------------+--------------------+
 *      sign-in failed; close(), logout(); close codes 4400, 4401, 4409, 4429;
 *      resume_failed or the give-up time passed (from RESUMING)
 * </pre>
 */
public enum ConnectionState {
    /** The socket is being opened or the {@code auth} command is in flight. */
    CONNECTING,
    /** Signed in: commands can be sent and events arrive. */
    CONNECTED,
    /**
     * The connection dropped and the client is resuming the same session on a new connection (no
     * call or event lost). Commands wait for the resume; see
     * {@link DialtoneListener#onResuming()}.
     */
    RESUMING,
    /** No session: never connected, or the session ended (connection lost, closed, logged out). */
    DISCONNECTED
}
