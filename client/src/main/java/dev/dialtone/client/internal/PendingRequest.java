package dev.dialtone.client.internal;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.ServerFrame;

/**
 * A command waiting for its reply, kept by id in {@link PendingRequests} until its {@code ok} or
 * {@code error} arrives, it times out, or the session ends. A command issued while the client
 * resumes waits here unsent ({@link #sent} false) until the session is resumed. Guarded by
 * ClientCore's lock.
 */
final class PendingRequest {

    /** What to do with the answer. Called under ClientCore's lock; completions go through the EventQueue. */
    interface Handler {
        void ok(ServerFrame.OkFrame ok) throws ProtocolException;

        void failed(DialtoneException error);
    }

    final Command command;
    final Handler handler;
    /**
     * Whether the command should be sent again on a resumed connection (the server answers a
     * re-sent id with its original reply). False for pings and {@code auth}, whose only use is
     * the connection they were sent on.
     */
    final boolean resendOnResume;
    /** Whether it times out after the request timeout (pings do not). */
    final boolean timed;
    /** Whether it went out on a connection (false: queued while resuming). */
    boolean sent;
    Scheduler.Cancellable timeout;
    /** Changes whenever the timeout is cancelled, so that a cancelled task that already started does nothing. */
    long timeoutGeneration;

    PendingRequest(Command command, Handler handler, boolean resendOnResume, boolean timed) {
        this.command = command;
        this.handler = handler;
        this.resendOnResume = resendOnResume;
        this.timed = timed;
    }

    void cancelTimeout() {
        timeoutGeneration++;
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }
}
