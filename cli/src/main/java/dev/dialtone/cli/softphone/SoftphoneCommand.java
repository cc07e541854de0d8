package dev.dialtone.cli.softphone;

import dev.dialtone.protocol.Media;
import java.util.List;
import java.util.Objects;

/**
 * One line typed at the softphone's prompt, as {@link CommandLineParser} understood it. A
 * {@code target} names the call to act on (a call id prefix or the other user's name); null means
 * "the current call".
 */
public sealed interface SoftphoneCommand {

    /** {@code call USER… [video|audio]}: one user, or several for a group call. */
    record Dial(List<String> users, Media media) implements SoftphoneCommand {
        public Dial {
            users = List.copyOf(users);
            Objects.requireNonNull(media, "media");
        }
    }

    /** {@code accept [CALL]}. */
    record Accept(String target) implements SoftphoneCommand {
    }

    /** {@code decline [busy] [CALL]}. */
    record Decline(String target, boolean busy) implements SoftphoneCommand {
    }

    /** {@code cancel [CALL]}. */
    record Cancel(String target) implements SoftphoneCommand {
    }

    /** {@code hold [CALL]}. */
    record Hold(String target) implements SoftphoneCommand {
    }

    /** {@code unhold [CALL]}. */
    record Unhold(String target) implements SoftphoneCommand {
    }

    /** {@code hangup [CALL]}. */
    record Hangup(String target) implements SoftphoneCommand {
    }

    /** {@code invite USER…}: ring more users into the current (active) call. */
    record InviteMore(List<String> users) implements SoftphoneCommand {
        public InviteMore {
            users = List.copyOf(users);
        }
    }

    /** {@code join CALL}: join again an active call this user declined, missed or left (an id prefix). */
    record Join(String call) implements SoftphoneCommand {
        public Join {
            Objects.requireNonNull(call, "call");
        }
    }

    /** {@code room join NAME}. */
    record RoomJoin(String room) implements SoftphoneCommand {
        public RoomJoin {
            Objects.requireNonNull(room, "room");
        }
    }

    /** {@code room leave [NAME]}; null: the only room this client is in. */
    record RoomLeave(String room) implements SoftphoneCommand {
    }

    /** {@code rooms}: the rooms this client is in, with their participants. */
    record ListRooms() implements SoftphoneCommand {
    }

    /** {@code status [CALL]}: this client's view of its calls. */
    record Status(String target) implements SoftphoneCommand {
    }

    /** {@code calls}: the server's {@code calls.list}. */
    record ListCalls() implements SoftphoneCommand {
    }

    /** {@code help}. */
    record Help() implements SoftphoneCommand {
    }

    /** {@code reconnect}: sign in again after the connection dropped. */
    record Reconnect() implements SoftphoneCommand {
    }

    /** {@code quit}: log out and exit. */
    record Quit() implements SoftphoneCommand {
    }

    /** An empty line. */
    record Empty() implements SoftphoneCommand {
    }

    /** A line that is not a command; {@code message} says why, in plain words. */
    record Invalid(String message) implements SoftphoneCommand {
    }
}
