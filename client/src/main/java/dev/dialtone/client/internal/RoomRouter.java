package dev.dialtone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ProtocolException;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import dev.dialtone.protocol.WireCodec;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The conference rooms of this client: the {@code room.join} / {@code room.leave} commands, the
 * routing of room events to their {@link RealRoom} (each change queued on the {@link EventQueue} as
 * one task that updates the room's view and then calls the listener), and the rooms' side of the
 * conference resume.
 *
 * <p><b>Conference resume.</b> When a session cannot be resumed, ClientCore asks {@link #suspend}
 * whether there are rooms to save; if so each becomes {@link Phase#RECOVERING} (it keeps its
 * handle, which becomes the {@code originalHandle}), ClientCore signs in afresh and calls
 * {@link #rejoin()}, which sends {@code room.join} with the original handle for each
 * ({@link Phase#REJOINING}). Its {@code ok} makes the room {@link Phase#JOINED} again with its new
 * handle ({@code onRoomResumed}); {@code forbidden}, {@code full}, {@code denied} (and any other
 * refusal that a retry would not change) give it up ({@code onRoomResumeFailed}, {@code onRoomLeft});
 * a timeout, {@code internal} or {@code rate_limited} is retried after a backoff wait
 * ({@link Recovery#retryLater()}); {@link #giveUp} gives up on every room still recovering. A
 * re-join answered after its room was given up (or left) is left at once.
 *
 * <p>Threading: every method but {@link #rooms()} runs under ClientCore's lock ({@link #leave}
 * takes it). {@code visible} is written only by EventQueue tasks and read from any thread.
 */
final class RoomRouter {
    private static final System.Logger log = System.getLogger(RoomRouter.class.getName());
    /** Most events kept for rooms whose join is not answered yet. */
    static final int MAX_EARLY_EVENTS = 256;

    /** Where a room stands on the server. */
    enum Phase {
        /** In the room, under {@code handle}, in the current session. */
        JOINED,
        /** The session was lost for good: waiting to send the re-join (sign-in, or a backoff wait). */
        RECOVERING,
        /** The re-join ({@code room.join} with {@code originalHandle}) waits for its reply. */
        REJOINING
    }

    /** What ClientCore does for the conference resume. Called under the lock. */
    interface Recovery {
        /** A re-join failed in a way a retry may fix: call {@link #rejoin()} again after a backoff wait. */
        void retryLater();

        /** No room waits for its conference resume any more. */
        void settled();
    }

    /** A room this client is in, with what only the router needs. Guarded by the lock. */
    private static final class Tracked {
        final RealRoom room;
        /** The join's payload, sent again with the re-join. */
        final JsonNode payload;
        /** The current handle: the original one while recovering. */
        String handle;
        Phase phase = Phase.JOINED;
        /** A {@code room.leave} was sent. */
        boolean leaving;

        Tracked(RealRoom room, String handle, JsonNode payload) {
            this.room = room;
            this.handle = handle;
            this.payload = payload;
        }

        String name() {
            return room.name();
        }
    }

    private final Requester requester;
    private final ClientLock lock;
    private final EventQueue events;
    private final DialtoneListener listener;
    private final Recovery recovery;
    private final WireCodec codec = WireCodec.get();
    /** The rooms this client is in, by name, in joining order. Guarded by the lock. */
    private final Map<String, Tracked> rooms = new LinkedHashMap<>();
    /** Rooms the application was told about and not yet told left. Written only by EventQueue tasks. */
    private final Map<String, RealRoom> visible = Collections.synchronizedMap(new LinkedHashMap<>());
    /**
     * Events about a room whose {@code room.join} waits for its reply: after a resume, replayed
     * events can precede the reply to the re-sent join. Routed after the reply, dropped if it fails.
     */
    private final Map<String, List<ServerFrame.EventFrame>> early = new HashMap<>();
    private int earlyCount;
    /** The last failure of the conference resume under way (for the give-up's message). */
    private DialtoneException lastFailure;

    RoomRouter(Requester requester, ClientLock lock, EventQueue events, DialtoneListener listener,
               Recovery recovery) {
        this.requester = requester;
        this.lock = lock;
        this.events = events;
        this.listener = listener;
        this.recovery = recovery;
    }

    /** The rooms the application was told about and not yet told left, in joining order. */
    List<Room> rooms() {
        synchronized (visible) {
            return List.copyOf(visible.values());
        }
    }

    // ---- commands ------------------------------------------------------------------------------

    CompletableFuture<Room> join(String name, JsonNode payload) {
        JsonNode kept = payload == null ? null : payload.deepCopy();
        return requester.request(id -> new Command.RoomJoin(id, name, kept, null),
                (future, session) -> new Requester.Answer<Room>(future) {
                    @Override
                    public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                        joined(name, kept, codec.result(ok, Result.RoomJoin.class), future, session);
                    }

                    @Override
                    public void failed(DialtoneException error) {
                        super.failed(error);
                        dropEarly(name);
                    }
                });
    }

    private void joined(String name, JsonNode payload, Result.RoomJoin result, ClientFuture<Room> future,
                        SessionState session) {
        Tracked tracked = rooms.get(name);
        if (tracked == null) {
            List<RoomParticipant> others = others(result);
            RealRoom room = new RealRoom(this, name, result.handle(), others);
            rooms.put(name, new Tracked(room, result.handle(), payload));
            log.log(Level.INFO, "joined room {0} as {1} ({2,number,#} others)", name, result.handle(), others.size());
            events.add(() -> {
                visible.put(name, room);
                future.complete(room);
            });
        } else if (tracked.phase == Phase.JOINED) {
            // Joined twice from one session: the server answers with the same handle; the events
            // already keep the participants up to date.
            RealRoom room = tracked.room;
            events.add(() -> future.complete(room));
        } else {
            // The application joined a room whose conference resume was under way: that settles it.
            resumed(tracked, result);
            RealRoom room = tracked.room;
            events.add(() -> future.complete(room));
        }
        routeEarly(name, session);
    }

    /**
     * Leaves the room: {@code room.leave}, or, while its conference resume is under way, just
     * here (the server has no place for this client to leave).
     */
    CompletableFuture<Void> leave(RealRoom room) {
        return lock.call(() -> {
            String name = room.name();
            Tracked tracked = rooms.get(name);
            if (tracked == null || tracked.room != room) {
                ClientFuture<Void> failed = new ClientFuture<>(events);
                failed.failInOrder(DialtoneException.rejected("room.leave", ErrorCode.NOT_FOUND,
                        "this client already left room " + name, null, null));
                return failed;
            }
            if (tracked.phase != Phase.JOINED) {
                log.log(Level.INFO, "left room {0} during its conference resume", name);
                ClientFuture<Void> done = new ClientFuture<>(events);
                done.completeInOrder(null);
                rooms.remove(name);
                reportLeft(room);
                settledIfDone();
                return done;
            }
            return requester.request(id -> new Command.RoomLeave(id, name),
                    (future, session) -> {
                        tracked.leaving = true;
                        return new Requester.Answer<Void>(future) {
                            @Override
                            public void ok(ServerFrame.OkFrame ok) {
                                future.completeInOrder(null);
                                leftHere(tracked);
                            }

                            @Override
                            public void failed(DialtoneException error) {
                                super.failed(error);
                                if (error.code() == ErrorCode.NOT_FOUND) {
                                    leftHere(tracked); // the server says this client is not in it
                                } else if (error.kind() != DialtoneException.Kind.CONNECTION) {
                                    tracked.leaving = false;
                                }
                            }
                        };
                    });
        });
    }

    private void leftHere(Tracked tracked) {
        if (rooms.get(tracked.name()) == tracked) {
            rooms.remove(tracked.name());
            log.log(Level.INFO, "left room {0}", tracked.name());
            reportLeft(tracked.room);
        }
    }

    // ---- events ----------------------------------------------------------------------------------

    /** Routes a room event (its seq already taken) to its room. */
    void route(ServerFrame.EventFrame frame, SessionState session) {
        Event.RoomEvent event = (Event.RoomEvent) frame.event();
        String name = event.room();
        Tracked tracked = rooms.get(name);
        if (tracked == null || tracked.phase != Phase.JOINED) {
            if (joinPending(session, name)) {
                if (earlyCount < MAX_EARLY_EVENTS) {
                    early.computeIfAbsent(name, n -> new ArrayList<>()).add(frame);
                    earlyCount++;
                } else {
                    log.log(Level.WARNING, "too many events for rooms being joined; dropping {0}", frame.type());
                }
            } else {
                log.log(Level.DEBUG, "ignoring {0} for room {1}, which this client is not in", frame.type(), name);
            }
            return;
        }
        RealRoom room = tracked.room;
        if (event instanceof Event.RoomParticipantJoined e) {
            RoomParticipant joined = new RoomParticipant(e.user(), e.handle(), true);
            events.add(() -> {
                room.update(view -> view.put(joined));
                listener.onRoomParticipantJoined(room, joined, e.payload());
            });
        } else if (event instanceof Event.RoomParticipantLeft e) {
            events.add(() -> {
                RoomParticipant known = room.view().find(e.handle());
                RoomParticipant gone = known != null ? known : new RoomParticipant(e.user(), e.handle(), false);
                room.update(view -> view.remove(e.handle()));
                listener.onRoomParticipantLeft(room, gone, e.reason());
            });
        } else if (event instanceof Event.RoomParticipantReconnecting e) {
            RoomParticipant lost = new RoomParticipant(e.user(), e.handle(), false);
            events.add(() -> {
                room.update(view -> view.put(lost));
                listener.onRoomParticipantReconnecting(room, lost);
            });
        } else if (event instanceof Event.RoomParticipantResumed e) {
            RoomParticipant back = new RoomParticipant(e.user(), e.handle(), true);
            events.add(() -> {
                room.update(view -> view.put(back));
                listener.onRoomParticipantResumed(room, back);
            });
        } else if (event instanceof Event.RoomParticipantRejoined e) {
            RoomParticipant again = new RoomParticipant(e.user(), e.handle(), true);
            events.add(() -> {
                room.update(view -> view.replace(e.originalHandle(), again));
                listener.onRoomParticipantRejoined(room, again, e.originalHandle());
            });
        } else {
            log.log(Level.DEBUG, "no handling for event {0}", frame.type());
        }
    }

    private static boolean joinPending(SessionState session, String name) {
        return session.requests.any(command -> command instanceof Command.RoomJoin join && join.room().equals(name));
    }

    private void routeEarly(String name, SessionState session) {
        List<ServerFrame.EventFrame> held = early.remove(name);
        if (held != null) {
            earlyCount -= held.size();
            for (ServerFrame.EventFrame frame : held) {
                route(frame, session);
            }
        }
    }

    private void dropEarly(String name) {
        List<ServerFrame.EventFrame> held = early.remove(name);
        if (held != null) {
            earlyCount -= held.size();
        }
    }

    // ---- conference resume -----------------------------------------------------------------------

    /** Whether a room waits for its conference resume. */
    boolean recovering() {
        for (Tracked tracked : rooms.values()) {
            if (tracked.phase != Phase.JOINED) {
                return true;
            }
        }
        return false;
    }

    /**
     * The session could not be resumed: every room this client is in waits for its conference
     * resume (a room being left is left here). Returns whether there is one.
     */
    boolean suspend() {
        clearEarly();
        for (Tracked tracked : new ArrayList<>(rooms.values())) {
            if (tracked.leaving) {
                rooms.remove(tracked.name());
                reportLeft(tracked.room);
            } else {
                tracked.phase = Phase.RECOVERING;
            }
        }
        if (!rooms.isEmpty()) {
            log.log(Level.INFO, "the session is lost; joining {0} again once signed in", rooms.keySet());
        }
        return !rooms.isEmpty();
    }

    /** A sign-in attempt of the conference resume failed (it is retried). */
    void signInFailed(DialtoneException error) {
        lastFailure = error;
    }

    /** Sends the re-join of every room waiting for it (signed in, or resuming the new session). */
    void rejoin() {
        for (Tracked tracked : new ArrayList<>(rooms.values())) {
            if (tracked.phase == Phase.RECOVERING) {
                rejoin(tracked);
            }
        }
    }

    private void rejoin(Tracked tracked) {
        String name = tracked.name();
        String original = tracked.handle;
        log.log(Level.INFO, "joining room {0} again (original handle {1})", name, original);
        requester.request(id -> new Command.RoomJoin(id, name, tracked.payload, original),
                (future, session) -> {
                    tracked.phase = Phase.REJOINING;
                    return new PendingRequest.Handler() {
                        @Override
                        public void ok(ServerFrame.OkFrame ok) throws ProtocolException {
                            Result.RoomJoin result = codec.result(ok, Result.RoomJoin.class);
                            Tracked now = rooms.get(name);
                            if (now == tracked && tracked.phase == Phase.REJOINING) {
                                resumed(tracked, result);
                            } else if (now == null) {
                                log.log(Level.INFO, "room {0} was joined again after its conference resume ended;"
                                        + " leaving it", name);
                                requester.request(leaveId -> new Command.RoomLeave(leaveId, name), RoomRouter::logOnly);
                            }
                            routeEarly(name, session);
                        }

                        @Override
                        public void failed(DialtoneException error) {
                            dropEarly(name);
                            if (rooms.get(name) != tracked || tracked.phase != Phase.REJOINING) {
                                return;
                            }
                            tracked.phase = Phase.RECOVERING;
                            if (error.kind() == DialtoneException.Kind.CONNECTION) {
                                return; // the session ended; ClientCore decides what comes next
                            }
                            if (retryable(error)) {
                                log.log(Level.INFO, "joining room {0} again failed ({1}); retrying", name,
                                        error.getMessage());
                                lastFailure = error;
                                recovery.retryLater();
                                return;
                            }
                            fail(tracked, error);
                            settledIfDone();
                        }
                    };
                });
    }

    private static boolean retryable(DialtoneException error) {
        return error.kind() == DialtoneException.Kind.TIMEOUT
                || error.code() == ErrorCode.INTERNAL || error.code() == ErrorCode.RATE_LIMITED;
    }

    /** Joined again: the room's new handle, and the server's list of the others. */
    private void resumed(Tracked tracked, Result.RoomJoin result) {
        String original = tracked.handle;
        String handle = result.handle();
        tracked.handle = handle;
        tracked.phase = Phase.JOINED;
        List<RoomParticipant> others = others(result);
        RealRoom room = tracked.room;
        log.log(Level.INFO, "room {0} resumed: handle {1} (was {2})", tracked.name(), handle, original);
        events.add(() -> {
            room.update(view -> view.rejoined(handle, others));
            listener.onRoomResumed(room, handle, original);
        });
        settledIfDone();
    }

    /** The give-up time passed: every room still recovering is given up. */
    void giveUp(long afterMs) {
        for (Tracked tracked : new ArrayList<>(rooms.values())) {
            if (tracked.phase != Phase.JOINED) {
                fail(tracked, DialtoneException.gaveUp("room.join", "room " + tracked.name()
                        + " was not joined again within " + afterMs + " ms", lastFailure));
            }
        }
        settledIfDone();
    }

    /** The conference resume cannot go on (the new sign-in was refused): every room still recovering is given up. */
    void failRecovery(DialtoneException error) {
        for (Tracked tracked : new ArrayList<>(rooms.values())) {
            if (tracked.phase != Phase.JOINED) {
                fail(tracked, error);
            }
        }
    }

    /**
     * The session ended for good: this client is in no room any more. Rooms whose conference resume
     * was under way are reported as failed with {@code error}.
     */
    void endAll(DialtoneException error) {
        clearEarly();
        for (Tracked tracked : new ArrayList<>(rooms.values())) {
            if (tracked.phase != Phase.JOINED) {
                fail(tracked, error);
            } else {
                rooms.remove(tracked.name());
                reportLeft(tracked.room);
            }
        }
        lastFailure = null;
    }

    private void fail(Tracked tracked, DialtoneException error) {
        rooms.remove(tracked.name());
        log.log(Level.WARNING, "conference resume of room {0} failed: {1}", tracked.name(), error.getMessage());
        RealRoom room = tracked.room;
        events.add(() -> listener.onRoomResumeFailed(room, error));
        reportLeft(room);
    }

    private void reportLeft(RealRoom room) {
        events.add(() -> {
            room.update(RealRoom.View::left);
            visible.remove(room.name(), room);
            listener.onRoomLeft(room);
        });
    }

    private void settledIfDone() {
        if (!recovering()) {
            lastFailure = null;
            recovery.settled();
        }
    }

    private void clearEarly() {
        early.clear();
        earlyCount = 0;
    }

    private static List<RoomParticipant> others(Result.RoomJoin result) {
        if (result.participants() == null) {
            return List.of();
        }
        List<RoomParticipant> others = new ArrayList<>(result.participants().size());
        for (Result.RoomParticipant participant : result.participants()) {
            others.add(new RoomParticipant(participant.user(), participant.handle(), participant.connected()));
        }
        return List.copyOf(others);
    }

    private static PendingRequest.Handler logOnly(ClientFuture<Object> future, SessionState session) {
        return new PendingRequest.Handler() {
            @Override
            public void ok(ServerFrame.OkFrame ok) {
            }

            @Override
            public void failed(DialtoneException error) {
                log.log(Level.DEBUG, "{0}", error.getMessage());
            }
        };
    }
}
