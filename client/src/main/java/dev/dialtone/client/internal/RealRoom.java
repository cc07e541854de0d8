package dev.dialtone.client.internal;

import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The SDK's {@link Room}. The name is final; the changing view (handle, the others, joined) is one
 * immutable {@link View} in a volatile field, replaced only by tasks on the callback executor (so it
 * matches what the application has been told) and read from any thread. {@link #leave()} goes to
 * {@link RoomRouter}.
 */
public final class RealRoom implements Room {

    /** The changing part of a room, as of the last event delivered to the application. */
    record View(String handle, List<RoomParticipant> participants, boolean joined) {

        /** Adds the participant, or replaces the one with the same handle in its place. */
        View put(RoomParticipant participant) {
            return replace(participant.handle(), participant);
        }

        /** Puts {@code participant} in the place of the one with handle {@code old} (else of its own handle, else last). */
        View replace(String old, RoomParticipant participant) {
            List<RoomParticipant> changed = new ArrayList<>(participants);
            int at = indexOf(changed, old);
            if (at < 0) {
                at = indexOf(changed, participant.handle());
            }
            if (at < 0) {
                changed.add(participant);
            } else {
                changed.set(at, participant);
                changed.removeIf(p -> p != participant && Objects.equals(p.handle(), participant.handle()));
            }
            return new View(handle, List.copyOf(changed), joined);
        }

        View remove(String gone) {
            List<RoomParticipant> rest = new ArrayList<>(participants);
            rest.removeIf(p -> Objects.equals(p.handle(), gone));
            return new View(handle, List.copyOf(rest), joined);
        }

        /** Joined again (conference resume): a new handle and the server's list of the others. */
        View rejoined(String newHandle, List<RoomParticipant> others) {
            return new View(newHandle, List.copyOf(others), true);
        }

        View left() {
            return new View(handle, participants, false);
        }

        RoomParticipant find(String wanted) {
            for (RoomParticipant participant : participants) {
                if (Objects.equals(participant.handle(), wanted)) {
                    return participant;
                }
            }
            return null;
        }

        private static int indexOf(List<RoomParticipant> participants, String wanted) {
            if (wanted == null) {
                return -1;
            }
            for (int i = 0; i < participants.size(); i++) {
                if (wanted.equals(participants.get(i).handle())) {
                    return i;
                }
            }
            return -1;
        }
    }

    private final RoomRouter router;
    private final String name;
    private volatile View view;

    RealRoom(RoomRouter router, String name, String handle, List<RoomParticipant> others) {
        this.router = router;
        this.name = Objects.requireNonNull(name, "name");
        this.view = new View(handle, List.copyOf(others), true);
    }

    /** Changes the view. Only from tasks on the callback executor (one at a time). */
    void update(UnaryOperator<View> change) {
        view = change.apply(view);
    }

    View view() {
        return view;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String handle() {
        return view.handle();
    }

    @Override
    public List<RoomParticipant> participants() {
        return view.participants();
    }

    @Override
    public boolean isJoined() {
        return view.joined();
    }

    @Override
    public CompletableFuture<Void> leave() {
        return router.leave(this);
    }

    @Override
    public String toString() {
        View current = view;
        return "Room{" + name + ", " + current.handle() + ", " + current.participants().size() + " others"
                + (current.joined() ? "" : ", left") + "}";
    }
}
