package dev.dialtone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The SDK's {@link Call}. The fixed facts are final fields; the changing view is one immutable
 * {@link View} in a volatile field, replaced only by tasks on the callback executor (so it matches
 * what the application has been told) and read from any thread. Commands go to {@link CallCommands}.
 */
public final class RealCall implements Call {

    /** The changing part of a call, as of the last event delivered to the application. */
    record View(CallState state, String roomId, List<String> participants, Set<String> heldBy,
                Set<String> reconnecting, EndReason endReason, String endedBy, CancelReason cancelReason) {

        static View ringing(String firstParticipant) {
            return new View(CallState.RINGING, null, firstParticipant == null ? List.of() : List.of(firstParticipant),
                    Set.of(), Set.of(), null, null, null);
        }

        /** A call this device joins again with {@code call.join}: active, participants from {@code call.started}. */
        static View rejoining(String room) {
            return new View(CallState.ACTIVE, room, List.of(), Set.of(), Set.of(), null, null, null);
        }

        View active(String room) {
            return new View(CallState.ACTIVE, room != null ? room : roomId, participants, heldBy, reconnecting,
                    endReason, endedBy, cancelReason);
        }

        View started(String room, List<String> joined) {
            return new View(CallState.ACTIVE, room, joined == null ? participants : List.copyOf(joined), heldBy,
                    reconnecting, endReason, endedBy, cancelReason);
        }

        View joined(String user) {
            if (participants.contains(user)) {
                return this;
            }
            List<String> more = new ArrayList<>(participants);
            more.add(user);
            return new View(state, roomId, List.copyOf(more), heldBy, reconnecting, endReason, endedBy, cancelReason);
        }

        View left(String user) {
            List<String> rest = new ArrayList<>(participants);
            rest.remove(user);
            return new View(state, roomId, List.copyOf(rest), with(heldBy, user, false),
                    with(reconnecting, user, false), endReason, endedBy, cancelReason);
        }

        View held(String user, boolean held) {
            return new View(state, roomId, participants, with(heldBy, user, held), reconnecting, endReason, endedBy,
                    cancelReason);
        }

        View reconnecting(String user, boolean lost) {
            return new View(state, roomId, participants, heldBy, with(reconnecting, user, lost), endReason, endedBy,
                    cancelReason);
        }

        View ended(EndReason reason, String by, CancelReason canceled) {
            return new View(CallState.ENDED, roomId, participants, heldBy, Set.of(), reason, by, canceled);
        }

        private static Set<String> with(Set<String> users, String user, boolean present) {
            Set<String> changed = new LinkedHashSet<>(users);
            if (present) {
                changed.add(user);
            } else {
                changed.remove(user);
            }
            return Set.copyOf(changed);
        }
    }

    private final CallCommands commands;
    private final String id;
    private final CallDirection direction;
    private final String caller;
    private final List<String> invitees;
    private final Media media;
    private final JsonNode payload;
    private final long expiresAt;
    private final boolean waiting;
    private volatile View view;

    RealCall(CallCommands commands, String id, CallDirection direction, String caller, List<String> invitees, Media media,
             JsonNode payload, long expiresAt, boolean waiting) {
        this.commands = commands;
        this.id = Objects.requireNonNull(id, "id");
        this.direction = direction;
        this.caller = caller;
        this.invitees = invitees == null ? List.of() : List.copyOf(invitees);
        this.media = media;
        this.payload = payload;
        this.expiresAt = expiresAt;
        this.waiting = waiting;
        this.view = View.ringing(caller);
    }

    /**
     * A new object for the same call, with the same facts, joined again with {@code call.join}
     * after this one ended on this device.
     */
    RealCall rejoined(String roomId) {
        RealCall again = new RealCall(commands, id, direction, caller, invitees, media, payload, expiresAt, waiting);
        again.view = View.rejoining(roomId);
        return again;
    }

    /** A call joined with {@code call.join} that this client never saw: its facts are unknown. */
    static RealCall unknown(CallCommands commands, String id, String roomId) {
        RealCall call = new RealCall(commands, id, CallDirection.INCOMING, null, List.of(), null, null, 0, false);
        call.view = View.rejoining(roomId);
        return call;
    }

    /** Changes the view. Only from tasks on the callback executor (one at a time). */
    void update(UnaryOperator<View> change) {
        view = change.apply(view);
    }

    View view() {
        return view;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CallDirection direction() {
        return direction;
    }

    @Override
    public String caller() {
        return caller;
    }

    @Override
    public List<String> invitees() {
        return invitees;
    }

    @Override
    public Media media() {
        return media;
    }

    @Override
    public JsonNode payload() {
        return payload == null ? null : payload.deepCopy();
    }

    @Override
    public long expiresAt() {
        return expiresAt;
    }

    @Override
    public boolean isWaiting() {
        return waiting;
    }

    @Override
    public CallState state() {
        return view.state();
    }

    @Override
    public String roomId() {
        return view.roomId();
    }

    @Override
    public List<String> participants() {
        return view.participants();
    }

    @Override
    public Set<String> heldBy() {
        return view.heldBy();
    }

    @Override
    public boolean isHeldBy(String user) {
        return view.heldBy().contains(user);
    }

    @Override
    public boolean isReconnecting(String user) {
        return view.reconnecting().contains(user);
    }

    @Override
    public EndReason endReason() {
        return view.endReason();
    }

    @Override
    public CancelReason cancelReason() {
        return view.cancelReason();
    }

    @Override
    public CompletableFuture<String> accept() {
        return commands.accept(this, null);
    }

    @Override
    public CompletableFuture<String> accept(JsonNode payload) {
        return commands.accept(this, payload);
    }

    @Override
    public CompletableFuture<Void> decline() {
        return commands.decline(this, DeclineReason.REFUSED, null);
    }

    @Override
    public CompletableFuture<Void> decline(DeclineReason reason, JsonNode payload) {
        return commands.decline(this, reason, payload);
    }

    @Override
    public CompletableFuture<Void> inviteMore(String... users) {
        return commands.inviteMore(this, users);
    }

    @Override
    public CompletableFuture<Void> cancel() {
        return commands.cancel(this);
    }

    @Override
    public CompletableFuture<Void> hangup() {
        return commands.hangup(this);
    }

    @Override
    public CompletableFuture<Void> hold() {
        return commands.hold(this, true);
    }

    @Override
    public CompletableFuture<Void> unhold() {
        return commands.hold(this, false);
    }

    @Override
    public CompletableFuture<Void> signal(String to, JsonNode data) {
        return commands.signal(this, to, data);
    }

    @Override
    public String toString() {
        View current = view;
        return "Call{" + id + ", " + direction.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + (direction == CallDirection.OUTGOING ? "to " + invitees : "from " + (caller == null ? "?" : caller))
                + ", "
                + current.state().wire() + (current.roomId() == null ? "" : ", room " + current.roomId())
                + (current.endReason() == null ? "" : ", " + current.endReason().wire()) + "}";
    }
}
