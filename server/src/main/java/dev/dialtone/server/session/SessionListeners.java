package dev.dialtone.server.session;

import java.util.List;

/** Several listeners heard in order: calls, then rooms. */
public final class SessionListeners implements SessionListener {
    private final List<SessionListener> listeners;

    public SessionListeners(SessionListener... listeners) {
        this.listeners = List.of(listeners);
    }

    @Override
    public void opened(Session session) {
        listeners.forEach(l -> l.opened(session));
    }

    @Override
    public void detached(Session session) {
        listeners.forEach(l -> l.detached(session));
    }

    @Override
    public void resumed(Session session) {
        listeners.forEach(l -> l.resumed(session));
    }

    @Override
    public void ended(Session session, boolean lost) {
        listeners.forEach(l -> l.ended(session, lost));
    }
}
