package dev.dialtone.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import java.util.List;

/** Everything that can happen to an existing call: user commands, timers and session changes. */
public sealed interface Action {

    /** Actions a user asks for; they can be refused with an error code. */
    sealed interface ByUser extends Action {
        Actor actor();
    }

    record Accept(Actor actor, JsonNode payload) implements ByUser {
    }

    record Decline(Actor actor, DeclineReason reason, JsonNode payload) implements ByUser {
    }

    record Cancel(Actor actor) implements ByUser {
    }

    record Hangup(Actor actor) implements ByUser {
    }

    record Hold(Actor actor) implements ByUser {
    }

    record Unhold(Actor actor) implements ByUser {
    }

    record Signal(Actor actor, String to, JsonNode data) implements ByUser {
    }

    /** A joined participant of an active call invites more users, classified by the server. */
    record InviteMore(Actor actor, List<Invitation> invitations) implements ByUser {
        public InviteMore {
            invitations = List.copyOf(invitations);
        }
    }

    /** A user who declined, missed or left an active call joins it again. */
    record Join(Actor actor) implements ByUser {
    }

    /** A timer set by {@link Effect.WakeAt} fired. */
    record Wake() implements Action {
    }

    /** A session's socket is gone but the session may resume (detached). */
    record Detached(String user, String session) implements Action {
    }

    /**
     * A new session of a user signed in (not a resume): invites that still ring for the user
     * reach it too, including those that rang while the user had no session at all.
     */
    record SignedIn(String user, String session) implements Action {
    }

    /**
     * The call is ended from outside by the server: an administrator's forced hang-up
     * ({@code forced}), or the server giving calls up as it shuts down.
     */
    record ForceEnd(EndReason reason) implements Action {
    }

    /** A detached session resumed. */
    record Resumed(String user, String session) implements Action {
    }

    /**
     * A session ended: by {@code logout} ({@code lost=false}: as if hung up) or because its resume
     * window passed ({@code lost=true}: {@code connection_lost}). {@code userStillOnline} says
     * whether the user has other sessions, which keep ringing invites alive.
     */
    record SessionEnded(String user, String session, boolean lost, boolean userStillOnline) implements Action {
    }
}
