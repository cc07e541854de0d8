package dev.dialtone.cli.softphone;

import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.RoomLeaveReason;
import java.util.List;
import java.util.Objects;

/**
 * What the softphone says about conference rooms: their events, {@code room join}/{@code leave}
 * results, {@code rooms} and the prompt's room note. Pure, like {@link EventRenderer}, which
 * hands it out ({@link EventRenderer#rooms()}).
 */
public final class RoomEventRenderer {
    private final Style style;

    public RoomEventRenderer(Style style) {
        this.style = Objects.requireNonNull(style, "style");
    }

    // ---- this client ---------------------------------------------------------------------------

    /** {@code room join} succeeded. */
    public String joined(Room room) {
        List<String> others = users(room.participants());
        return style.green("you joined room " + room.name()) + " as " + room.handle() + " — "
                + (others.isEmpty() ? "nobody else is here yet" : "with " + EventRenderer.names(others))
                + style.dim(" (`room leave` to go)");
    }

    public String alreadyIn(Room room) {
        return "you are already in room " + room.name() + " — `rooms` shows who is there";
    }

    /** The final word about a room: left on request, or the session ended. */
    public String left(Room room) {
        return "you left room " + room.name();
    }

    public String notIn(String name) {
        return "you are not in room " + name + " — `rooms` lists yours";
    }

    public String noRoom() {
        return "you are not in any room — type `room join NAME` to join one";
    }

    public String whichRoom(List<Room> rooms) {
        List<String> names = rooms.stream().map(Room::name).toList();
        return "which room? you are in " + EventRenderer.names(names) + " — e.g. `room leave " + names.get(0) + "`";
    }

    /** Conference resume: the session was lost, the room was joined again under a new handle. */
    public String resumed(Room room, String handle, String originalHandle) {
        return style.green("back in room " + room.name()) + " (your handle changed from " + originalHandle + " to "
                + handle + ")";
    }

    /** Conference resume gave up on the room. */
    public String resumeFailed(Room room, DialtoneException reason) {
        return style.red("could not get back into room " + room.name() + ": " + why(reason));
    }

    // ---- the others ----------------------------------------------------------------------------

    public String participantJoined(Room room, RoomParticipant participant) {
        return participant.user() + " joined room " + room.name();
    }

    public String participantLeft(Room room, RoomParticipant participant, RoomLeaveReason reason) {
        String why = reason == null ? "" : switch (reason) {
            case LEFT -> "";
            case CONNECTION_LOST -> " (connection lost)";
            case FORCED -> " (removed)";
        };
        return participant.user() + " left room " + room.name() + why;
    }

    public String participantReconnecting(Room room, RoomParticipant participant) {
        return style.yellow(participant.user() + " is reconnecting… (" + room.name() + ")");
    }

    public String participantResumed(Room room, RoomParticipant participant) {
        return style.green(participant.user() + " is back (" + room.name() + ")");
    }

    /** Their session could not be resumed: they joined again under a new handle. */
    public String participantRejoined(Room room, RoomParticipant participant, String originalHandle) {
        return style.green(participant.user() + " is back in room " + room.name()) + " (handle " + originalHandle
                + " is now " + participant.handle() + ")";
    }

    // ---- rooms, prompt ---------------------------------------------------------------------------

    /** The {@code rooms} command. */
    public String list(List<Room> rooms) {
        if (rooms.isEmpty()) {
            return noRoom();
        }
        StringBuilder text = new StringBuilder(rooms.size() == 1 ? "1 room:" : rooms.size() + " rooms:");
        for (Room room : rooms) {
            text.append('\n').append("  ").append(style.bold(room.name())).append("  you as ").append(room.handle());
            if (room.participants().isEmpty()) {
                text.append(", nobody else");
            }
            for (RoomParticipant participant : room.participants()) {
                text.append('\n').append("    ").append(participant.user()).append("  ").append(participant.handle())
                        .append(participant.connected() ? "" : "  reconnecting");
            }
        }
        return text.toString();
    }

    /** The prompt's note, e.g. "in room standup"; null when in no room. */
    public String promptNote(List<String> rooms) {
        if (rooms.isEmpty()) {
            return null;
        }
        return rooms.size() <= 2 ? (rooms.size() == 1 ? "in room " : "in rooms ") + EventRenderer.names(rooms)
                : "in " + rooms.size() + " rooms";
    }

    // ---- words -----------------------------------------------------------------------------------

    private static List<String> users(List<RoomParticipant> participants) {
        return participants.stream().map(RoomParticipant::user).distinct().toList();
    }

    /** Why a conference resume gave up, in a few words. */
    static String why(DialtoneException reason) {
        if (reason == null) {
            return "unknown reason";
        }
        return switch (reason.kind()) {
            case TIMEOUT -> "gave up after trying for too long";
            case CONNECTION -> "not connected";
            case PROTOCOL -> "the server's answer could not be read";
            case REJECTED -> {
                String code = reason.code() == null ? "refused" : reason.code().wire();
                String words = reason.code() == null ? "the server refused" : switch (reason.code()) {
                    case FORBIDDEN -> "your token does not allow this room";
                    case FULL -> "the room is full";
                    case DENIED -> "the server does not allow it";
                    case UNAUTHORIZED -> "the server no longer accepts the token";
                    default -> EventRenderer.serverMessage(reason).isEmpty() ? code.replace('_', ' ')
                            : EventRenderer.serverMessage(reason);
                };
                yield words + " [" + code + "]";
            }
        };
    }
}
