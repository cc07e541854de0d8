package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.client.Room;
import dev.dialtone.client.RoomParticipant;
import dev.dialtone.protocol.CancelReason;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.LeaveReason;
import dev.dialtone.protocol.ResumeFailure;
import dev.dialtone.protocol.RoomLeaveReason;
import dev.dialtone.server.DialtoneServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One SDK client in an end-to-end test, with everything its listener heard, in order. Tests wait
 * for what they expect with Awaitility, never with sleeps.
 */
final class Phone implements AutoCloseable {

    /** One listener callback as it happened. */
    record Heard(String what, Call call, String user, Object detail, Object extra) {
        String callId() {
            return call == null ? null : call.id();
        }
    }

    /**
     * What a room callback was about, kept in {@link Heard#detail()} of the {@code room-…} kinds:
     * the room, the participant (null for this client's own room callbacks), and what came with it
     * (payload, leave reason, original handle, new handle or exception).
     */
    record InRoom(Room room, RoomParticipant participant, Object info) {
    }

    final String user;
    final DialtoneClient client;
    private final List<Heard> heard = new CopyOnWriteArrayList<>();

    private Phone(int port, String user, String device, String token) {
        this.user = user;
        this.client = DialtoneClient.builder()
                .uri(URI.create("ws://127.0.0.1:" + port + "/v1/ws"))
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .tokenSupplier(() -> token)
                .device(device)
                .requestTimeout(Duration.ofSeconds(5))
                .listener(new Recorder())
                .build();
    }

    static Phone signIn(DialtoneServer server, String user) {
        return signIn(server, user, "phone");
    }

    static Phone signIn(DialtoneServer server, String user, String device) {
        Phone phone = new Phone(server.port(), user, device, server.tokens().sign(user, Duration.ofMinutes(5)));
        phone.client.connect().join();
        return phone;
    }

    /** A phone whose connection runs through a proxy that can break it. */
    static Phone signInVia(ChaosProxy proxy, DialtoneServer server, String user) {
        Phone phone = new Phone(proxy.port(), user, "phone", server.tokens().sign(user, Duration.ofMinutes(5)));
        phone.client.connect().join();
        return phone;
    }

    /** A phone that has not connected, holding the given token. */
    static Phone withToken(DialtoneServer server, String user, String token) {
        return new Phone(server.port(), user, "phone", token);
    }

    List<Heard> heard() {
        return List.copyOf(heard);
    }

