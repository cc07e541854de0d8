package dev.dialtone.server.session;

/** What the call layer needs to hear about sessions. */
public interface SessionListener {
    /** The socket is gone; the session may resume within the window. */
    void detached(Session session);

    /** A detached session resumed. */
    void resumed(Session session);

    /** The session is gone for good: logged out ({@code lost=false}) or not resumed in time. */
    void ended(Session session, boolean lost);
}
