package dev.dialtone.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An event the server sends. On the wire each event also carries {@code seq}, the session's event
 * number (1, 2, 3, … per session); the seq belongs to the frame, not to the event, because one
 * event fanned out to several sessions gets a different seq in each.
 */
public sealed interface Event {

    /** The call (or, later, room) the event is about. */
    String callId();

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
                        long expiresAt, Boolean waiting) implements Event {
    }

    /** {@code {"type":"call.ringing","seq":2,"callId":"c-…","user":"bob"}} — the invite reached a device of user. */
    @WireType("call.ringing")
    record CallRinging(String callId, String user) implements Event {
    }

    /** {@code {"type":"call.accepted","seq":3,"callId":"c-…","user":"bob","payload":{}}} */
    @WireType("call.accepted")
    record CallAccepted(String callId, String user, JsonNode payload) implements Event {
    }

    /** {@code {"type":"call.started","seq":4,"callId":"c-…","roomId":"r-…","participants":["alice","bob"]}} */
    @WireType("call.started")
    record CallStarted(String callId, String roomId, List<String> participants) implements Event {
    }

    /** {@code {"type":"call.declined","seq":3,"callId":"c-…","user":"bob","reason":"busy","payload":{}}} */
    @WireType("call.declined")
    record CallDeclined(String callId, String user, DeclineReason reason, JsonNode payload) implements Event {
    }

    /** {@code {"type":"call.canceled","seq":2,"callId":"c-…","reason":"answered_elsewhere"}} */
    @WireType("call.canceled")
    record CallCanceled(String callId, CancelReason reason) implements Event {
    }

    /** {@code {"type":"call.ended","seq":9,"callId":"c-…","reason":"hangup","by":"bob","durationMs":61234}} */
    @WireType("call.ended")
    record CallEnded(String callId, EndReason reason, String by, long durationMs) implements Event {
    }

    /** {@code {"type":"call.hold_changed","seq":5,"callId":"c-…","user":"alice","held":true}} */
    @WireType("call.hold_changed")
    record CallHoldChanged(String callId, String user, boolean held) implements Event {
    }

    /** {@code {"type":"call.participant_reconnecting","seq":6,"callId":"c-…","user":"bob"}} */
    @WireType("call.participant_reconnecting")
    record CallParticipantReconnecting(String callId, String user) implements Event {
    }

    /** {@code {"type":"call.participant_resumed","seq":7,"callId":"c-…","user":"bob"}} */
    @WireType("call.participant_resumed")
    record CallParticipantResumed(String callId, String user) implements Event {
    }

    /** {@code {"type":"call.signal","seq":8,"callId":"c-…","from":"alice","data":{"candidate":"…"}}} */
    @WireType("call.signal")
    record CallSignal(String callId, String from, JsonNode data) implements Event {
    }
}
