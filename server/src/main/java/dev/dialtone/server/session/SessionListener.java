package dev.dialtone.server.session;

/** What the call layer needs to hear about sessions. Every method does nothing unless overridden. */
public interface SessionListener {
    /** A new session signed in (not a resume); it is registered and its auth reply sent. */
    default void opened(Session session) {
    }

    /** The socket is gone; the session may resume within the window. */
    default void detached(Session session) {
    }

    /** A detached session resumed. */
    default void resumed(Session session) {
    }

    /** The session is gone for good: logged out ({@code lost=false}) or not resumed in time. */
    default void ended(Session session, boolean lost) {
    }
}
