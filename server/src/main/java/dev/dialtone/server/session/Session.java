package dev.dialtone.server.session;

import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.protocol.WireCodec.EncodedEvent;
import dev.dialtone.server.auth.RoomAccess;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One signed-in device: its seq numbers, its replay buffer of unacknowledged events, its reply
 * cache for de-duplication, and the socket it is attached to (none while detached).
 *
 * <p>Threading: every method holds the session's lock while it touches its state (encoding, where
 * there is any, happens before), so seq assignment, buffering and the socket write happen as one
 * step and frames reach the socket in seq order. The lock is per session, held for microseconds,
 * and nothing blocking happens under it.
 */
public final class Session {

    public enum State { ATTACHED, DETACHED, ENDED }

    /** Where a session's frames go while it is attached: a socket, in production. */
    public interface Outlet {
        void send(String frame);

        /** Closes the socket with a WebSocket close code. */
        void close(int code, String reason);
    }

    /** What {@link #end()} found: the state before, and the socket it was attached to (or null). */
    record Ending(State previous, Outlet outlet) {
    }

    private record Buffered(long seq, String frame) {
    }

    /** Builds the ok reply of a resume from the rotated token and the number of replayed events. */
    @FunctionalInterface
    public interface ResumeReply {
        String frame(String newResumeToken, int replayed);
    }

    /** The outcome of {@link #resume}. */
    public enum ResumeCheck { OK, INVALID, ENDED }

    private static final int REPLY_CACHE_SIZE = 1024;
    private static final String IN_FLIGHT = "";
    /**
     * Cached in place of {@code {"type":"ok","re":ID}}, which is rebuilt from the id when a command
     * is re-sent. Most replies are that one (hold, unhold, hang-up, decline, cancel, acks…), and
     * a busy session keeps 1024 replies for a minute or more: keeping each frame made them a
     * sizable share of what every garbage collection copied.
     */
    private static final String PLAIN_OK = new String("ok");
    private static final WireCodec CODEC = WireCodec.get();