    /** Waits until the listener heard something matching, and returns it. */
    Heard await(String what, Predicate<Heard> matching) {
        return Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                () -> heard.stream().filter(h -> h.what().equals(what) && matching.test(h)).findFirst().orElse(null),
                h -> h != null);
    }

    Heard await(String what) {
        return await(what, h -> true);
    }

    Heard await(String what, String callId) {
        return await(what, h -> callId.equals(h.callId()));
    }

    Call awaitIncoming() {
        return await("incoming").call();
    }

    /** How many callbacks of a kind were heard in all. */
    long count(String what) {
        return heard.stream().filter(h -> h.what().equals(what)).count();
    }

    /** How many callbacks of a kind were heard for a call. */
    long count(String what, String callId) {
        return heard.stream().filter(h -> h.what().equals(what) && callId.equals(h.callId())).count();
    }

    /** The kinds of callbacks heard for a call, in order. */
    List<String> story(String callId) {
        return heard.stream().filter(h -> callId.equals(h.callId())).map(Heard::what).toList();
    }

    /** Asserts the whole story of a call as this phone heard it, once it has settled for 200 ms. */
    void assertNothingMoreFor(String callId, List<String> expectedStory) {
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> story(callId).size() >= expectedStory.size());
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5))
                .until(() -> story(callId).size() == story(callId).size());
        assertThat(story(callId)).isEqualTo(expectedStory);
    }

    @Override
    public void close() {
        client.close();
    }

    private final class Recorder implements DialtoneListener {
        @Override
        public void onConnectionStateChanged(ConnectionState state) {
            heard.add(new Heard("state", null, null, state, null));
        }

        @Override
        public void onIncomingCall(Call call, boolean waiting) {
            heard.add(new Heard("incoming", call, call.caller(), waiting, call.payload()));
        }

        @Override
        public void onRinging(Call call, String user) {
            heard.add(new Heard("ringing", call, user, null, null));
        }

        @Override
        public void onAccepted(Call call, String user, JsonNode payload) {
            heard.add(new Heard("accepted", call, user, payload, null));
        }

        @Override
        public void onStarted(Call call, String roomId, List<String> participants) {
            heard.add(new Heard("started", call, null, roomId, participants));
        }

        @Override
        public void onDeclined(Call call, String user, DeclineReason reason, JsonNode payload) {
            heard.add(new Heard("declined", call, user, reason, payload));
        }

        @Override
        public void onCanceled(Call call, CancelReason reason) {
            heard.add(new Heard("canceled", call, null, reason, null));
        }

        @Override
        public void onEnded(Call call, EndReason reason, String by, long durationMs) {
            heard.add(new Heard("ended", call, by, reason, durationMs));
        }

        @Override
        public void onHoldChanged(Call call, String user, boolean held) {
            heard.add(new Heard("hold", call, user, held, null));
        }

        @Override
        public void onParticipantReconnecting(Call call, String user) {
            heard.add(new Heard("reconnecting", call, user, null, null));
        }

        @Override
        public void onParticipantResumed(Call call, String user) {
            heard.add(new Heard("resumed", call, user, null, null));
        }

        @Override
        public void onSignal(Call call, String from, JsonNode data) {
            heard.add(new Heard("signal", call, from, data, null));
        }

        @Override
        public void onParticipantJoined(Call call, String user) {
            heard.add(new Heard("joined", call, user, null, null));
        }

        @Override
        public void onParticipantLeft(Call call, String user, LeaveReason reason) {
            heard.add(new Heard("left", call, user, reason, null));
        }

        @Override
        public void onRoomParticipantJoined(Room room, RoomParticipant participant, JsonNode payload) {
            heard.add(new Heard("room-joined", null, participant.user(), new InRoom(room, participant, payload),
                    List.copyOf(room.participants())));
        }

        @Override
        public void onRoomParticipantLeft(Room room, RoomParticipant participant, RoomLeaveReason reason) {
            heard.add(new Heard("room-left", null, participant.user(), new InRoom(room, participant, reason),
                    List.copyOf(room.participants())));
        }

        @Override
        public void onRoomParticipantReconnecting(Room room, RoomParticipant participant) {
            heard.add(new Heard("room-reconnecting", null, participant.user(), new InRoom(room, participant, null),
                    List.copyOf(room.participants())));
        }

        @Override
        public void onRoomParticipantResumed(Room room, RoomParticipant participant) {
            heard.add(new Heard("room-resumed", null, participant.user(), new InRoom(room, participant, null),
                    List.copyOf(room.participants())));
        }

        @Override
        public void onRoomParticipantRejoined(Room room, RoomParticipant participant, String originalHandle) {
            heard.add(new Heard("room-rejoined", null, participant.user(),
                    new InRoom(room, participant, originalHandle), List.copyOf(room.participants())));
        }

        @Override
        public void onRoomResumed(Room room, String handle, String originalHandle) {
            heard.add(new Heard("room-self-resumed", null, null, new InRoom(room, null, originalHandle), handle));
        }

        @Override
        public void onRoomResumeFailed(Room room, DialtoneException reason) {
            heard.add(new Heard("room-self-resume-failed", null, null, new InRoom(room, null, reason), null));
        }

        @Override
        public void onRoomLeft(Room room) {
            heard.add(new Heard("room-self-left", null, null, new InRoom(room, null, null), null));
        }

        @Override
        public void onResuming() {
            heard.add(new Heard("resuming", null, null, null, null));
        }

        @Override
        public void onResumed(String previousResumeHandle, String newResumeHandle) {
            heard.add(new Heard("resumed-session", null, null, previousResumeHandle, newResumeHandle));
        }

        @Override
        public void onResumeFailed(ResumeFailure reason) {
            heard.add(new Heard("resume-failed", null, null, reason, null));
        }

        @Override
        public void onDisconnected(int closeCode, String reason) {
            heard.add(new Heard("disconnected", null, null, closeCode, reason));
        }
    }
}
