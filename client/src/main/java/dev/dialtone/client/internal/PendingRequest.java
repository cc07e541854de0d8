package dev.dialtone.client.internal;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.ServerFrame;

/**
 * A command sent and not answered yet, kept by id in {@link SessionState} until its {@code ok} or
 * {@code error} arrives, it times out, or the session ends. Guarded by ClientCore's lock.
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
     * re-sent id with its original reply). False for pings, whose only use is the connection they
     * were sent on.
     */
    final boolean resendOnResume;
    Scheduler.Cancellable timeout;

    PendingRequest(Command command, Handler handler, boolean resendOnResume) {
        this.command = command;
        this.handler = handler;
        this.resendOnResume = resendOnResume;
    }

    void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel();
            timeout = null;
        }
    }
}
