package dev.dialtone.client.example;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.Media;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A group call: invite several users at once, follow who is in the call, ring more users, leave
 * and join again (shown in docs/sdk-java.md).
 */
public final class GroupCall {

    public static DialtoneClient build(URI server, String token) {
        DialtoneListener listener = new DialtoneListener() {
            @Override
            public void onIncomingCall(Call call, boolean waiting) {
                System.out.println(call.caller() + " invites " + call.invitees() + " to a call");
                call.accept();
            }

            @Override
            public void onStarted(Call call, String roomId, List<String> participants) {
                // The call is active for this device: connect the media to roomId (an SFU) and show
                // everyone who is in it.
                System.out.println("in call " + call.id() + " with " + participants);
            }

            @Override
            public void onDeclined(Call call, String user, DeclineReason reason, JsonNode payload) {
                // In a group call one decline does not end the call.
                System.out.println(user + " will not join: " + reason.wire());
            }

            @Override
            public void onParticipantJoined(Call call, String user) {
                System.out.println(user + " joined; now " + call.participants());
            }

            @Override
            public void onParticipantLeft(Call call, String user, LeaveReason reason) {
                // The call goes on without them: remove their video tile.
                System.out.println(user + " left (" + reason.wire() + "); now " + call.participants());
            }

            @Override
            public void onEnded(Call call, EndReason reason, String by, long durationMs) {
                // This device left, or too few were left for the call to go on.
                System.out.println("call " + call.id() + " is over here: " + reason.wire());
            }
        };
        return DialtoneClient.builder()
                .uri(server)
                .tokenSupplier(() -> token)
                .listener(listener)
                .build();
    }

    /** Calls three users at once; the call becomes active as soon as one of them accepts. */
    public static CompletableFuture<Call> callTheTeam(DialtoneClient client) {
        return client.invite(InviteOptions.to("bob", "carol", "dave").media(Media.VIDEO));
    }

    /** Any participant of the active call may ring more users into it. */
    public static void addErin(Call call) {
        call.inviteMore("erin").exceptionally(error -> {
            DialtoneException e = DialtoneException.of(error);
            System.out.println("could not invite erin: " + (e == null ? error : e.getMessage()));
            return null;
        });
    }

    /** Leaves: the call ends for this device ({@code onEnded}) and goes on for the others. */
    public static void leave(Call call) {
        call.hangup();
    }

    /** Back into a call this user left, declined or missed, while it is still going on. */
    public static void rejoin(DialtoneClient client, String callId) {
        client.joinCall(callId)
                .thenAccept(call -> System.out.println("back in call " + call.id() + " (" + call.state().wire() + ")"))
                .exceptionally(error -> {
                    DialtoneException e = DialtoneException.of(error);
                    if (e != null && e.code() == ErrorCode.INVALID_STATE) {
                        System.out.println("the call is over, or you are already in it");
                    } else {
                        System.out.println("could not join: " + error);
                    }
                    return null;
                });
    }

    private GroupCall() {
    }
}
