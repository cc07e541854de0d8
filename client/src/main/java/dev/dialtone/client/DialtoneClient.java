package dev.dialtone.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.internal.ClientConfig;
import dev.dialtone.client.internal.ClientCore;
import dev.dialtone.client.internal.ExecutorScheduler;
import dev.dialtone.client.internal.JdkWebSocketTransport;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.Limits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Dialtone client: one signed-in session of one user on one device, with its calls.
 *
 * <pre>{@code
 * DialtoneClient client = DialtoneClient.builder()
 *         .uri(URI.create("ws://localhost:8080/v1/ws"))
 *         .tokenSupplier(() -> myBackend.fetchToken())
 *         .device("laptop")
 *         .listener(new DialtoneListener() {
 *             public void onIncomingCall(Call call, boolean waiting) { call.accept(); }
 *         })
 *         .build();
 * SessionInfo session = client.connect().join();
 * Call call = client.invite(InviteOptions.to("bob").media(Media.VIDEO)).join();
 * }</pre>
 *
 * <p><b>Threading.</b> Every public method may be called from any thread and never blocks on the
 * network. Results come back as {@link CompletableFuture}s that complete (or fail with a
 * {@link DialtoneException}) on the <em>callback executor</em>, in order with the
 * {@link DialtoneListener} callbacks: one task at a time, in the order the server sent the
 * frames. The default callback executor is one daemon thread per client named
 * {@code dialtone-events}; pass your own (a UI thread's executor, say) with
 * {@link Builder#callbackExecutor(Executor)}. Internally the client's state is guarded by one
 * lock that is never held while application code runs. Do not block a callback; never wait for a
 * Dialtone future inside one (it throws {@link IllegalStateException} instead of deadlocking).
 *
 * <p><b>Lifecycle.</b> {@link #connect()} opens a session. When its connection drops, the client
 * resumes the same session on a new connection ({@link ConnectionState#RESUMING}), with nothing
 * lost; call {@link #networkChanged()} when the device's network changes to resume at once. A
 * session ends on {@link #logout()}, on {@link #close()}, when the server ends it (close codes
 * 4400, 4401, 4409, 4429), or when it cannot be resumed
 * ({@link DialtoneListener#onResumeFailed}). After a session ended, {@code connect()} may be
 * called again for a new one. {@code close()} is final.
 *
 * <p><b>Group calls and conferences.</b> {@link #invite(InviteOptions)} may invite several users
 * (a group call; see {@link Call}), {@link #joinCall(String)} joins an active call again, and
 * {@link #joinRoom(String)} joins a named conference room ({@link Room}). A room outlives a session
 * that cannot be resumed: the client then signs in afresh by itself and joins its rooms again
 * (conference resume; see {@link DialtoneListener#onRoomResumed}).
 */
public final class DialtoneClient implements AutoCloseable {
    private final ClientCore core;
    private final ExecutorScheduler scheduler;

    private DialtoneClient(Builder builder) {
        ClientConfig config = new ClientConfig(builder.uri, builder.tokenSupplier, builder.device,
                builder.requestTimeout, builder.connectTimeout, builder.reconnectInitial, builder.reconnectMax,
                builder.resumeGiveUp, builder.roomResumeGiveUp);
        this.scheduler = new ExecutorScheduler();
        Executor callbacks = builder.callbackExecutor;
        if (callbacks == null) {
            // One daemon thread that ends by itself when idle, so there is nothing to shut down and
            // completions queued after close() (a request made on a closed client fails) still run.
            ThreadPoolExecutor events = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    task -> {
                        Thread thread = new Thread(task, "dialtone-events");
                        thread.setDaemon(true);
                        return thread;
                    });
            events.allowCoreThreadTimeOut(true);
            callbacks = events;
        }
        this.core = new ClientCore(config, new JdkWebSocketTransport(), scheduler, System::nanoTime, callbacks,
                builder.listener);
    }

    /** A builder; {@link Builder#uri} and {@link Builder#tokenSupplier} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the WebSocket and signs in ({@code auth}, with a token freshly taken from the token
     * supplier). Completes with the session; fails with {@link DialtoneException}: code
     * {@link dev.dialtone.protocol.ErrorCode#UNAUTHORIZED} when the token is refused, kind
     * {@link DialtoneException.Kind#CONNECTION} when the server cannot be reached, kind
     * {@link DialtoneException.Kind#TIMEOUT} when it does not answer. While connecting, further
     * calls return the same future; once connected, a completed one; while resuming, one that
     * completes when the session is resumed (or fails if it cannot be).
     */
    public CompletableFuture<SessionInfo> connect() {
        return core.connect();
    }

    /**
     * Places a call ({@code call.invite}). Completes with the new outgoing {@link Call}, before
     * any callback about it. After glare (the invitee was calling this user at the same moment)
     * the server merges the two: the result is then the existing <em>incoming</em> call, already
     * accepted on this user's behalf ({@code ACTIVE}; {@code onStarted} follows).
     * Typical failures: {@code busy} (this user already has a call ringing), {@code denied}
     * (with {@link DialtoneException#hookCode()} when the business server refused),
     * {@code bad_request}, {@code rate_limited}.
     */
    public CompletableFuture<Call> invite(InviteOptions options) {
        return core.invite(options);
    }

    /**
     * Joins an active call again ({@code call.join}): a call this user was invited to and declined,
     * missed, or left. Completes with the {@link Call}, {@code ACTIVE}, before any callback about
     * it; {@link DialtoneListener#onStarted} follows with the participants, and they get
     * {@link DialtoneListener#onParticipantJoined}. When the client still has the call, the result is
     * that same object (a call still ringing here is accepted); otherwise it is a new {@code Call}
     * object, with the facts of the one this client had dropped (or, for a call it never saw, a null
     * {@link Call#caller()} and {@link Call#media()}). Typical failures: {@code not_found} (no such
     * call, or not this user's), {@code invalid_state} (the call is not active, or this user is in
     * it).
     *
     * @throws IllegalArgumentException when {@code callId} is empty
     */
    public CompletableFuture<Call> joinCall(String callId) {
        return core.joinCall(callId);
    }

    /** Joins a conference room without a payload; see {@link #joinRoom(String, JsonNode)}. */
    public CompletableFuture<Room> joinRoom(String room) {
        return core.joinRoom(room, null);
    }

    /**
     * Joins a conference room ({@code room.join}), creating it if nobody is in it. Completes with the
     * {@link Room}: this client's {@link Room#handle()} and the other participants; they get
     * {@link DialtoneListener#onRoomParticipantJoined} with {@code payload}. Joining a room this
     * client is already in completes with the same {@code Room}. Typical failures:
     * {@code forbidden} (the token's {@code rooms} claim does not allow this room), {@code full},
     * {@code denied} (the business server refused, with {@link DialtoneException#hookCode()}).
     *
     * @param room 1 to 128 letters, digits, {@code -}, {@code _} or {@code .}
     * @param payload a JSON object of at most 8 KiB shown to the others, or null
     * @throws IllegalArgumentException for an invalid name or payload
     */
    public CompletableFuture<Room> joinRoom(String room, JsonNode payload) {
        return core.joinRoom(room, payload);
    }

    /**
     * The rooms this client is in (joined and not yet reported left, including those whose
     * conference resume is under way), in the order they were joined. An immutable copy.
     */
    public List<Room> rooms() {
        return core.rooms();
    }

    /**
     * One page of this user's call history: ended calls they took part in, newest first, each with
     * how it went for them ({@link dev.dialtone.protocol.CallOutcome}: outgoing, answered, missed,
     * declined, busy). Pass {@link HistoryPage#next()} as {@code before} for the next page.
     *
     * @param limit  1 to 200 calls
     * @param before the cursor of the page to continue from, or null for the newest calls
     */
    public CompletableFuture<HistoryPage> history(int limit, String before) {
        return core.history(limit, before);
    }

    /** The server's snapshots of this user's current calls ({@code calls.list}). */
    public CompletableFuture<List<CallSnapshot>> listCalls() {
        return core.listCalls();
    }

    /**
     * The calls the application has been told about (by a callback or an {@code invite} result)
     * and not yet told ended, oldest first. An immutable copy.
     */
    public List<Call> calls() {
        return core.calls();
    }

    /** The call with this id among {@link #calls()}. */
    public Optional<Call> call(String callId) {
        return core.call(callId);
    }

    /** The current connection state (the listener hears each change, in order, a moment later). */
    public ConnectionState connectionState() {
        return core.connectionState();
    }

    /** The current session, when connected (empty while resuming). */
    public Optional<SessionInfo> session() {
        return core.session();
    }

    /**
     * Tells the client that the device's network changed (Wi-Fi to cellular, a new address, a VPN
     * coming up): the current connection may be dead without anyone noticing for up to two
     * heartbeats. The client drops it at once, without a close handshake, even if it looks
     * healthy, and resumes the session on a new connection right away — no backoff wait, no
     * heartbeat timeout. While already resuming, it skips the current backoff wait and tries now
     * (an attempt whose {@code resume} is already on its way is left to finish). Does nothing
     * when not connected or resuming. Callbacks: {@code RESUMING}, {@code onResuming},
     * {@code CONNECTED}, {@code onResumed}, as for any lost connection. Any thread; never blocks.
     */
    public void networkChanged() {
        core.networkChanged();
    }

    /**
     * Ends the session ({@code logout}): the server ends this session's calls as if this user hung
     * up and takes it out of its rooms, and the client reports {@code onEnded} ({@code hangup}) for
     * the calls still open and {@code onRoomLeft} for each room, then
     * {@code onDisconnected(1000, "logged out")}. {@link #connect()} may be called again later.
     *
     * <p>While resuming, the server cannot be reached: the resume attempts stop and the session
     * ends on this client at once (the future completes; calls end with {@code connection_lost};
     * rooms are left; {@code onDisconnected(1000, "logged out")}); the server ends it when its
     * resume window passes. Likewise while a conference resume signs in again: it stops, and its
     * rooms get {@code onRoomResumeFailed} and {@code onRoomLeft}. If the connection drops while the logout waits for its reply, the session ends
     * without a resume and the future fails ({@code CONNECTION}).
     */
    public CompletableFuture<Void> logout() {
        return core.logout();
    }

    /**
     * Closes the connection and stops the client's timer thread; final (the callback thread ends
     * by itself once idle). Unanswered requests fail
     * ({@link DialtoneException.Kind#CONNECTION}), each open call gets {@code onEnded}
     * ({@code connection_lost}), each room {@code onRoomLeft} (after {@code onRoomResumeFailed} if
     * its conference resume was under way), then {@code onDisconnected(1000, …)} and
     * {@code DISCONNECTED}; callbacks already queued still run. While resuming, the attempts stop
     * the same way. This
     * does not log out: the server keeps the session for its resume window and then ends its calls
     * with {@code connection_lost}. Call {@link #logout()} first to end the calls at once.
     */
    @Override
    public void close() {
        core.close();
        scheduler.close();
    }

    /**
     * Configures a {@link DialtoneClient}. Each method validates its argument at once and throws
     * {@link NullPointerException} or {@link IllegalArgumentException}; {@link #build()} checks that
     * the required settings are present. Not thread-safe.
     */
    public static final class Builder {
        private URI uri;
        private Supplier<String> tokenSupplier;
        private String device;
        private DialtoneListener listener = new DialtoneListener() {
        };
        private Executor callbackExecutor;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration reconnectInitial = ClientConfig.DEFAULT_RECONNECT_INITIAL;
        private Duration reconnectMax = ClientConfig.DEFAULT_RECONNECT_MAX;
        private Duration resumeGiveUp;
        private Duration roomResumeGiveUp = ClientConfig.DEFAULT_ROOM_RESUME_GIVE_UP;

        private Builder() {
        }

        /** Required: the server's WebSocket endpoint, {@code ws://host:port/v1/ws} or {@code wss://…}. */
        public Builder uri(URI uri) {
            Objects.requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss")) {
                throw new IllegalArgumentException("uri must start with ws:// or wss://, was " + uri);
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("uri has no host: " + uri);
            }
            this.uri = uri;
            return this;
        }

        /**
         * Required: supplies the JWT to sign in with. Called on a client thread each time a
         * connection is opened, so it can return a fresh token; it may block briefly.
         */
        public Builder tokenSupplier(Supplier<String> tokenSupplier) {
            this.tokenSupplier = Objects.requireNonNull(tokenSupplier, "tokenSupplier");
            return this;
        }

        /**
         * This device's name (1 to 128 characters), e.g. {@code laptop}. A newer login of the same
         * user and device replaces this session (close code 4409). Default: the server picks a
         * unique one.
         */
        public Builder device(String device) {
            Objects.requireNonNull(device, "device");
            if (device.isEmpty() || device.length() > Limits.MAX_USER_LENGTH) {
                throw new IllegalArgumentException("device must be 1 to " + Limits.MAX_USER_LENGTH + " characters");
            }
            this.device = device;
            return this;
        }

        /** Receives events; default: a listener that ignores everything. */
        public Builder listener(DialtoneListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where callbacks and future completions run. They run one at a time and in order whatever
         * the executor is. Default: one daemon thread named {@code dialtone-events}, which ends by
         * itself after a few idle seconds; an executor passed here is never shut down by the client.
         */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = Objects.requireNonNull(callbackExecutor, "callbackExecutor");
            return this;
        }

        /** How long a request waits for its reply before failing with a timeout; default 10 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** How long opening the WebSocket may take; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * The waits between resume attempts after the connection is lost. The first attempt is
         * immediate; after the n-th failed attempt the client waits a random time between 0 and
         * {@code min(max, initial × 2^(n-1))} ("full jitter", so that many clients cut off at the
         * same moment do not reconnect in lockstep). Default 100 ms and 5 s.
         *
         * @throws IllegalArgumentException when a duration is under 1 ms or {@code max < initial}
         */
        public Builder reconnectBackoff(Duration initial, Duration max) {
            positive(initial, "initial");
            positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max must not be less than initial, was " + max + " < " + initial);
            }
            this.reconnectInitial = initial;
            this.reconnectMax = max;
            return this;
        }

        /**
         * How long to keep trying to resume after the connection is lost; then the client stops and
         * reports {@link DialtoneListener#onResumeFailed} with
         * {@link dev.dialtone.protocol.ResumeFailure#EXPIRED}. Default: the server's resume window
         * ({@link SessionInfo#resumeWindow()}, 60 s by default), after which the server would refuse
         * the resume anyway.
         */
        public Builder resumeGiveUp(Duration giveUp) {
            this.resumeGiveUp = positive(giveUp, "giveUp");
            return this;
        }

        /**
         * How long a conference resume may take: when the session could not be resumed and the
         * client was in rooms, it signs in afresh and joins them again; a room not joined again
         * within this time, counted from {@link DialtoneListener#onResumeFailed}, is given up
         * ({@link DialtoneListener#onRoomResumeFailed}, then {@link DialtoneListener#onRoomLeft}).
         * Default 60 s.
         */
        public Builder roomResumeGiveUp(Duration giveUp) {
            this.roomResumeGiveUp = positive(giveUp, "giveUp");
            return this;
        }

        /**
         * Builds the client (not connected yet: call {@link DialtoneClient#connect()}).
         *
         * @throws IllegalStateException when {@code uri} or {@code tokenSupplier} is missing
         */
        public DialtoneClient build() {
            if (uri == null) {
                throw new IllegalStateException("uri is required");
            }
            if (tokenSupplier == null) {
                throw new IllegalStateException("tokenSupplier is required");
            }
            return new DialtoneClient(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero() || duration.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, was " + duration);
            }
            return duration;
        }
    }
}
