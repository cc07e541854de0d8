package dev.dialtone.client.internal;

import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The calls of this client, and the routing of events and command results to them: which
 * {@link RealCall} an event is about, what it changes, and which callback reports it. Each change
 * is queued on the {@link EventQueue} as one task that updates the call's view and then calls the
 * listener, so the view matches what the application has been told.
 *
 * <p>Threading: every method but {@link #calls()} and {@link #call} runs under ClientCore's lock,
 * after the event's seq was taken. {@code visible} (the calls the application was told about) is
 * written only by EventQueue tasks and read from any thread.
 */
final class CallRouter {
    private static final System.Logger log = System.getLogger(CallRouter.class.getName());
    /** How many ended calls are remembered for {@code call.join}. */
    static final int REMEMBERED_CALLS = 64;

    /** A call events are routed to, with what only the router needs to know about it. */
    private static final class Tracked {
        final RealCall call;
        /** The caller from the start; an invitee once this device accepted (or a glare merge did). */
        boolean joined;
        long activeSinceNanos = -1;

        Tracked(RealCall call) {
            this.call = call;
        }

        void active(long now) {
            if (activeSinceNanos < 0) {
                activeSinceNanos = now;
            }
        }
    }

    private final EventQueue events;
    private final DialtoneListener listener;
    private final LongSupplier nanoClock;
    private final CallCommands commands;
    /** Guarded by ClientCore's lock. */
    private final Map<String, Tracked> calls = new LinkedHashMap<>();
    /**
     * The last calls that ended here, by id, for their facts when this device joins one again
     * ({@code call.join}). Guarded by ClientCore's lock.
     */
    private final Map<String, RealCall> dropped = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RealCall> eldest) {
            return size() > REMEMBERED_CALLS;
        }
    };
    /** Calls the application was told about and not yet told ended. Written only by EventQueue tasks. */
    private final Map<String, RealCall> visible = Collections.synchronizedMap(new LinkedHashMap<>());

    CallRouter(Requester requester, EventQueue events, DialtoneListener listener, LongSupplier nanoClock) {
        this.events = events;
        this.listener = listener;
        this.nanoClock = nanoClock;
        this.commands = new CallCommands(requester, this);
    }

    /** The commands on calls ({@code call.invite}, {@code call.accept} …), which report their results here. */
    CallCommands commands() {
        return commands;
    }

    /** The calls the application was told about and not yet told ended, oldest first. */
    List<Call> calls() {
        synchronized (visible) {
            return List.copyOf(visible.values());
        }
    }

    Optional<Call> call(String callId) {
        return Optional.ofNullable(visible.get(callId));
    }

    // ---- events ----------------------------------------------------------------------------------

    /** Routes an event (its seq already taken) to its call. */
    void route(ServerFrame.EventFrame frame, SessionState session) {
        if (!(frame.event() instanceof Event.CallEvent event)) {
            log.log(Level.DEBUG, "ignoring {0}: not a call event", frame.type());
            return;
        }
        if (event instanceof Event.CallIncoming incoming) {
            incoming(incoming);
            return;
        }
        Tracked tracked = calls.get(event.callId());
        if (tracked == null) {
            if (session.awaitingCall()) {
                // After a resume, the replayed events of a new call can precede the reply to its
                // re-sent invite (or join): keep them until the reply names the call.
                if (!session.holdEarly(frame)) {
                    log.log(Level.WARNING, "too many events for unknown calls; dropping {0}", frame.type());
                }
            } else {
                // For example a call placed from another device of this user: not this client's call.
                log.log(Level.DEBUG, "ignoring {0} for call {1}, which this client does not track", frame.type(),
                        event.callId());
            }
            return;
        }
        RealCall call = tracked.call;
        if (event instanceof Event.CallRinging e) {
            events.add(() -> listener.onRinging(call, e.user()));
        } else if (event instanceof Event.CallAccepted e) {
            events.add(() -> {
                call.update(view -> view.joined(e.user()));
                listener.onAccepted(call, e.user(), e.payload());
            });
        } else if (event instanceof Event.CallStarted e) {
            tracked.joined = true;
            tracked.active(nanoClock.getAsLong());
            events.add(() -> {
                call.update(view -> view.started(e.roomId(), e.participants()));
                listener.onStarted(call, e.roomId(), call.participants());
            });
        } else if (event instanceof Event.CallDeclined e) {
            events.add(() -> listener.onDeclined(call, e.user(), e.reason(), e.payload()));
        } else if (event instanceof Event.CallCanceled e) {
            if (call.direction() == CallDirection.INCOMING && !tracked.joined) {
                finish(tracked, endReasonOf(e.reason()), canceledBy(e.reason(), session), 0, e.reason());
            } else {
                log.log(Level.DEBUG, "call.canceled for call {0}, which this device joined or placed", call.id());
                events.add(() -> listener.onCanceled(call, e.reason()));
            }
        } else if (event instanceof Event.CallEnded e) {
            finish(tracked, e.reason(), e.by(), e.durationMs(), null);
        } else if (event instanceof Event.CallHoldChanged e) {
            events.add(() -> {
                call.update(view -> view.held(e.user(), e.held()));
                listener.onHoldChanged(call, e.user(), e.held());
            });
        } else if (event instanceof Event.CallParticipantReconnecting e) {
            events.add(() -> {
                call.update(view -> view.reconnecting(e.user(), true));
                listener.onParticipantReconnecting(call, e.user());
            });
        } else if (event instanceof Event.CallParticipantResumed e) {
            events.add(() -> {
                call.update(view -> view.reconnecting(e.user(), false));
                listener.onParticipantResumed(call, e.user());
            });
        } else if (event instanceof Event.CallSignal e) {
            events.add(() -> listener.onSignal(call, e.from(), e.data()));
        } else if (event instanceof Event.CallParticipantJoined e) {
            events.add(() -> {
                call.update(view -> view.joined(e.user()));
                listener.onParticipantJoined(call, e.user());
            });
        } else if (event instanceof Event.CallParticipantLeft e) {
            // A group call that goes on: this device's own leave is its call.ended.
            events.add(() -> {
                call.update(view -> view.left(e.user()));
                listener.onParticipantLeft(call, e.user(), e.reason());
            });
        } else {
            log.log(Level.DEBUG, "no handling for event {0}", frame.type());
        }
    }

    private void incoming(Event.CallIncoming incoming) {
        if (calls.containsKey(incoming.callId())) {
            log.log(Level.DEBUG, "call {0} is already known; ignoring call.incoming", incoming.callId());
            return;
        }
        boolean waiting = Boolean.TRUE.equals(incoming.waiting());
        RealCall call = new RealCall(commands, incoming.callId(), CallDirection.INCOMING, incoming.from(),
                incoming.invitees(), incoming.media(), incoming.payload(), incoming.expiresAt(), waiting);
        calls.put(call.id(), new Tracked(call));
        events.add(() -> {
            visible.put(call.id(), call);
            listener.onIncomingCall(call, waiting);
        });
    }

    // ---- command results -------------------------------------------------------------------------

    /** {@code call.invite} succeeded: the new outgoing call, or (glare) the incoming call it merged into. */
    void invited(InviteOptions options, Result.Invite result, ClientFuture<Call> future, SessionState session) {
        String callId = result.callId();
        Tracked tracked = calls.get(callId);
        if (Boolean.TRUE.equals(result.merged())) {
            // Glare (rule 7): our invite met the invitee's ringing invite to us, which the server
            // accepted on our behalf; the call is that incoming call, now active.
            if (tracked == null) {
                RealCall call = new RealCall(commands, callId, CallDirection.INCOMING, options.invitees().get(0),
                        List.of(session.user()), options.media(), null, 0, false);
                tracked = new Tracked(call);
                calls.put(callId, tracked);
                events.add(() -> visible.put(callId, call));
            }
            tracked.joined = true;
            tracked.active(nanoClock.getAsLong());
            RealCall call = tracked.call;
            log.log(Level.INFO, "invite to {0} merged into their call {1}", options.invitees(), callId);
            events.add(() -> {
                if (call.state() == CallState.RINGING) {
                    call.update(view -> view.active(null));
                }
                future.complete(call);
            });
        } else {
            if (tracked == null) {
                RealCall call = new RealCall(commands, callId, CallDirection.OUTGOING, session.user(),
                        options.invitees(), options.media(), options.payload(), 0, false);
                tracked = new Tracked(call);
                tracked.joined = true;
                calls.put(callId, tracked);
            }
            RealCall call = tracked.call;
            events.add(() -> {
                visible.put(callId, call);
                future.complete(call);
            });
        }
        routeEarly(callId, session);
    }

    /** Routes the events held for {@code callId} until its invite or join was answered. */
    private void routeEarly(String callId, SessionState session) {
        for (ServerFrame.EventFrame early : session.takeEarly(callId)) {
            route(early, session);
        }
        session.dropEarlyUnlessAwaitingCall();
    }

    /** This device accepted: the call is joined and active. */
    void accepted(RealCall call, String roomId, ClientFuture<String> future) {
        Tracked tracked = calls.get(call.id());
        if (tracked != null) {
            tracked.joined = true;
            tracked.active(nanoClock.getAsLong());
        }
        events.add(() -> {
            if (call.state() != CallState.ENDED) {
                call.update(view -> view.active(roomId));
            }
            future.complete(roomId);
        });
    }

    /**
     * {@code call.join} succeeded: this device is in the call again. The tracked call when there is
     * one (a call still ringing here was accepted by the join); otherwise a new object for it, with
     * the facts of the one this client dropped, if it remembers it.
     */
    void joined(String callId, String roomId, ClientFuture<Call> future, SessionState session) {
        Tracked tracked = calls.get(callId);
        if (tracked == null) {
            RealCall before = dropped.get(callId);
            RealCall call = before != null ? before.rejoined(roomId) : RealCall.unknown(commands, callId, roomId);
            tracked = new Tracked(call);
            calls.put(callId, tracked);
            log.log(Level.INFO, "joined call {0} again", callId);
            events.add(() -> visible.put(callId, call));
        }
        tracked.joined = true;
        tracked.active(nanoClock.getAsLong());
        RealCall call = tracked.call;
        events.add(() -> {
            if (call.state() != CallState.ENDED) {
                call.update(view -> view.active(roomId));
            }
            future.complete(call);
        });
        routeEarly(callId, session);
    }

    /**
     * This device declined (or hung up) a call ringing here: the server sends it no
     * {@code call.ended}, so the call ends here, by {@code user}.
     */
    void declinedHere(RealCall call, DeclineReason reason, String user) {
        Tracked tracked = calls.get(call.id());
        if (tracked != null && !tracked.joined) {
            finish(tracked, reason == DeclineReason.BUSY ? EndReason.BUSY : EndReason.DECLINED, user, 0, null);
        }
    }

    /** This device hung up: for an incoming call it had not joined, that was a decline. */
    void hungUpHere(RealCall call, String user) {
        if (call.direction() == CallDirection.INCOMING) {
            declinedHere(call, DeclineReason.REFUSED, user);
        }
    }

    /** The session is over: ends every call ({@code reason} by {@code by}), durations measured here. */
    void endAll(EndReason reason, String by) {
        long now = nanoClock.getAsLong();
        for (Tracked tracked : new ArrayList<>(calls.values())) {
            long durationMs = tracked.activeSinceNanos < 0 ? 0 : (now - tracked.activeSinceNanos) / 1_000_000;
            finish(tracked, reason, by, durationMs, null);
        }
    }

    /** The call is over for this client: forget it, then tell the application (the final callback). */
    private void finish(Tracked tracked, EndReason reason, String by, long durationMs, CancelReason canceled) {
        RealCall call = tracked.call;
        calls.remove(call.id());
        dropped.remove(call.id());
        dropped.put(call.id(), call);
        log.log(Level.DEBUG, "call {0} ended: {1}", call.id(), reason);
        events.add(() -> {
            call.update(view -> view.ended(reason, by, canceled));
            visible.remove(call.id());
            if (canceled != null) {
                listener.onCanceled(call, canceled);
            }
        });
        events.add(() -> listener.onEnded(call, reason, by, durationMs));
    }

    private static EndReason endReasonOf(CancelReason reason) {
        if (reason == null) {
            return EndReason.CANCELED;
        }
        switch (reason) {
            case NO_ANSWER:
                return EndReason.NO_ANSWER;
            case DECLINED_ELSEWHERE:
                return EndReason.DECLINED;
            case CANCELED:
            case ANSWERED_ELSEWHERE:
            default:
                return EndReason.CANCELED;
        }
    }

    /** Another device of this user acted: this user; otherwise unknown. */
    private static String canceledBy(CancelReason reason, SessionState session) {
        return reason == CancelReason.ANSWERED_ELSEWHERE || reason == CancelReason.DECLINED_ELSEWHERE
                ? session.user() : null;
    }
}
