package dev.dialtone.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An event the server sends. On the wire each event also carries {@code seq}, the session's event
 * number (1, 2, 3, … per session); the seq belongs to the frame, not to the event, because one
 * event fanned out to several sessions gets a different seq in each.
 */
public sealed interface Event {

    /** Events about one call. */
    sealed interface CallEvent extends Event {
        /** The call the event is about. */
        String callId();
    }

    /** Events about one room (conference). */
    sealed interface RoomEvent extends Event {
        /** The room the event is about. */
        String room();
    }

    /** The event's wire type, e.g. {@code call.incoming}. */
    default String type() {
        return Messages.typeOf(getClass());
    }

    /**
     * {@code {"type":"call.incoming","seq":1,"callId":"c-…","from":"alice","media":"audio","payload":{},
     * "invitees":["bob"],"expiresAt":1767225600000}} — {@code waiting:true} when the invitee is already
     * in a call and the server rings anyway (call-waiting policy).
     */
    @WireType("call.incoming")
    record CallIncoming(String callId, String from, Media media, JsonNode payload, List<String> invitees,
                        long expiresAt, Boolean waiting) implements CallEvent {
    }

    /** {@code {"type":"call.ringing","seq":2,"callId":"c-…","user":"bob"}} — the invite reached a device of user. */
    @WireType("call.ringing")
    record CallRinging(String callId, String user) implements CallEvent {
    }

    /** {@code {"type":"call.accepted","seq":3,"callId":"c-…","user":"bob","payload":{}}} */
    @WireType("call.accepted")
    record CallAccepted(String callId, String user, JsonNode payload) implements CallEvent {
    }

    /** {@code {"type":"call.started","seq":4,"callId":"c-…","roomId":"r-…","participants":["alice","bob"]}} */
    @WireType("call.started")
    record CallStarted(String callId, String roomId, List<String> participants) implements CallEvent {
    }

    /** {@code {"type":"call.declined","seq":3,"callId":"c-…","user":"bob","reason":"busy","payload":{}}} */
    @WireType("call.declined")
    record CallDeclined(String callId, String user, DeclineReason reason, JsonNode payload) implements CallEvent {
    }

    /** {@code {"type":"call.canceled","seq":2,"callId":"c-…","reason":"answered_elsewhere"}} */
    @WireType("call.canceled")
    record CallCanceled(String callId, CancelReason reason) implements CallEvent {
    }

    /** {@code {"type":"call.ended","seq":9,"callId":"c-…","reason":"hangup","by":"bob","durationMs":61234}} */
    @WireType("call.ended")
    record CallEnded(String callId, EndReason reason, String by, long durationMs) implements CallEvent {
    }

    /** {@code {"type":"call.hold_changed","seq":5,"callId":"c-…","user":"alice","held":true}} */
    @WireType("call.hold_changed")
    record CallHoldChanged(String callId, String user, boolean held) implements CallEvent {
    }

    /** {@code {"type":"call.participant_reconnecting","seq":6,"callId":"c-…","user":"bob"}} */
    @WireType("call.participant_reconnecting")
    record CallParticipantReconnecting(String callId, String user) implements CallEvent {
    }

    /** {@code {"type":"call.participant_resumed","seq":7,"callId":"c-…","user":"bob"}} */
    @WireType("call.participant_resumed")
    record CallParticipantResumed(String callId, String user) implements CallEvent {
    }

    /** {@code {"type":"call.signal","seq":8,"callId":"c-…","from":"alice","data":{"candidate":"…"}}} */
    @WireType("call.signal")
    record CallSignal(String callId, String from, JsonNode data) implements CallEvent {
    }

    /** {@code {"type":"call.participant_joined","seq":9,"callId":"c-…","user":"carol"}} — a group call gained a participant. */
    @WireType("call.participant_joined")
    record CallParticipantJoined(String callId, String user) implements CallEvent {
    }

    /**
     * {@code {"type":"call.participant_left","seq":10,"callId":"c-…","user":"carol","reason":"hangup"}}
     * — a group call lost a participant; the call goes on.
     */
    @WireType("call.participant_left")
    record CallParticipantLeft(String callId, String user, LeaveReason reason) implements CallEvent {
    }

    // ---- Rooms ---------------------------------------------------------------------------

    /** {@code {"type":"room.participant_joined","seq":3,"room":"standup","user":"bob","handle":"h-…","payload":{}}} */
    @WireType("room.participant_joined")
    record RoomParticipantJoined(String room, String user, String handle, JsonNode payload) implements RoomEvent {
    }

    /** {@code {"type":"room.participant_left","seq":4,"room":"standup","user":"bob","handle":"h-…","reason":"left"}} */
    @WireType("room.participant_left")
    record RoomParticipantLeft(String room, String user, String handle, RoomLeaveReason reason) implements RoomEvent {
    }

    /** {@code {"type":"room.participant_reconnecting","seq":5,"room":"standup","user":"bob","handle":"h-…"}} */
    @WireType("room.participant_reconnecting")
    record RoomParticipantReconnecting(String room, String user, String handle) implements RoomEvent {
    }

    /** {@code {"type":"room.participant_resumed","seq":6,"room":"standup","user":"bob","handle":"h-…"}} */
    @WireType("room.participant_resumed")
    record RoomParticipantResumed(String room, String user, String handle) implements RoomEvent {
    }

    /**
     * {@code {"type":"room.participant_rejoined","seq":7,"room":"standup","user":"bob","handle":"h-new","originalHandle":"h-old"}}
     * — a participant whose session could not be resumed joined again; the two handles are the same person.
     */
    @WireType("room.participant_rejoined")
    record RoomParticipantRejoined(String room, String user, String handle, String originalHandle)
            implements RoomEvent {
    }
}
