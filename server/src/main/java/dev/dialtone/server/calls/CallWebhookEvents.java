package dev.dialtone.server.calls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.core.Call;
import dev.dialtone.core.Effect;
import dev.dialtone.core.Party;
import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.protocol.WireCodec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a backend hears about a call: turns one committed transition into webhook events. Most
 * come from the events the transition sends users (each counted once, however many devices it
 * went to); {@code call.created}, the push events and {@code call.ended} with the record come
 * from the change itself.
 *
 * <p>Push: an invitee whom the invite reached on no attached device (offline, with the server
 * configured to keep ringing them, or only detached sessions) gets {@code call.push} with
 * {@code ringing:true}; once they stop ringing, for whatever reason, {@code call.push_retracted}
 * follows so the notification on their phone stops too. An invitee declined {@code offline} at
 * once gets {@code call.push} with {@code ringing:false}: a missed-call notification.
 *
 * <p>Not thread-safe; used on the call's shard, with the call's own set of pushed users.
 */
final class CallWebhookEvents {
    /** One webhook event: its type and its data. */
    record Item(String type, ObjectNode data) {
    }

    private final ObjectMapper json = WireCodec.get().mapper();

    /**
     * @param pushed the users of this call with a ringing push outstanding; updated here
     * @param record the call's record when this transition ended it, else null
     */
    List<Item> of(Call before, Call after, List<Effect> effects, Set<String> pushed, CallRecord record) {
        List<Item> items = new ArrayList<>();
        if (before == null) {
            items.add(created(after));
        }
        Set<Event> seen = new LinkedHashSet<>();
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send && seen.add(send.event())) {
                fromEvent(before, send.event(), items);
            }
        }
        for (Party party : after.invitees()) {
            if (party.state() == ParticipantState.INVITED && pushed.add(party.user())) {
                items.add(push(after, party));
            } else if (!party.pending() && pushed.remove(party.user())) {
                items.add(new Item("call.push_retracted", item(after).put("user", party.user())
                        .put("reason", retraction(party))));
            }
        }
        if (record != null) {
            ObjectNode ended = item(after).put("reason", record.endReason().wire())
                    .put("durationMs", record.durationMs());
            if (record.endedBy() != null) {
                ended.put("by", record.endedBy());
            }
            ended.set("record", json.valueToTree(record));
            items.add(new Item("call.ended", ended));
        }
        return items;
    }

    private void fromEvent(Call before, Event event, List<Item> items) {
        switch (event) {
            case Event.CallRinging e -> items.add(new Item("call.ringing", item(e).put("user", e.user())));
            case Event.CallAccepted e -> items.add(new Item("call.accepted", item(e).put("user", e.user())));
            case Event.CallDeclined e -> {
                items.add(new Item("call.declined", item(e).put("user", e.user()).put("reason", e.reason().wire())));
                if (e.reason() == DeclineReason.OFFLINE && !wasRinging(before, e.user())) {
                    // Declined offline as the invite was made: a missed-call notification.
                    items.add(new Item("call.push", item(e).put("user", e.user()).put("ringing", false)));
                }
            }
            case Event.CallStarted e when before != null && before.state() == CallState.RINGING -> {
                ObjectNode data = item(e).put("roomId", e.roomId());
                e.participants().forEach(data.putArray("participants")::add);
                items.add(new Item("call.started", data));
            }
            case Event.CallParticipantJoined e ->
                    items.add(new Item("call.participant_joined", item(e).put("user", e.user())));
            case Event.CallParticipantLeft e -> items.add(new Item("call.participant_left",
                    item(e).put("user", e.user()).put("reason", e.reason().wire())));
            case Event.CallHoldChanged e ->
                    items.add(new Item("call.hold_changed", item(e).put("user", e.user()).put("held", e.held())));
            default -> {
                // Incoming, canceled, reconnecting, resumed, signal and a newcomer's own started
                // are for devices, not for the backend; call.ended is told with its record.
            }
        }
    }

    private Item created(Call call) {
        ObjectNode data = item(call).put("caller", call.caller()).put("media", call.media().wire())
                .put("createdAt", call.createdAt());
        call.invitees().forEach(p -> data.withArray("invitees").add(p.user()));
        if (call.payload() != null) {
            data.set("payload", call.payload());
        }
        return new Item("call.created", data);
    }

    private Item push(Call call, Party party) {
        ObjectNode data = item(call).put("user", party.user()).put("ringing", true)
                .put("caller", call.caller()).put("media", call.media().wire()).put("expiresAt", party.expiresAt());
        if (call.payload() != null) {
            data.set("payload", call.payload());
        }
        return new Item("call.push", data);
    }

    private static boolean wasRinging(Call before, String user) {
        Party party = before == null ? null : before.party(user);
        return party != null && party.pending();
    }

    private static String retraction(Party party) {
        if (party.joined() || party.state() == ParticipantState.LEFT) {
            return "answered";
        }
        return party.declineReason() == null ? "canceled" : party.declineReason().wire();
    }

    private ObjectNode item(Event.CallEvent event) {
        return json.createObjectNode().put("callId", event.callId());
    }

    private ObjectNode item(Call call) {
        return json.createObjectNode().put("callId", call.id());
    }
}
