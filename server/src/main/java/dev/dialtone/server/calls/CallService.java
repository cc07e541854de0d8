package dev.dialtone.server.calls;

import dev.dialtone.core.Action;
import dev.dialtone.core.Actor;
import dev.dialtone.core.Call;
import dev.dialtone.core.CallMachine;
import dev.dialtone.core.Clock;
import dev.dialtone.core.Effect;
import dev.dialtone.core.IdSource;
import dev.dialtone.core.Invitation;
import dev.dialtone.core.LineBook;
import dev.dialtone.core.Outcome;
import dev.dialtone.core.Party;
import dev.dialtone.core.Presence;
import dev.dialtone.core.Target;
import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.CallSnapshot;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Reply;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.protocol.WireCodec.EncodedEvent;
import dev.dialtone.server.metrics.Metrics;
import dev.dialtone.server.session.Scheduler;
import dev.dialtone.server.session.Session;
import dev.dialtone.server.session.SessionListener;
import dev.dialtone.server.session.SessionRegistry;
import dev.dialtone.server.util.SerialShards;
import dev.dialtone.server.webhooks.Webhooks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls: turns commands, timers and session changes into state-machine actions on the call's
 * shard, commits the transition, answers the command, then carries out the effects (events to
 * sessions, wake-up timers). Ended calls are kept for {@code retentionMs} so late commands hear how
 * the call ended (rule 11).
 *
 * <p>Threading: public methods may be called from any thread; all work on a call happens on its
 * shard. {@link LiveCall#call} is published with a volatile write so readers such as
 * {@code calls.list} see a consistent immutable snapshot.
 */
public final class CallService implements SessionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CallService.class);

    /** A call in the table, with its wake-up timer. Mutated only on the call's shard. */
    private static final class LiveCall {
        volatile Call call;
        long timer = -1;
        /** Invitees who joined at some point, for the record's outcomes. */
        final Set<String> answered = new HashSet<>();
        /** Invitees with a ringing push outstanding (see {@link CallWebhookEvents}). */
        final Set<String> pushed = new HashSet<>();
        /** Completes once the ending's events went out (after the record's commit). */
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        LiveCall(Call call) {
            this.call = call;
        }
    }

    /** A committed transition, waiting to be carried out; {@code recorded} is set when it ended the call. */
    private record Committed(LiveCall live, List<Effect> effects, List<CallWebhookEvents.Item> webhookEvents,
                             CompletableFuture<Void> recorded) {
    }

    /**
     * How calls are run.
     *
     * @param retentionMs how long an ended call is remembered for late commands (rule 11)
     * @param ringOffline keep ringing invitees who have no session (for push), instead of
     *                    declining them {@code offline} at once
     * @param endedWaitMs longest a {@code call.ended} waits for its record's commit; after that it
     *                    goes out anyway and the record follows when the database is back
     */
    public record Settings(long retentionMs, int shardCount, boolean ringOffline, long endedWaitMs) {
    }

    private final CallMachine machine;
    private final LineBook lines;
    private final SessionRegistry sessions;
    private final Scheduler scheduler;
    private final Clock clock;
    private final IdSource ids;
    private final Metrics metrics;
    private final CallRecorder recorder;
    private final Webhooks webhooks;
    private final Settings settings;
    private final CallWebhookEvents webhookEvents = new CallWebhookEvents();
    private final SerialShards shards;
    private final WireCodec codec = WireCodec.get();
    private final ConcurrentHashMap<String, LiveCall> calls = new ConcurrentHashMap<>();
    private final EndedCalls<LiveCall> endedCalls = new EndedCalls<>();
    private final long sweepIntervalMs;

    public CallService(CallMachine machine, LineBook lines, SessionRegistry sessions, Scheduler scheduler,
                       Clock clock, IdSource ids, Metrics metrics, CallRecorder recorder, Webhooks webhooks,
                       Settings settings) {
        this.machine = machine;
        this.lines = lines;
        this.sessions = sessions;
        this.scheduler = scheduler;
        this.clock = clock;
        this.ids = ids;
        this.metrics = metrics;
        this.recorder = recorder;
        this.webhooks = webhooks;
        this.settings = settings;
        this.shards = new SerialShards("calls", settings.shardCount());
        // A call is forgotten at most a tenth of its retention late (and never more than a second).
        this.sweepIntervalMs = Math.clamp(settings.retentionMs() / 10, 10, 1_000);
        scheduler.schedule(sweepIntervalMs, this::forgetEndedCalls);
    }

    /** Forgets the ended calls whose retention is over, then comes back for the next ones. */
    private void forgetEndedCalls() {
        // Off the calls' shards: remove(id, call) is atomic, and a command already queued for a
        // call forgotten now still holds the ended call and answers from it.
        endedCalls.forgetDue(clock.nowMillis(), calls::remove);
        scheduler.schedule(sweepIntervalMs, this::forgetEndedCalls);
    }

    // ---- commands ------------------------------------------------------------------------------

    /** {@code call.invite}: admission (rules 1, 2, 3, 7), then the new call, on the new call's shard. */
    public void invite(Session session, Command.CallInvite invite, Replier replier) {
        if (invite.to().contains(session.user())) {
            replier.reply(Reply.error(invite.id(), ErrorCode.BAD_REQUEST, "you cannot call yourself"));
            return;
        }
        if (invite.to().size() > machine.policy().maxInvitees()) {
            replier.reply(Reply.error(invite.id(), ErrorCode.BAD_REQUEST,
                    "a call may invite at most " + machine.policy().maxInvitees() + " users"));
            return;
        }
        if (!recorder.acceptingNewCalls()) {
            replier.reply(Reply.error(invite.id(), ErrorCode.UNAVAILABLE,
                    "call records cannot be written right now, so new calls are refused; try again shortly"));
            return;
        }
        invite(session, invite, Replier.once(replier), true);
    }

    private void invite(Session session, Command.CallInvite invite, Replier replier, boolean mayMerge) {
        String callId = ids.newCallId();
        Consumer<RuntimeException> failed = e -> replier.reply(Replier.internal(invite.id(), invite.type()));
        shards.run(callId, () -> {
            Actor actor = new Actor(session.user(), session.id());
            LineBook.Admission admission = lines.admit(callId, session.user(), invite.to(),
                    machine.policy().busyPolicy(), this::reach);
            switch (admission) {
                case LineBook.Admission.CallerBusy busy -> replier.reply(Reply.error(invite.id(), ErrorCode.BUSY,
                        "your call " + busy.ringingCallId() + " is still ringing"));
                case LineBook.Admission.Glare glare when mayMerge -> merge(glare.existingCallId(), actor, session,
                        invite, replier);
                case LineBook.Admission.Glare glare -> replier.reply(Reply.error(invite.id(), ErrorCode.INVALID_STATE,
                        "your invite crossed " + glare.existingCallId() + " twice; try again"));
                case LineBook.Admission.Admitted admitted -> {
                    Outcome.Transition created = machine.create(callId, actor, admitted.invitations(), invite.media(),
                            invite.payload(), invite.timeoutMs(), clock.nowMillis());
                    LiveCall live = new LiveCall(created.call());
                    calls.put(callId, live);
                    metrics.callState(null, CallState.RINGING, null);
                    Committed committed = commit(live, null, created);
                    replier.reply(Reply.ok(invite.id(), new Result.Invite(callId, null, null)));
                    carryOut(committed);
                }
            }
        }, failed);
    }

    /** Rule 7: the invitee's own invite to us is ringing; accept it on our behalf. */
    private void merge(String existingCallId, Actor actor, Session session, Command.CallInvite invite,
                       Replier replier) {
        shards.run(existingCallId, () -> {
            LiveCall live = calls.get(existingCallId);
            Outcome outcome = live == null ? null
                    : machine.apply(live.call, new Action.Accept(actor, invite.payload()), clock.nowMillis());
            if (outcome instanceof Outcome.Transition transition) {
                Committed committed = commit(live, live.call, transition);
                log.info("invite from {} merged into crossing call {}", actor.user(), existingCallId);
                replier.reply(Reply.ok(invite.id(), new Result.Invite(existingCallId, true, transition.call().roomId())));
                carryOut(committed);
            } else {
                // The crossing call ended meanwhile: place the invite as an ordinary call.
                invite(session, invite, replier, false);
            }
        }, e -> replier.reply(Replier.internal(invite.id(), invite.type())));
    }

    /** Every command on an existing call. */
    public void act(Session session, Command.OnCall command, Replier reply) {
        Replier replier = Replier.once(reply);
        Actor actor = new Actor(session.user(), session.id());
        Action action = switch (command) {
            case Command.CallAccept c -> new Action.Accept(actor, c.payload());
            case Command.CallDecline c -> new Action.Decline(actor, c.reason(), c.payload());
            case Command.CallCancel c -> new Action.Cancel(actor);
            case Command.CallHangup c -> new Action.Hangup(actor);
            case Command.CallHold c -> new Action.Hold(actor);
            case Command.CallUnhold c -> new Action.Unhold(actor);
            case Command.CallSignal c -> new Action.Signal(actor, c.to(), c.data());
            case Command.CallJoin c -> new Action.Join(actor);
            case Command.CallInviteMore c -> null; // classified on the call's shard, below
        };
        if (command instanceof Command.CallInviteMore more && more.to().contains(session.user())) {
            replier.reply(Reply.error(command.id(), ErrorCode.BAD_REQUEST, "you cannot invite yourself"));
            return;
        }
        shards.run(command.callId(), () -> {
            LiveCall live = calls.get(command.callId());
            if (live == null) {
                replier.reply(Reply.error(command.id(), ErrorCode.NOT_FOUND, "no call " + command.callId()));
                return;
            }
            Call before = live.call;
            Action todo = action != null ? action : inviteMore(before, actor, (Command.CallInviteMore) command);
            Outcome outcome = machine.apply(before, todo, clock.nowMillis());
            if (todo instanceof Action.InviteMore more && outcome instanceof Outcome.Rejection) {
                releaseUnrung(before, more);
            }
            switch (outcome) {
                case Outcome.Rejection rejection ->
                        replier.reply(Reply.error(command.id(), rejection.code(), rejection.message()));
                case Outcome.Transition transition -> {
                    Committed committed = commit(live, before, transition);
                    Result result = command instanceof Command.CallAccept || command instanceof Command.CallJoin
                            ? new Result.Accept(transition.call().id(), transition.call().roomId())
                            : Result.Empty.INSTANCE;
                    replier.reply(Reply.ok(command.id(), result));
                    carryOut(committed);
                }
            }
        }, e -> replier.reply(Replier.internal(command.id(), command.type())));
    }

    /**
     * {@code call.invite_more}: classifies the new invitees (busy, offline, free) only if the actor
     * may invite at all, so that a refused command claims no one's line.
     */
    private Action inviteMore(Call call, Actor actor, Command.CallInviteMore more) {
        var party = call.party(actor.user());
        boolean mayInvite = party != null && party.joined() && call.state() == CallState.ACTIVE;
        List<Invitation> invitations = mayInvite
                ? lines.admitMore(call.id(), more.to(), machine.policy().busyPolicy(), this::reach)
                : List.of();
        return new Action.InviteMore(actor, invitations);
    }

    /** A refused invite_more gives back the lines it claimed for users who are not in the call. */
    private void releaseUnrung(Call call, Action.InviteMore more) {
        for (Invitation invitation : more.invitations()) {
            var party = call.party(invitation.user());
            if (party == null || !(party.pending() || party.joined())) {
                lines.release(call.id(), invitation.user());
            }
        }
    }

    /** {@code calls.list}: the user's calls that have not ended. */
    public List<CallSnapshot> snapshotsFor(String user) {
        List<CallSnapshot> snapshots = new ArrayList<>();
        for (String callId : lines.callsOf(user)) {
            LiveCall live = calls.get(callId);
            if (live != null && live.call.state() != CallState.ENDED) {
                snapshots.add(live.call.snapshot());
            }
        }
        return snapshots;
    }

    // ---- sessions ------------------------------------------------------------------------------

    @Override
    public void opened(Session session) {
        forEachCallOf(session.user(), new Action.SignedIn(session.user(), session.id()));
    }

    @Override
    public void detached(Session session) {
        forEachCallOf(session.user(), new Action.Detached(session.user(), session.id()));
    }

    @Override
    public void resumed(Session session) {
        forEachCallOf(session.user(), new Action.Resumed(session.user(), session.id()));
    }

    @Override
    public void ended(Session session, boolean lost) {
        // Evaluated now: whether another device of the user can still answer what rings.
        boolean stillOnline = sessions.hasSessions(session.user());
        forEachCallOf(session.user(), new Action.SessionEnded(session.user(), session.id(), lost, stillOnline));
    }

    private void forEachCallOf(String user, Action action) {
        for (String callId : lines.callsOf(user)) {
            shards.run(callId, () -> applyServerAction(calls.get(callId), action));
        }
    }

    /** Applies a timer's, a session's or the server's own action to a call; on the call's shard. */
    private void applyServerAction(LiveCall live, Action action) {
        if (live == null) {
            return;
        }
        Call before = live.call;
        if (machine.apply(before, action, clock.nowMillis()) instanceof Outcome.Transition transition) {
            carryOut(commit(live, before, transition));
        }
    }

    /**
     * Rule 3 with push: under {@code ringOffline} an invitee without a session counts as one whose
     * sessions are all detached, so the invite rings (and waits) until they sign in or it times out.
     */
    private Presence reach(String user) {
        Presence presence = sessions.presence(user);
        return settings.ringOffline() && presence == Presence.OFFLINE ? Presence.DETACHED : presence;
    }

    // ---- the server's own actions ----------------------------------------------------------------

    /** What a forced end found. */
    public enum ForceOutcome { ENDED, ALREADY_ENDED, NOT_FOUND }

    /** Ends a call by force ({@code call.ended} / {@code forced} to everyone in it): the admin API's hang-up. */
    public CompletableFuture<ForceOutcome> forceEnd(String callId) {
        CompletableFuture<ForceOutcome> outcome = new CompletableFuture<>();
        shards.run(callId, () -> {
            LiveCall live = calls.get(callId);
            if (live == null) {
                outcome.complete(ForceOutcome.NOT_FOUND);
            } else if (live.call.state() == CallState.ENDED) {
                outcome.complete(ForceOutcome.ALREADY_ENDED);
            } else {
                log.info("call {} ended by force", callId);
                applyServerAction(live, new Action.ForceEnd(EndReason.FORCED));
                outcome.complete(ForceOutcome.ENDED);
            }
        }, outcome::completeExceptionally);
        return outcome;
    }

    /**
     * Ends every call in progress (server shutdown): the calls of a single node cannot outlive
     * it, so they end {@code connection_lost} and are recorded. Completes once every ending went out.
     */
    public CompletableFuture<Void> endAll() {
        List<CompletableFuture<Void>> endings = new ArrayList<>();
        for (LiveCall live : calls.values()) {
            endings.add(live.finished);
            shards.run(live.call.id(), () -> applyServerAction(live, new Action.ForceEnd(EndReason.CONNECTION_LOST)));
        }
        return CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new));
    }

    /** Snapshots of every call in progress (admin API). */
    public List<CallSnapshot> activeCalls() {
        List<CallSnapshot> snapshots = new ArrayList<>();
        for (LiveCall live : calls.values()) {
            Call call = live.call;
            if (call.state() != CallState.ENDED) {
                snapshots.add(call.snapshot());
            }
        }
        return snapshots;
    }

    /** A snapshot of one call in progress or recently ended, if the server still has it. */
    public CallSnapshot liveCall(String callId) {
        LiveCall live = calls.get(callId);
        return live == null ? null : live.call.snapshot();
    }

    /** The ids of the calls a user rings in or is in (admin API's presence). */
    public List<String> callIdsOf(String user) {
        return List.copyOf(lines.callsOf(user));
    }

    // ---- committing and effects ----------------------------------------------------------------

    /**
     * Makes a transition the call's state: lines, metrics, log, the record of an ending. What it
     * asks the world to do is returned, to be carried out once the command has its answer.
     */
    private Committed commit(LiveCall live, Call before, Outcome.Transition transition) {
        Call after = transition.call();
        live.call = after;
        lines.update(after);
        for (Party party : after.invitees()) {
            if (party.joined()) {
                live.answered.add(party.user());
            }
        }
        if (before != null && before.state() != after.state()) {
            metrics.callState(before.state(), after.state(), after.endReason());
        } else if (before == null && after.state() == CallState.ENDED) {
            metrics.callState(CallState.RINGING, CallState.ENDED, after.endReason());
        }
        if (log.isDebugEnabled() && before != null && before != after) {
            log.debug("call {}: {} → {}", after.id(), before.state().wire(), after.state().wire());
        }
        boolean ended = after.state() == CallState.ENDED && (before == null || before.state() != CallState.ENDED);
        CallRecord record = null;
        CompletableFuture<Void> recorded = null;
        if (ended) {
            // Debug, not info: at thousands of calls a second a line per call is most of a log's
            // volume and a measurable share of the server's time; the call records keep each one.
            if (log.isDebugEnabled()) {
                log.debug("call {} ended: {}{}, {} ms", after.id(), after.endReason().wire(),
                        after.endedBy() == null ? "" : " by " + after.endedBy(), after.durationMs());
            }
            scheduler.cancel(live.timer);
            live.timer = -1;
            endedCalls.add(after.id(), live, clock.nowMillis() + settings.retentionMs());
            record = EndedCallRecord.of(after, live.answered);
            recorded = recorder.record(record);
        }
        List<CallWebhookEvents.Item> events = webhooks.enabled()
                ? webhookEvents.of(before, after, transition.effects(), live.pushed, record)
                : List.of();
        return new Committed(live, transition.effects(), events, recorded);
    }

    /**
     * Carries out a committed transition. An ending waits for its record's commit, so that
     * {@code call.ended} means "and it is in your history"; if the database does not answer within
     * {@code endedWaitMs} the ending goes out anyway (the record stays queued until it is back).
     */
    private void carryOut(Committed committed) {
        CompletableFuture<Void> recorded = committed.recorded();
        if (recorded == null || recorded.isDone()) {
            perform(committed);
            return;
        }
        String callId = committed.live().call.id();
        AtomicBoolean performed = new AtomicBoolean();
        Runnable once = () -> {
            if (performed.compareAndSet(false, true)) {
                shards.run(callId, () -> perform(committed));
            }
        };
        long fallback = scheduler.schedule(settings.endedWaitMs(), () -> {
            if (!recorded.isDone()) {
                metrics.endedBeforeRecorded();
            }
            once.run();
        });
        recorded.whenComplete((ok, failure) -> {
            scheduler.cancel(fallback);
            once.run();
        });
    }

    private void perform(Committed committed) {
        LiveCall live = committed.live();
        Map<Event, EncodedEvent> encoded = new IdentityHashMap<>();
        for (Effect effect : committed.effects()) {
            switch (effect) {
                case Effect.Send send -> {
                    EncodedEvent frame = encoded.computeIfAbsent(send.event(), codec::encodeEvent);
                    deliver(send.to(), frame);
                }
                case Effect.WakeAt wake -> arm(live, wake);
            }
        }
        String callId = live.call.id();
        for (CallWebhookEvents.Item event : committed.webhookEvents()) {
            webhooks.publish(callId, event.type(), event.data());
        }
        if (committed.recorded() != null) {
            webhooks.done(callId);
            live.finished.complete(null);
        }
    }

    private void deliver(Target target, EncodedEvent frame) {
        switch (target) {
            case Target.User to -> sessions.ofUser(to.user()).forEach(s -> s.deliver(frame));
            case Target.UserExcept to -> sessions.ofUser(to.user()).forEach(s -> {
                if (!s.id().equals(to.exceptSession())) {
                    s.deliver(frame);
                }
            });
            case Target.Session to -> {
                Session session = sessions.find(to.session());
                if (session != null && session.user().equals(to.user())) {
                    session.deliver(frame);
                }
            }
        }
    }

    private void arm(LiveCall live, Effect.WakeAt wake) {
        scheduler.cancel(live.timer);
        String callId = wake.callId();
        long delay = Math.max(1, wake.at() - clock.nowMillis());
        live.timer = scheduler.schedule(delay, () -> shards.run(callId, () -> {
            LiveCall current = calls.get(callId);
            if (current != live) {
                return;
            }
            applyServerAction(live, new Action.Wake());
        }));
    }

    @Override
    public void close() {
        shards.close();
    }
}
