package dev.dialtone.client.internal;

/**
 * One connection attempt, to sign in ({@code auth}) or to resume the session: the socket once it
 * is open, and where its handshake stands. The transport reports to it and it forwards to its
 * {@link Owner} (ClientCore), which ignores reports from a connection that is no longer the
 * current one — that is how a replaced or abandoned socket is told apart. Fields are guarded by
 * ClientCore's lock.
 */
final class Connection implements Transport.Listener {
    /** WebSocket close code for a connection that broke without a close frame. */
    static final int ABNORMAL_CLOSURE = 1006;
    static final int NORMAL_CLOSURE = 1000;

    /** What a connection reports, as the transport reports it (not under the lock). */
    interface Owner {
        void received(Connection from, String text);

        void lost(Connection from, int code, String reason);
    }

    /** How to leave a socket: as it is (already closed), with a close handshake, or dropped at once. */
    enum Leave { AS_IS, CLOSE, ABORT }

    private final Owner owner;
    /** Opened to resume the session (else to sign in). */
    final boolean resuming;
    /** Set once the socket is open. */
    Transport.Link link;
    /** Whether its {@code auth} or {@code resume} succeeded: commands and events flow on it. */
    boolean signedIn;
    /** The id of the {@code resume} sent on it, if any. */
    String resumeId;
    Scheduler.Cancellable resumeTimer;
    /** The seq of the last event replayed after the resume's ok (0: none); acknowledged once processed. */
    long replayedUntil;

    Connection(Owner owner, boolean resuming) {
        this.owner = owner;
        this.resuming = resuming;
    }

    @Override
    public void onText(String text) {
        owner.received(this, text);
    }

    @Override
    public void onClosed(int code, String reason) {
        owner.lost(this, code, reason == null || reason.isEmpty() ? "closed by the server" : reason);
    }

    @Override
    public void onFailure(Throwable error) {
        owner.lost(this, ABNORMAL_CLOSURE, Texts.describe(error));
    }

    void cancelResumeTimer() {
        if (resumeTimer != null) {
            resumeTimer.cancel();
            resumeTimer = null;
        }
    }

    /** Leaves the socket, if it opened: closes it cleanly with {@code reason}, or drops it. */
    void leave(Leave how, String reason) {
        cancelResumeTimer();
        if (link == null) {
            return;
        }
        if (how == Leave.CLOSE) {
            link.close(NORMAL_CLOSURE, Texts.closeReason(reason));
        } else if (how == Leave.ABORT) {
            link.abort();
        }
    }
}
