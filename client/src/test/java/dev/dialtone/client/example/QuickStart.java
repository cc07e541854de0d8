package dev.dialtone.client.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.CallDirection;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Places a video call to another user, or answers incoming calls, and prints what happens.
 *
 * <pre>
 * DIALTONE_TOKEN=$(./dialtone token bob)   java … QuickStart ws://localhost:8080/v1/ws
 * DIALTONE_TOKEN=$(./dialtone token alice) java … QuickStart ws://localhost:8080/v1/ws bob
 * </pre>
 */
public final class QuickStart {

    public static void main(String[] args) throws Exception {
        URI server = URI.create(args.length > 0 ? args[0] : "ws://localhost:8080/v1/ws");
        String callee = args.length > 1 ? args[1] : null;      // null: wait for calls
        CountDownLatch finished = new CountDownLatch(1);

        DialtoneListener listener = new DialtoneListener() {
            @Override
            public void onConnectionStateChanged(ConnectionState state) {
                System.out.println("connection: " + state);
            }

            @Override
            public void onIncomingCall(Call call, boolean waiting) {
                System.out.println(call.caller() + " calls (" + call.media().wire() + "), payload " + call.payload());
                if (waiting) {
                    call.decline(DeclineReason.BUSY, null);      // already in a call
                    return;
                }
                call.accept().thenAccept(roomId -> System.out.println("accepted; media room " + roomId))
                        .exceptionally(error -> report("accept", error));
            }

            @Override
            public void onRinging(Call call, String user) {
                System.out.println("ringing at " + user);
            }

            @Override
            public void onStarted(Call call, String roomId, List<String> participants) {
                System.out.println("call active in room " + roomId + " with " + participants);
                if (call.direction() == CallDirection.OUTGOING) {
                    // The caller starts the WebRTC exchange; the SDP travels through the server.
                    ObjectNode offer = WireCodec.get().mapper().createObjectNode()
                            .put("type", "offer").put("sdp", "v=0 …");
                    call.signal(callee, offer).exceptionally(error -> report("signal", error));
                    // Hang up after 30 seconds, from a timer thread: any thread may call the SDK.
                    CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(call::hangup);
                }
            }

            @Override
            public void onSignal(Call call, String from, JsonNode data) {
                System.out.println(from + " signals " + data.path("type").asText());
                if ("offer".equals(data.path("type").asText())) {
                    ObjectNode answer = WireCodec.get().mapper().createObjectNode()
                            .put("type", "answer").put("sdp", "v=0 …");
                    call.signal(from, answer);
                }
            }

            @Override
            public void onDeclined(Call call, String user, DeclineReason reason, JsonNode payload) {
                System.out.println(user + " did not answer: " + reason.wire());
            }

            @Override
            public void onEnded(Call call, EndReason reason, String by, long durationMs) {
                // The final callback for this call: release its media here.
                System.out.println("call ended: " + reason.wire() + (by == null ? "" : " by " + by)
                        + " after " + durationMs + " ms");
                if (call.direction() == CallDirection.OUTGOING) {
                    finished.countDown();
                }
            }

            @Override
            public void onDisconnected(int closeCode, String reason) {
                System.out.println("disconnected: " + closeCode + " " + reason);
                finished.countDown();
            }
        };

        try (DialtoneClient client = DialtoneClient.builder()
                .uri(server)
                .tokenSupplier(() -> System.getenv("DIALTONE_TOKEN"))   // called on every (re)connect
                .device("quickstart")
                .listener(listener)
                .requestTimeout(Duration.ofSeconds(10))
                .build()) {

            SessionInfo session;
            try {
                session = client.connect().get(15, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                report("connect", e);
                return;
            }
            System.out.println("signed in as " + session.user() + " (session " + session.sessionId() + ")");

            if (callee != null) {
                ObjectNode payload = WireCodec.get().mapper().createObjectNode().put("topic", "quick start");
                client.invite(InviteOptions.to(callee).media(Media.VIDEO).payload(payload)
                                .timeout(Duration.ofSeconds(20)))
                        .thenAccept(call -> System.out.println("calling " + callee + ": " + call.id()))
                        .exceptionally(error -> {
                            report("invite", error);
                            finished.countDown();
                            return null;
                        });
            }
            finished.await();
            client.logout().exceptionally(error -> null).get(5, TimeUnit.SECONDS);
        }
    }

    /** Explains a failed request by its error code. */
    static Void report(String what, Throwable error) {
        DialtoneException e = DialtoneException.of(error);
        if (e == null) {
            System.out.println(what + " failed: " + error);
            return null;
        }
        switch (e.kind()) {
            case REJECTED:
                if (e.code() == null) {
                    System.out.println(what + " refused: " + e.getMessage());
                    break;
                }
                switch (e.code()) {
                    case UNAUTHORIZED -> System.out.println("the token was refused; get a new one");
                    case BUSY -> System.out.println("you already have a call ringing");
                    case DENIED -> System.out.println("not allowed" + (e.hookCode() == null ? "" : ": " + e.hookCode()));
                    case INVALID_STATE -> System.out.println("too late: " + e.getMessage());
                    default -> System.out.println(what + " refused: " + e.code().wire() + ": " + e.getMessage());
                }
                break;
            case TIMEOUT:
                System.out.println(what + ": no answer from the server in time");
                break;
            case CONNECTION:
            case PROTOCOL:
            default:
                System.out.println(what + " failed: " + e.getMessage());
        }
        return null;
    }
}
