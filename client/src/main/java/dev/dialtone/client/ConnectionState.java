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
 *
 * <p>When a session that could not be resumed was in conference rooms, {@code DISCONNECTED} is
 * followed at once by {@code CONNECTING}: the client signs in afresh by itself to join the rooms
 * again (conference resume; see {@link DialtoneListener#onRoomResumed}).
 */
public enum ConnectionState {
    /**
     * The socket is being opened or the {@code auth} command is in flight; during a conference
     * resume, also the backoff waits between sign-in attempts.
     */
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
