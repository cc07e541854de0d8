package dev.dialtone.server.session;

import dev.dialtone.core.Presence;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.server.auth.RoomAccess;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All sessions of this server, by id and by user: opening (with replacement of an older login of
 * the same user and device), detaching, resuming, expiring and ending. Thread-safe without a global
 * lock: concurrent maps, and each session guards itself.
 */
public final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    private static final int REMEMBERED_ENDINGS = 10_000;

    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger attached = new AtomicInteger();
    private final AtomicInteger detached = new AtomicInteger();
    /** Ids of sessions that ended, so a late resume hears "expired" rather than "unknown". */
    private final Map<String, Boolean> recentlyEnded = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_ENDINGS;
        }
    };
    private final SecureRandom random = new SecureRandom();
    private final Scheduler scheduler;
    private final long resumeWindowMs;
    private final int replayLimit;
    private volatile SessionListener listener = new SessionListener() { };

    public SessionRegistry(Scheduler scheduler, long resumeWindowMs, int replayLimit) {
        this.scheduler = scheduler;
        this.resumeWindowMs = resumeWindowMs;
        this.replayLimit = replayLimit;
    }

    public void listener(SessionListener value) {
        listener = value;
    }

    /**
     * Opens a session for a freshly authenticated socket. An older session of the same user and
     * device is replaced: its socket is closed with 4409 and it ends as lost. {@code firstFrame}
     * (the auth reply) is sent before the session becomes visible to anyone else.
     */
    public Session open(String user, String device, RoomAccess rooms, Session.Outlet outlet,
                        Function<Session, String> firstFrame) {
        for (Session old : ofUser(user)) {
            if (old.device().equals(device)) {
                log.info("session {} of {} on {} replaced by a newer login", old.id(), user, device);
                end(old, true, CloseCodes.REPLACED, "replaced by a newer login of the same device");
            }
        }
        Session session = new Session("s-" + randomId(), user, device, rooms, randomId(), replayLimit, outlet);
        session.onOverflow(s -> {
            log.warn("session {} of {} overflowed its replay buffer while detached; ending it", s.id(), s.user());
            end(s, true, 0, null);
        });
        // The auth reply goes out before the session can be found, so no event can overtake it.
        outlet.send(firstFrame.apply(session));
        byId.put(session.id(), session);
        byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(session);
        attached.incrementAndGet();
        listener.opened(session);
        return session;
    }

    /** The socket of an attached session closed without logout: keep the session for the window. */
    public void detach(Session session, Session.Outlet from) {
        long generation = session.detach(from);
        if (generation < 0) {
            return;
        }
        attached.decrementAndGet();
        detached.incrementAndGet();
        listener.detached(session);
        scheduler.schedule(resumeWindowMs, () -> {
            if (session.stillDetached(generation)) {
                log.info("session {} of {} was not resumed within {} ms", session.id(), session.user(), resumeWindowMs);
                end(session, true, 0, null);
            }
        });
    }

    /** The outcome of a resume: the session, or why not. */
    public record Resumed(Session session, ResumeFailure failure) {
    }

    /**
     * Re-attaches a session to a new socket. {@code replyFor} builds the ok reply from the number
     * of replayed events; it is sent before the replay.
     */
    public Resumed resume(String sessionId, String token, long lastSeq, Session.Outlet to,
                          Session.ResumeReply replyFor) {
        Session session = byId.get(sessionId);
        if (session == null) {
            boolean ended;
            synchronized (recentlyEnded) {
                ended = recentlyEnded.containsKey(sessionId);
            }
            return new Resumed(null, ended ? ResumeFailure.EXPIRED : ResumeFailure.UNKNOWN);
        }
        if (!session.resumable(token, lastSeq)) {
            // Checked before any takeover, so a resume that cannot succeed disturbs nothing.
            return new Resumed(null, ResumeFailure.INVALID);
        }
        // A socket the server still thinks is alive (half-open after a network change) is taken over.
        Session.Outlet stale = session.attachedOutlet();
        if (stale != null) {
            detach(session, stale);
            stale.close(CloseCodes.REPLACED, "session resumed on another connection");
        }
        Session.ResumeCheck check = session.resume(token, lastSeq, to, randomId(), replyFor);
        return switch (check) {
            case OK -> {
                detached.decrementAndGet();
                attached.incrementAndGet();
                listener.resumed(session);
                yield new Resumed(session, null);
            }
            case INVALID -> new Resumed(null, ResumeFailure.INVALID);
            case ENDED -> new Resumed(null, ResumeFailure.EXPIRED);
        };
    }

    /**
     * Ends a session for good (logout, replacement, expiry). Closes its socket with {@code closeCode}
     * when it has one and the code is not 0.
     */
    public void end(Session session, boolean lost, int closeCode, String reason) {
        Session.Ending ending = session.end();
        if (ending.previous() == Session.State.ENDED) {
            return;
        }
        (ending.previous() == Session.State.ATTACHED ? attached : detached).decrementAndGet();
        byId.remove(session.id());
        byUser.computeIfPresent(session.user(), (user, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
        synchronized (recentlyEnded) {
            recentlyEnded.put(session.id(), Boolean.TRUE);
        }
        if (ending.outlet() != null && closeCode != 0) {
            ending.outlet().close(closeCode, reason);
        }
        listener.ended(session, lost);
    }

    /** Ends every session (server shutdown), closing sockets with {@code closeCode}. */
    public void closeAll(int closeCode, String reason) {
        for (Session session : List.copyOf(byId.values())) {
            Session.Outlet outlet = session.attachedOutlet();
            if (outlet != null) {
                outlet.close(closeCode, reason);
            }
        }
    }

    public Session find(String sessionId) {
        return byId.get(sessionId);
    }

    /** Every live session of a user, attached or detached. */
    public Collection<Session> ofUser(String user) {
        Set<Session> sessions = byUser.get(user);
        return sessions == null ? List.of() : sessions;
    }

    public boolean hasSessions(String user) {
        return !ofUser(user).isEmpty();
    }

    public Presence presence(String user) {
        Collection<Session> sessions = ofUser(user);
        if (sessions.isEmpty()) {
            return Presence.OFFLINE;
        }
        for (Session session : sessions) {
            if (session.state() == Session.State.ATTACHED) {
                return Presence.ATTACHED;
            }
        }
        return Presence.DETACHED;
    }

    public int attachedCount() {
        return attached.get();
    }

    public int detachedCount() {
        return detached.get();
    }

    private String randomId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
