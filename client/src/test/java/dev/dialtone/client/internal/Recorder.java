package dev.dialtone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Records every callback as one line, with the call's state as the callback saw it, and the thread
 * it ran on; tests compare the lines. Hooks let a test act inside a callback.
 */
class Recorder implements DialtoneListener {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<Call> incoming = new CopyOnWriteArrayList<>();
    final List<DialtoneException> roomResumeFailures = new CopyOnWriteArrayList<>();
    Consumer<Call> onIncoming = call -> { };

    void record(String line) {
        lines.add(line);
        threads.add(Thread.currentThread().getName());
    }

    /** The lines without the connection and session ones. */
    List<String> callLines() {
        List<String> calls = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("state ") && !line.startsWith("disconnected ") && !line.startsWith("session ")) {
                calls.add(line);
            }
        }
        return calls;
    }

    private static String view(Call call) {
        return call.id() + " [" + call.state().wire() + (call.roomId() == null ? "" : " " + call.roomId()) + "]";
    }

    /** {@code standup [h-1] {bob/h-b, carol/h-c~}}: the room's handle and others ({@code ~}: reconnecting). */
    static String view(Room room) {
        StringBuilder others = new StringBuilder();
        for (RoomParticipant participant : room.participants()) {
            others.append(others.length() == 0 ? "" : ", ").append(participant(participant));
        }
        return room.name() + " [" + room.handle() + (room.isJoined() ? "" : " left") + "] {" + others + "}";
    }

    static String participant(RoomParticipant participant) {
        return participant.user() + "/" + participant.handle() + (participant.connected() ? "" : "~");
    }

    @Override
    public void onConnectionStateChanged(ConnectionState state) {
        record("state " + state);
    }

    @Override
    public void onIncomingCall(Call call, boolean waiting) {
        incoming.add(call);
        record("incoming " + view(call) + " from " + call.caller() + (waiting ? " waiting" : ""));
        onIncoming.accept(call);
    }

    @Override
    public void onRinging(Call call, String user) {
        record("ringing " + view(call) + " " + user);
    }

    @Override
    public void onAccepted(Call call, String user, JsonNode payload) {
        record("accepted " + view(call) + " " + user + (payload == null ? "" : " " + payload));
    }

    @Override
    public void onStarted(Call call, String roomId, List<String> participants) {
        record("started " + view(call) + " " + participants);
    }

    @Override
    public void onDeclined(Call call, String user, DeclineReason reason, JsonNode payload) {
        record("declined " + view(call) + " " + user + " " + reason.wire());
    }

    @Override
    public void onCanceled(Call call, CancelReason reason) {
        record("canceled " + view(call) + " " + reason.wire());
    }

    @Override
    public void onEnded(Call call, EndReason reason, String by, long durationMs) {
        record("ended " + view(call) + " " + reason.wire() + " by " + by + " " + durationMs + "ms");
    }

    @Override
    public void onHoldChanged(Call call, String user, boolean held) {
        record("hold " + view(call) + " " + user + " " + held);
    }

    @Override
    public void onParticipantReconnecting(Call call, String user) {
        record("reconnecting " + view(call) + " " + user);
    }

    @Override
    public void onParticipantResumed(Call call, String user) {
        record("resumed " + view(call) + " " + user);
    }

    @Override
    public void onSignal(Call call, String from, JsonNode data) {
        record("signal " + view(call) + " " + from + " " + data);
    }

    @Override
    public void onParticipantJoined(Call call, String user) {
        record("participant joined " + view(call) + " " + user + " " + call.participants());
    }

    @Override
    public void onParticipantLeft(Call call, String user, LeaveReason reason) {
        record("participant left " + view(call) + " " + user + " " + reason.wire() + " " + call.participants());
    }

    @Override
    public void onRoomParticipantJoined(Room room, RoomParticipant participant, JsonNode payload) {
        record("room joined " + view(room) + " " + participant(participant) + (payload == null ? "" : " " + payload));
    }

    @Override
    public void onRoomParticipantLeft(Room room, RoomParticipant participant, RoomLeaveReason reason) {
        record("room left " + view(room) + " " + participant(participant) + " " + reason.wire());
    }

    @Override
    public void onRoomParticipantReconnecting(Room room, RoomParticipant participant) {
        record("room reconnecting " + view(room) + " " + participant(participant));
    }

    @Override
    public void onRoomParticipantResumed(Room room, RoomParticipant participant) {
        record("room resumed " + view(room) + " " + participant(participant));
    }

    @Override
    public void onRoomParticipantRejoined(Room room, RoomParticipant participant, String originalHandle) {
        record("room rejoined " + view(room) + " " + participant(participant) + " was " + originalHandle);
    }

    @Override
    public void onRoomResumed(Room room, String handle, String originalHandle) {
        record("room resume ok " + view(room) + " " + handle + " was " + originalHandle);
    }

    @Override
    public void onRoomResumeFailed(Room room, DialtoneException reason) {
        roomResumeFailures.add(reason);
        record("room resume failed " + view(room) + " " + (reason.code() != null ? reason.code().wire()
                : reason.kind().name()));
    }

    @Override
    public void onRoomLeft(Room room) {
        record("room gone " + view(room));
    }

    @Override
    public void onResuming() {
        record("session resuming");
    }

    @Override
    public void onResumed(String previousResumeHandle, String newResumeHandle) {
        record("session resumed " + previousResumeHandle + " -> " + newResumeHandle);
    }

    @Override
    public void onResumeFailed(ResumeFailure reason) {
        record("session resume failed " + reason.wire());
    }

    @Override
    public void onDisconnected(int closeCode, String reason) {
        record("disconnected " + closeCode + " " + reason);
    }
}
