/**
 * Implementation of the Dialtone SDK; not API. {@link dev.dialtone.client.internal.ClientCore}
 * runs the connection and the session (sign-in, loss, automatic resume, end) and takes in the
 * server's frames; {@link dev.dialtone.client.internal.CallRouter} turns events and command
 * results into call changes and callbacks, {@link dev.dialtone.client.internal.CallCommands}
 * builds the call commands; {@link dev.dialtone.client.internal.RoomRouter} does the same for
 * conference rooms and their conference resume; {@link dev.dialtone.client.internal.SessionState} is what a resume
 * needs, with its {@link dev.dialtone.client.internal.PendingRequests};
 * {@link dev.dialtone.client.internal.Reconnector} schedules resume attempts;
 * {@link dev.dialtone.client.internal.Heartbeat} and {@link dev.dialtone.client.internal.AckBatcher}
 * keep the connection alive and the server's replay buffer short. All of them are guarded by one
 * lock ({@link dev.dialtone.client.internal.ClientLock});
 * {@link dev.dialtone.client.internal.Transport} is the replaceable connection;
 * {@link dev.dialtone.client.internal.EventQueue} serializes callbacks.
 */
package dev.dialtone.client.internal;
