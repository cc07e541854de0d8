package dev.dialtone.cli.softphone;

import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.Media;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one call as the softphone shows it: the SDK's {@link Call} view plus the local
 * times the softphone noted. A plain value, so rendering and call selection are testable without
 * a client.
 *
 * @param createdAt when this softphone first heard of the call; null if unknown
 * @param activeSince when the call became active here; null while ringing
 */
public record CallView(String id, CallDirection direction, String caller, List<String> invitees, Media media,
                       CallState state, String roomId, List<String> participants, Set<String> heldBy,
                       Set<String> reconnecting, Instant createdAt, Instant activeSince) {

    public CallView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(direction, "direction");
        invitees = invitees == null ? List.of() : List.copyOf(invitees);
        participants = participants == null ? List.of() : List.copyOf(participants);
        heldBy = heldBy == null ? Set.of() : Set.copyOf(heldBy);
        reconnecting = reconnecting == null ? Set.of() : Set.copyOf(reconnecting);
    }

    /** The view of an SDK call right now. */
    public static CallView of(Call call, Instant createdAt, Instant activeSince) {
        Set<String> everyone = new LinkedHashSet<>();
        everyone.add(call.caller());
        everyone.addAll(call.invitees());
        everyone.addAll(call.participants());
        Set<String> reconnecting = new LinkedHashSet<>();
        for (String user : everyone) {
            if (call.isReconnecting(user)) {
                reconnecting.add(user);
            }
        }
        return new CallView(call.id(), call.direction(), call.caller(), call.invitees(), call.media(), call.state(),
                call.roomId(), call.participants(), call.heldBy(), reconnecting, createdAt, activeSince);
    }

    /** Everyone in the call but {@code me}: the caller, the invitees and whoever joined. */
    public List<String> peers(String me) {
        Set<String> all = new LinkedHashSet<>();
        all.add(caller);
        all.addAll(invitees);
        all.addAll(participants);
        all.remove(me);
        return List.copyOf(all);
    }

    public boolean isIncoming() {
        return direction == CallDirection.INCOMING;
    }

    public boolean isRinging() {
        return state == CallState.RINGING;
    }

    public boolean isActive() {
        return state == CallState.ACTIVE;
    }

    /** The id as shown to people: {@code c-} and six characters, enough to tell calls apart. */
    public String shortId() {
        return shortId(id);
    }

    public static String shortId(String id) {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }
}
