package dev.dialtone.cli.softphone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.cli.softphone.CallSelector.Selection;
import dev.dialtone.cli.softphone.SoftphoneCommand.Accept;
import dev.dialtone.cli.softphone.SoftphoneCommand.Cancel;
import dev.dialtone.cli.softphone.SoftphoneCommand.Decline;
import dev.dialtone.cli.softphone.SoftphoneCommand.Dial;
import dev.dialtone.cli.softphone.SoftphoneCommand.Empty;
import dev.dialtone.cli.softphone.SoftphoneCommand.Hangup;
import dev.dialtone.cli.softphone.SoftphoneCommand.Help;
import dev.dialtone.cli.softphone.SoftphoneCommand.Hold;
import dev.dialtone.cli.softphone.SoftphoneCommand.Invalid;
import dev.dialtone.cli.softphone.SoftphoneCommand.InviteMore;
import dev.dialtone.cli.softphone.SoftphoneCommand.Join;
import dev.dialtone.cli.softphone.SoftphoneCommand.ListCalls;
import dev.dialtone.cli.softphone.SoftphoneCommand.ListRooms;
import dev.dialtone.cli.softphone.SoftphoneCommand.Quit;
import dev.dialtone.cli.softphone.SoftphoneCommand.Reconnect;
import dev.dialtone.cli.softphone.SoftphoneCommand.RoomJoin;
import dev.dialtone.cli.softphone.SoftphoneCommand.RoomLeave;
import dev.dialtone.cli.softphone.SoftphoneCommand.Status;
import dev.dialtone.cli.softphone.SoftphoneCommand.Unhold;
import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.RoomLeaveReason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The terminal softphone: glue between the lines typed ({@link CommandLineParser}), a
 * {@link DialtoneClient}, and the text shown ({@link EventRenderer}).
 *
 * <p><b>Threads.</b> Three, each with one job. The <em>input</em> thread only reads lines from the
 * {@link Reader} into a queue (so that a session ended by the server can stop the REPL even while
 * a read blocks). The <em>caller</em> of {@link #run()} takes lines from that queue, signs in, and
 * hands each command to the <em>softphone</em> thread, waiting until its answer is shown. The
 * softphone thread is also the SDK's callback executor: every listener callback, every command
 * and every reaction to a command's result runs there, one at a time, so lines appear in the order
 * things happened (a command's reply handler is attached before the reply can be processed).
 * Printing is serialized by one lock, which also keeps the prompt in place: an event that arrives
 * while the prompt is showing erases it, prints its line, and shows the prompt again.
 */
public final class Softphone implements AutoCloseable {
    /** Exit code: signed out normally. */
    public static final int EXIT_OK = 0;
    /** Exit code: could not sign in, or the server ended the session (token refused, replaced). */
    public static final int EXIT_SIGNED_OUT = 1;

    /**
     * How to run.
     *
     * @param server the WebSocket endpoint, {@code ws://host:port/v1/ws}
     * @param device this device's name (a newer login on the same device replaces this session)
     * @param terminal whether a person types at a terminal: then a prompt is shown and kept in place
     * @param colour whether to use ANSI colours
     * @param requestTimeout how long a command waits for the server's answer
     */
    public record Options(URI server, TokenSource tokens, String device, boolean terminal, boolean colour,
                          Duration requestTimeout) {
        public Options {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        /** No terminal, no colour, 10 s request timeout: for pipes and tests. */
        public static Options plain(URI server, TokenSource tokens, String device) {
            return new Options(server, tokens, device, false, false, Duration.ofSeconds(10));
        }
    }

    /** What the input thread hands to the REPL. */
    private sealed interface Input {
        record Line(String text) implements Input {
        }

        record End() implements Input {
        }

        record Exit(int code) implements Input {
        }
    }

    private final Options options;
    private final Reader in;
    private final PrintWriter out;
    private final Clock clock;
    private final CommandLineParser parser = new CommandLineParser();
    private final BlockingQueue<Input> inbox = new LinkedBlockingQueue<>();
    private final ExecutorService loop;
    private final DialtoneClient client;
    /** When this softphone first heard of each current call, and when each became active. */
    private final Map<String, Instant> created = new ConcurrentHashMap<>();
    private final Map<String, Instant> activeSince = new ConcurrentHashMap<>();
    /** The ids of recent calls, also ended ones, for {@code join PREFIX}. */
    private final RecentCalls recent = new RecentCalls(32);

    private volatile EventRenderer render;
    private volatile String token;
    private volatile boolean signedIn;
    /** The signed-in user (kept while resuming, when the SDK has no session to show). */
    private volatile String user;
    /** The last resume failed: the session is over, onDisconnected follows. */
    private volatile boolean resumeFailed;
    private volatile boolean quitting;
    private volatile boolean closed;
    private Thread inputThread;

    /** Guards the output and the three fields below it. */
    private final Object screen = new Object();
    private boolean promptEnabled;
    private boolean promptShowing;
    private boolean busy;

    public Softphone(Options options, Reader in, PrintWriter out) {
        this(options, in, out, Clock.systemDefaultZone());
    }

    Softphone(Options options, Reader in, PrintWriter out, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.render = new EventRenderer(Style.of(options.colour()), null);
        this.loop = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "softphone");
            thread.setDaemon(true);
            return thread;
        });
        DialtoneClient.Builder builder = DialtoneClient.builder()
                .uri(options.server())
                .tokenSupplier(() -> token)
                .listener(new Events())
                .callbackExecutor(loop)
                .requestTimeout(options.requestTimeout());
        if (options.device() != null) {
            builder.device(options.device());
        }
        this.client = builder.build();
    }

    /**
     * Signs in, then reads and carries out commands until {@code quit}, the end of the input, or
     * the server ending the session. Returns the exit code: {@link #EXIT_OK} or
     * {@link #EXIT_SIGNED_OUT}.
     */
    public int run() {
        startInput();
        if (!signIn(false)) {
            return EXIT_SIGNED_OUT;
        }
        while (true) {
            Input input;
            try {
                input = inbox.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                quit();
                return EXIT_OK;
            }
            switch (input) {
                case Input.Exit exit -> {
                    return exit.code();
                }
                case Input.End end -> {
                    quit();
                    return EXIT_OK;
                }
                case Input.Line line -> {
                    synchronized (screen) {
                        promptShowing = false; // Enter was pressed: the cursor is on a fresh line
                    }
                    SoftphoneCommand command = parser.parse(line.text());
                    if (command instanceof Quit) {
                        quit();
                        return EXIT_OK;
                    }
                    if (command instanceof Reconnect) {
                        reconnect();
                        synchronized (screen) {
                            showPrompt();
                        }
                    } else {
                        execute(command);
                    }
                }
            }
        }
    }

    /**
     * For an interrupted process (Ctrl-C): logs out if still signed in, so that the other side sees
     * a hang-up at once rather than after the resume window, then closes.
     */
    public void shutdown() {
        synchronized (screen) {
            promptEnabled = false;
        }
        if (!quitting && !closed && hasSession()) {
            quitting = true;
            try {
                client.logout().get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // closing anyway
            }
        }
        close();
    }

    /** Closes the connection without logging out (the server keeps the session for its resume window). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        quitting = true;
        synchronized (screen) {
            promptEnabled = false;
        }
        client.close();
        loop.shutdown();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the REPL side -------------------------------------------------------------------------

    private void startInput() {
        if (inputThread != null) {
            return;
        }
        inputThread = new Thread(() -> {
            BufferedReader reader = in instanceof BufferedReader buffered ? buffered : new BufferedReader(in);
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    inbox.add(new Input.Line(line));
                }
            } catch (IOException e) {
                // the input is gone: same as its end
            }
            inbox.add(new Input.End());
        }, "softphone-input");
        inputThread.setDaemon(true);
        inputThread.start();
    }

    /** Fetches a token and signs in; says why not when it cannot. */
    private boolean signIn(boolean again) {
        EventRenderer words = render;
        if (!again) {
            print(words.signingIn(options.server()));
        }
        try {
            token = options.tokens().token();
        } catch (SignInException e) {
            print(words.signInFailed(e.getMessage()));
            return false;
        }
        CompletableFuture<SessionInfo> session = new CompletableFuture<>();
        loop.execute(() -> client.connect().whenComplete((info, error) -> {
            if (error != null) {
                session.completeExceptionally(error);
                return;
            }
            render = render.forUser(info.user());
            user = info.user();
            signedIn = true;
            resumeFailed = false;
            synchronized (screen) {
                promptEnabled = options.terminal();
            }
            print(again ? render.signedInAgain(info) : render.banner(info, options.server()));
            session.complete(info);
        }));
        try {
            // The SDK's own timeouts (connect 10 s, auth = request timeout) end this first.
            session.get(10 + options.requestTimeout().toSeconds() + 5, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            print(render.signInFailed(render.signInFailure(options.server(), e.getCause())));
        } catch (TimeoutException e) {
            print(render.signInFailed("the server at " + options.server() + " did not answer in time"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Signed in or resuming: resume at once on a new connection (what a network change calls for).
     * Signed out: sign in again.
     */
    private void reconnect() {
        switch (client.connectionState()) {
            case CONNECTED, RESUMING -> {
                print(render.reconnectingNow());
                client.networkChanged();
            }
            case CONNECTING -> print("signing in already…");
            case DISCONNECTED -> signIn(true);
        }
    }

    /** Hands a command to the softphone thread and waits until its outcome is shown. */
    private void execute(SoftphoneCommand command) {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (screen) {
            busy = true;
        }
        try {
            loop.execute(() -> {
                try {
                    handle(command, done);
                } catch (RuntimeException e) {
                    print(render.error("do that", null, e));
                    done.complete(null);
                }
            });
            done.get(options.requestTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the outcome shows up as an event or not at all; carry on
        } finally {
            synchronized (screen) {
                busy = false;
                showPrompt();
            }
        }
    }

    /** Logs out and says goodbye. */
    private void quit() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (screen) {
            promptEnabled = false;
        }
        quitting = true;
        loop.execute(() -> {
            if (!hasSession()) {
                print(render.signedOut());
                done.complete(null);
                return;
            }
            client.logout().whenComplete((ignored, error) -> {
                if (error != null && DialtoneException.of(error) != null
                        && DialtoneException.of(error).kind() != DialtoneException.Kind.CONNECTION) {
                    print(render.error("sign out", null, error));
                }
                // After the onEnded callbacks the logout queued behind this completion.
                loop.execute(() -> {
                    print(render.signedOut());
                    done.complete(null);
                });
            });
        });
        try {
            done.get(options.requestTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // leaving anyway
        }
    }

    // ---- commands, on the softphone thread ----------------------------------------------------------

    private void handle(SoftphoneCommand command, CompletableFuture<Void> done) {
        switch (command) {
            case Empty empty -> done.complete(null);
            case Invalid invalid -> {
                print(render.style().red(invalid.message()));
                done.complete(null);
            }
            case Help help -> {
                print(render.help());
                done.complete(null);
            }
            case Status status -> {
                List<CallView> calls = views();
                if (status.target() == null || calls.isEmpty()) {
                    print(render.status(calls, clock.instant()));
                } else {
                    select(status.target(), call -> true, "show", calls)
                            .ifPresent(call -> print(render.status(List.of(call), clock.instant())));
                }
                done.complete(null);
            }
            case ListCalls list -> client.listCalls().whenComplete((calls, error) -> {
                print(error != null ? render.error("list calls", null, error)
                        : render.serverCalls(calls, clock.getZone()));
                done.complete(null);
            });
            case Dial dial -> dial(dial, done);
            case InviteMore more -> inviteMore(more, done);
            case Join join -> join(join, done);
            case RoomJoin join -> joinRoom(join, done);
            case RoomLeave leave -> leaveRoom(leave, done);
            case ListRooms list -> {
                print(render.rooms().list(client.rooms()));
                done.complete(null);
            }
            case Accept accept -> act(accept.target(), Softphone::ringingIncoming, "accept", "accept",
                    Call::accept, done);
            case Decline decline -> act(decline.target(), Softphone::ringingIncoming, "decline", "decline",
                    call -> decline.busy() ? call.decline(DeclineReason.BUSY, null) : call.decline(), done);
            case Cancel cancel -> act(cancel.target(), call -> call.isRinging() && !call.isIncoming(), "cancel",
                    "cancel", Call::cancel, done);
            case Hold hold -> act(hold.target(), CallView::isActive, "hold", "hold", Call::hold, done);
            case Unhold unhold -> act(unhold.target(), CallView::isActive, "unhold", "unhold", Call::unhold, done);
            case Hangup hangup -> act(hangup.target(), call -> true, "hang up", "hang up", Call::hangup, done);
            case Quit quit -> done.complete(null);           // handled by run()
            case Reconnect reconnect -> done.complete(null); // handled by run()
        }
    }

    private static boolean ringingIncoming(CallView call) {
        return call.isRinging() && call.isIncoming();
    }

    private void dial(Dial dial, CompletableFuture<Void> done) {
        String action = "call " + EventRenderer.names(dial.users());
        InviteOptions invite;
        try {
            invite = InviteOptions.to(dial.users()).media(dial.media());
        } catch (IllegalArgumentException e) {
            print(render.error(action, null, e));
            done.complete(null);
            return;
        }
        client.invite(invite).whenComplete((call, error) -> {
            if (error != null) {
                print(render.error(action, null, error));
            } else {
                created.putIfAbsent(call.id(), clock.instant());
                recent.remember(call.id());
                if (call.direction() == CallDirection.INCOMING) {
                    activeSince.putIfAbsent(call.id(), clock.instant());
                    event(render.merged(view(call)));
                } else {
                    event(render.calling(view(call)));
                }
            }
            done.complete(null);
        });
    }

    private void inviteMore(InviteMore more, CompletableFuture<Void> done) {
        String action = "invite " + EventRenderer.names(more.users());
        Optional<Call> call = select(null, CallView::isActive, "invite into", views())
                .flatMap(view -> client.call(view.id()));
        if (call.isEmpty()) {
            done.complete(null);
            return;
        }
        CompletableFuture<Void> sent;
        try {
            sent = call.get().inviteMore(more.users().toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            print(render.error(action, view(call.get()), e));
            done.complete(null);
            return;
        }
        sent.whenComplete((ignored, error) -> {
            print(error != null ? render.error(action, view(call.get()), error)
                    : render.invitingMore(view(call.get()), more.users()));
            done.complete(null);
        });
    }

    /** Joins again a call by (a prefix of) its id, looked up among the recent calls. */
    private void join(Join join, CompletableFuture<Void> done) {
        List<String> ids = recent.matching(join.call());
        if (ids.size() > 1) {
            print(render.whichRecentCall(join.call(), ids));
            done.complete(null);
            return;
        }
        String id = ids.isEmpty() ? join.call() : ids.get(0);
        String action = "join call " + CallView.shortId(id);
        CompletableFuture<Call> joined;
        try {
            joined = client.joinCall(id);
        } catch (IllegalArgumentException e) {
            print(render.error(action, null, e));
            done.complete(null);
            return;
        }
        joined.whenComplete((call, error) -> {
            if (error != null) {
                print(render.error(action, null, error));
            } else {
                created.putIfAbsent(call.id(), clock.instant());
                recent.remember(call.id());
                print(render.joining(view(call))); // onStarted follows with who is there
            }
            done.complete(null);
        });
    }

    private void joinRoom(RoomJoin join, CompletableFuture<Void> done) {
        Optional<Room> already = room(join.room());
        if (already.isPresent()) {
            print(render.rooms().alreadyIn(already.get()));
            done.complete(null);
            return;
        }
        String action = "join room " + join.room();
        CompletableFuture<Room> joined;
        try {
            joined = client.joinRoom(join.room());
        } catch (IllegalArgumentException e) {
            print(render.error(action, null, e));
            done.complete(null);
            return;
        }
        joined.whenComplete((room, error) -> {
            print(error != null ? render.error(action, null, error) : render.rooms().joined(room));
            done.complete(null);
        });
    }

    /** Leaves the named room, or the only one; "you left room …" comes with onRoomLeft. */
    private void leaveRoom(RoomLeave leave, CompletableFuture<Void> done) {
        List<Room> rooms = client.rooms();
        Optional<Room> room;
        if (leave.room() != null) {
            room = room(leave.room());
            if (room.isEmpty()) {
                print(render.rooms().notIn(leave.room()));
            }
        } else {
            room = rooms.size() == 1 ? Optional.of(rooms.get(0)) : Optional.empty();
            if (rooms.isEmpty()) {
                print(render.rooms().noRoom());
            } else if (rooms.size() > 1) {
                print(render.rooms().whichRoom(rooms));
            }
        }
        if (room.isEmpty()) {
            done.complete(null);
            return;
        }
        room.get().leave().whenComplete((ignored, error) -> {
            if (error != null) {
                print(render.error("leave room " + room.get().name(), null, error));
            }
            // onRoomLeft, queued behind this completion, says it
            loop.execute(() -> done.complete(null));
        });
    }

    private Optional<Room> room(String name) {
        return client.rooms().stream().filter(room -> room.name().equals(name)).findFirst();
    }

    private List<String> roomNames() {
        return client.rooms().stream().map(Room::name).toList();
    }

    /** Finds the call a command is about and carries the command out on it. */
    private void act(String target, Predicate<CallView> fits, String verb, String action,
                     Function<Call, CompletableFuture<?>> command, CompletableFuture<Void> done) {
        Optional<Call> call = select(target, fits, verb, views()).flatMap(view -> client.call(view.id()));
        if (call.isEmpty()) {
            done.complete(null);
            return;
        }
        command.apply(call.get()).whenComplete((ignored, error) -> {
            if (error != null) {
                print(render.error(action, view(call.get()), error));
            }
            done.complete(null);
        });
    }

    private Optional<CallView> select(String target, Predicate<CallView> fits, String verb, List<CallView> calls) {
        Selection selection = CallSelector.select(calls, target, fits, me());
        return switch (selection) {
            case Selection.Found found -> Optional.of(found.call());
            case Selection.NoCall none -> {
                print(render.noCall(verb, !calls.isEmpty()));
                yield Optional.empty();
            }
            case Selection.NoMatch none -> {
                print(render.noMatch(none.target()));
                yield Optional.empty();
            }
            case Selection.Ambiguous ambiguous -> {
                print(render.ambiguous(verb, ambiguous.candidates()));
                yield Optional.empty();
            }
        };
    }

    private List<CallView> views() {
        return client.calls().stream().map(this::view).toList();
    }

    private CallView view(Call call) {
        return CallView.of(call, created.get(call.id()), activeSince.get(call.id()));
    }

    /** Signed in, or resuming a session that was: there is a session to log out of. */
    private boolean hasSession() {
        ConnectionState state = client.connectionState();
        return state == ConnectionState.CONNECTED || state == ConnectionState.RESUMING;
    }

    private String me() {
        return user;
    }

    // ---- events, on the softphone thread ---------------------------------------------------------

    private final class Events implements DialtoneListener {
        @Override
        public void onIncomingCall(Call call, boolean waiting) {
            created.putIfAbsent(call.id(), clock.instant());
            recent.remember(call.id());
            event(render.incoming(view(call), waiting, client.calls().size() > 1));
        }

        @Override
        public void onRinging(Call call, String user) {
            event(render.ringing(view(call), user));
        }

        @Override
        public void onAccepted(Call call, String user, JsonNode payload) {
            event(render.accepted(view(call), user));
        }

        @Override
        public void onStarted(Call call, String roomId, List<String> participants) {
            activeSince.putIfAbsent(call.id(), clock.instant());
            recent.remember(call.id());
            event(render.started(view(call), roomId));
        }

        @Override
        public void onParticipantJoined(Call call, String user) {
            event(render.participantJoined(view(call), user));
        }

        @Override
        public void onParticipantLeft(Call call, String user, LeaveReason reason) {
            event(render.participantLeft(view(call), user, reason));
        }

        @Override
        public void onRoomParticipantJoined(Room room, RoomParticipant participant, JsonNode payload) {
            event(render.rooms().participantJoined(room, participant));
        }

        @Override
        public void onRoomParticipantLeft(Room room, RoomParticipant participant, RoomLeaveReason reason) {
            event(render.rooms().participantLeft(room, participant, reason));
        }

        @Override
        public void onRoomParticipantReconnecting(Room room, RoomParticipant participant) {
            event(render.rooms().participantReconnecting(room, participant));
        }

        @Override
        public void onRoomParticipantResumed(Room room, RoomParticipant participant) {
            event(render.rooms().participantResumed(room, participant));
        }

        @Override
        public void onRoomParticipantRejoined(Room room, RoomParticipant participant, String originalHandle) {
            event(render.rooms().participantRejoined(room, participant, originalHandle));
        }

        @Override
        public void onRoomResumed(Room room, String handle, String originalHandle) {
            event(render.rooms().resumed(room, handle, originalHandle));
        }

        @Override
        public void onRoomResumeFailed(Room room, DialtoneException reason) {
            event(render.rooms().resumeFailed(room, reason));
        }

        @Override
        public void onRoomLeft(Room room) {
            event(render.rooms().left(room));
        }

        @Override
        public void onDeclined(Call call, String user, DeclineReason reason, JsonNode payload) {
            event(render.declined(view(call), user, reason));
        }

        @Override
        public void onEnded(Call call, EndReason reason, String by, long durationMs) {
            CallView view = view(call);
            recent.remember(call.id());
            created.remove(call.id());
            activeSince.remove(call.id());
            event(render.ended(view, reason, by, durationMs, call.cancelReason()));
        }

        @Override
        public void onHoldChanged(Call call, String user, boolean held) {
            event(render.holdChanged(view(call), user, held));
        }

        @Override
        public void onParticipantReconnecting(Call call, String user) {
            event(render.reconnecting(view(call), user));
        }

        @Override
        public void onParticipantResumed(Call call, String user) {
            event(render.resumed(view(call), user));
        }

        @Override
        public void onSignal(Call call, String from, JsonNode data) {
            event(render.signal(view(call), from, data));
        }

        @Override
        public void onResuming() {
            event(render.resuming());
        }

        @Override
        public void onResumed(String previousResumeHandle, String newResumeHandle) {
            event(render.resumed());
        }

        @Override
        public void onResumeFailed(ResumeFailure reason) {
            if (!quitting) {
                resumeFailed = true;
                event(render.resumeFailed(reason));
            }
        }

        @Override
        public void onDisconnected(int closeCode, String reason) {
            if (quitting || !signedIn) {
                return; // asked for (quit, close) or a failed sign-in, which signIn reports
            }
            signedIn = false;
            if (resumeFailed) {
                event(render.sessionOver());
                return;
            }
            boolean forGood = closeCode == CloseCodes.REPLACED || closeCode == CloseCodes.UNAUTHORIZED;
            if (forGood) {
                synchronized (screen) {
                    promptEnabled = false;
                }
            }
            event(render.disconnected(closeCode, reason));
            if (forGood) {
                inbox.add(new Input.Exit(EXIT_SIGNED_OUT));
            }
        }
    }

    // ---- output ------------------------------------------------------------------------------------

    /** An event line, time-stamped. */
    private void event(String text) {
        print(render.stamp(LocalTime.now(clock), text));
    }

    /** Prints whole lines, keeping the prompt below them. */
    private void print(String text) {
        synchronized (screen) {
            if (promptShowing) {
                out.print("\r\u001b[K"); // only shown on a terminal: erase the prompt line
                promptShowing = false;
            }
            out.println(text);
            if (!busy) {
                showPrompt();
            }
            out.flush();
        }
    }

    /** Under the screen lock. */
    private void showPrompt() {
        if (promptEnabled && !promptShowing && !closed) {
            out.print(render.prompt(views(), roomNames(), client.connectionState()));
            promptShowing = true;
        }
        out.flush();
    }
}