    private final String id;
    private final String user;
    private final String device;
    private final RoomAccess rooms;
    private final int replayLimit;
    private final ArrayDeque<Buffered> replay = new ArrayDeque<>();
    private final Map<String, String> replies = new LinkedHashMap<>(32, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REPLY_CACHE_SIZE;
        }
    };
    private String resumeToken;
    /**
     * The token before the last rotation, still honoured until the client shows it has the new
     * one (by sending any command on the resumed connection): the ok that carried the new token
     * may have been lost with the socket, and the client must then be able to try again.
     */
    private String unconfirmedPreviousToken;
    private State state = State.ATTACHED;
    private Outlet outlet;
    private long lastSeq;
    private long detachGeneration;
    private Consumer<Session> overflowHandler = s -> { };

    Session(String id, String user, String device, RoomAccess rooms, String resumeToken, int replayLimit,
            Outlet outlet) {
        this.id = id;
        this.user = user;
        this.device = device;
        this.rooms = rooms;
        this.resumeToken = resumeToken;
        this.replayLimit = replayLimit;
        this.outlet = outlet;
    }

    public String id() {
        return id;
    }

    public String user() {
        return user;
    }

    public String device() {
        return device;
    }

    /** The rooms this session's token lets it join. */
    public RoomAccess rooms() {
        return rooms;
    }

    public synchronized String resumeToken() {
        return resumeToken;
    }

    public synchronized State state() {
        return state;
    }

    synchronized void onOverflow(Consumer<Session> handler) {
        overflowHandler = handler;
    }

    /**
     * Gives the event the session's next seq, keeps it until acknowledged, and sends it if the
     * session is attached. A detached session whose buffer is full cannot resume without loss: it
     * is reported to the overflow handler, which ends it.
     */
    public void deliver(EncodedEvent event) {
        boolean overflow;
        synchronized (this) {
            if (state == State.ENDED) {
                return;
            }
            long seq = ++lastSeq;
            String frame = event.withSeq(seq);
            replay.addLast(new Buffered(seq, frame));
            overflow = replay.size() > replayLimit;
            if (overflow && state == State.ATTACHED) {
                // Attached: the client has the frame already; only a later resume could miss it.
                replay.removeFirst();
                overflow = false;
            }
            if (outlet != null) {
                outlet.send(frame);
            }
        }
        if (overflow) {
            overflowHandler.accept(this);
        }
    }

    /** Drops buffered events up to {@code seq}; the client has processed them. */
    public synchronized void ack(long seq) {
        while (!replay.isEmpty() && replay.peekFirst().seq() <= seq) {
            replay.removeFirst();
        }
    }

    /** The client sent a command on this connection, so it holds the current resume token. */
    public synchronized void tokenConfirmed() {
        unconfirmedPreviousToken = null;
    }

    /**
     * Starts a command: returns null if the id is new (it is now in flight), the original reply
     * frame if it was answered already, or {@code ""} if it is still in flight.
     */
    public synchronized String begin(String commandId) {
        String previous = replies.get(commandId);
        if (previous == null) {
            replies.put(commandId, IN_FLIGHT);
        }
        return previous == PLAIN_OK ? CODEC.encodeReply(Reply.ok(commandId)) : previous;
    }

    /** Encodes a command's reply, records it for de-duplication and sends it if attached. */
    public void reply(String commandId, Reply reply) {
        // Encoded before taking the lock, as it was when callers passed the frame: the lock
        // covers the cache and the socket write only.
        String frame = CODEC.encodeReply(reply);
        boolean plainOk = reply instanceof Reply.Ok ok && ok.result() instanceof Result.Empty
                && ok.re() != null && ok.re().equals(commandId);
        synchronized (this) {
            if (commandId != null) {
                replies.put(commandId, plainOk ? PLAIN_OK : frame);
            }
            if (outlet != null && state != State.ENDED) {
                outlet.send(frame);
            }
        }
    }

    /** Sends a frame that is neither an event nor a cached reply (a re-sent reply). */
    public synchronized void sendRaw(String frame) {
        if (outlet != null && state != State.ENDED) {
            outlet.send(frame);
        }
    }

    /** The socket this session is attached to, or null. */
    synchronized Outlet attachedOutlet() {
        return state == State.ATTACHED ? outlet : null;
    }


    /** Detaches from the socket; returns the detach generation, or -1 if it was not attached to it. */
    synchronized long detach(Outlet from) {
        if (state != State.ATTACHED || outlet != from) {
            return -1;
        }
        state = State.DETACHED;
        outlet = null;
        return ++detachGeneration;
    }

    /** Whether the session is still detached since the given detach. */
    synchronized boolean stillDetached(long generation) {
        return state == State.DETACHED && detachGeneration == generation;
    }

    /**
     * Re-attaches to a new socket if the token matches and every event after {@code lastSeqSeen}
     * is still buffered; then sends the reply and replays those events, in order, before any new
     * event can be sent. The resume token rotates.
     */
    synchronized ResumeCheck resume(String token, long lastSeqSeen, Outlet to, String newToken,
                                    ResumeReply replyFor) {
        if (state == State.ENDED) {
            return ResumeCheck.ENDED;
        }
        if (!resumable(token, lastSeqSeen)) {
            return ResumeCheck.INVALID;
        }
        ack(lastSeqSeen);
        state = State.ATTACHED;
        outlet = to;
        unconfirmedPreviousToken = resumeToken.equals(token) ? resumeToken : unconfirmedPreviousToken;
        resumeToken = newToken;
        detachGeneration++;
        to.send(replyFor.frame(newToken, replay.size()));
        for (Buffered buffered : replay) {
            to.send(buffered.frame());
        }
        return ResumeCheck.OK;
    }

    /**
     * Whether a resume with this token and lastSeq can succeed: the token is current and every
     * event after {@code lastSeqSeen} is still buffered.
     */
    synchronized boolean resumable(String token, long lastSeqSeen) {
        long firstBuffered = replay.isEmpty() ? lastSeq + 1 : replay.peekFirst().seq();
        boolean knownToken = resumeToken.equals(token) || token.equals(unconfirmedPreviousToken);
        return state != State.ENDED && knownToken && lastSeqSeen <= lastSeq
                && lastSeqSeen + 1 >= firstBuffered;
    }

    /** Ends the session for good. */
    synchronized Ending end() {
        Ending ending = new Ending(state, outlet);
        state = State.ENDED;
        outlet = null;
        replay.clear();
        return ending;
    }
}
