package dev.dialtone.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A command a client sends. Every command but {@code ack} carries a client-chosen {@code id} (at
 * most 64 characters) and is answered exactly once with {@code ok} or {@code error} whose
 * {@code re} is that id. Records validate on construction, so an invalid command cannot exist.
 */
public sealed interface Command {

    /** The client-chosen id, echoed in the reply's {@code re}; null only for {@code ack}. */
    String id();

    /** The command's wire type, e.g. {@code call.invite}. */
    default String type() {
        return Messages.typeOf(getClass());
    }

    // ---- Session -------------------------------------------------------------------------

    /** {@code {"type":"auth","id":"1","token":"eyJ…","device":"laptop"}} */
    @WireType("auth")
    record Auth(String id, String token, String device) implements Command {
        public Auth {
            id = Validate.commandId(id);
            Validate.required(token, "token");
            if (device != null && (device.isEmpty() || device.length() > Limits.MAX_USER_LENGTH)) {
                throw new IllegalArgumentException("device must be 1 to " + Limits.MAX_USER_LENGTH + " characters");
            }
        }
    }

    /** {@code {"type":"resume","id":"1","session":"s-…","resumeToken":"r-…","lastSeq":17}} */
    @WireType("resume")
    record Resume(String id, String session, String resumeToken, long lastSeq) implements Command {
        public Resume {
            id = Validate.commandId(id);
            Validate.required(session, "session");
            Validate.required(resumeToken, "resumeToken");
            if (lastSeq < 0) {
                throw new IllegalArgumentException("lastSeq must not be negative");
            }
        }
    }

    /** {@code {"type":"ack","seq":17}} — no reply; lets the server drop buffered events up to seq. */
    @WireType("ack")
    record Ack(String id, long seq) implements Command {
        public Ack {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must not be negative");
            }
        }

        /** An ack as clients send it: without an id, since it gets no reply. */
        public Ack(long seq) {
            this(null, seq);
        }
    }

    /** {@code {"type":"ping","id":"7"}} — answered with an empty ok. */
    @WireType("ping")
    record Ping(String id) implements Command {
        public Ping {
            id = Validate.commandId(id);
        }
    }

    /** {@code {"type":"logout","id":"9"}} — ends the session; its calls end as if hung up. */
    @WireType("logout")
    record Logout(String id) implements Command {
        public Logout {
            id = Validate.commandId(id);
        }
    }

    // ---- Calls ---------------------------------------------------------------------------

    /** Commands that act on one existing call. */
    sealed interface OnCall extends Command {
        String callId();
    }

    /**
     * {@code {"type":"call.invite","id":"2","to":["bob"],"media":"video","payload":{"topic":"x"},"timeoutMs":30000}}
     * — {@code timeoutMs} is optional (server default); ok result: {@code callId} (and
     * {@code merged:true} when it met the invitee's own invite, rule 7).
     */
    @WireType("call.invite")
    record CallInvite(String id, List<String> to, Media media, JsonNode payload, Integer timeoutMs) implements Command {
        public CallInvite {
            id = Validate.commandId(id);
            to = Validate.users(to, "to");
            Validate.required(media, "media");
            payload = Validate.optionalObject(payload, "payload", Limits.MAX_PAYLOAD_BYTES);
            if (timeoutMs != null
                    && (timeoutMs < Limits.MIN_RING_TIMEOUT_MS || timeoutMs > Limits.MAX_RING_TIMEOUT_MS)) {
                throw new IllegalArgumentException("timeoutMs must be between " + Limits.MIN_RING_TIMEOUT_MS
                        + " and " + Limits.MAX_RING_TIMEOUT_MS);
            }
        }
    }

    /** {@code {"type":"call.accept","id":"3","callId":"c-…","payload":{}}} — ok: {@code callId}, {@code roomId}. */
    @WireType("call.accept")
    record CallAccept(String id, String callId, JsonNode payload) implements OnCall {
        public CallAccept {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
            payload = Validate.optionalObject(payload, "payload", Limits.MAX_PAYLOAD_BYTES);
        }
    }

    /** {@code {"type":"call.decline","id":"4","callId":"c-…","reason":"busy","payload":{}}} — reason defaults to refused. */
    @WireType("call.decline")
    record CallDecline(String id, String callId, DeclineReason reason, JsonNode payload) implements OnCall {
        public CallDecline {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
            if (reason == null) {
                reason = DeclineReason.REFUSED;
            }
            if (reason != DeclineReason.REFUSED && reason != DeclineReason.BUSY) {
                throw new IllegalArgumentException("reason must be refused or busy");
            }
            payload = Validate.optionalObject(payload, "payload", Limits.MAX_PAYLOAD_BYTES);
        }
    }

    /** {@code {"type":"call.cancel","id":"5","callId":"c-…"}} — caller only, before anyone answered. */
    @WireType("call.cancel")
    record CallCancel(String id, String callId) implements OnCall {
        public CallCancel {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
        }
    }

    /** {@code {"type":"call.hangup","id":"6","callId":"c-…"}} — cancel, decline or hang up, by state. */
    @WireType("call.hangup")
    record CallHangup(String id, String callId) implements OnCall {
        public CallHangup {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
        }
    }

    /** {@code {"type":"call.hold","id":"7","callId":"c-…"}} */
    @WireType("call.hold")
    record CallHold(String id, String callId) implements OnCall {
        public CallHold {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
        }
    }

    /** {@code {"type":"call.unhold","id":"8","callId":"c-…"}} — only the holder. */
    @WireType("call.unhold")
    record CallUnhold(String id, String callId) implements OnCall {
        public CallUnhold {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
        }
    }

    /** {@code {"type":"call.signal","id":"9","callId":"c-…","to":"bob","data":{"sdp":"v=0…"}}} — relayed as is. */
    @WireType("call.signal")
    record CallSignal(String id, String callId, String to, JsonNode data) implements OnCall {
        public CallSignal {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
            Validate.user(to, "to");
            Validate.required(data, "data");
            if (data.isNull() || data.isMissingNode()) {
                throw new IllegalArgumentException("data is required");
            }
            Validate.maxSize(data, "data", Limits.MAX_SIGNAL_BYTES);
        }
    }

    /** {@code {"type":"calls.list","id":"10"}} — ok: {@code calls}, snapshots of the user's current calls. */
    @WireType("calls.list")
    record CallsList(String id) implements Command {
        public CallsList {
            id = Validate.commandId(id);
        }
    }

    /**
     * {@code {"type":"calls.history","id":"15","limit":50,"before":"…"}} — ok: {@code calls}, records
     * of ended calls this user took part in, newest first, and {@code next}, the cursor of the next
     * page (absent on the last page).
     */
    @WireType("calls.history")
    record CallsHistory(String id, Integer limit, String before) implements Command {
        public static final int DEFAULT_LIMIT = 50;
        public static final int MAX_LIMIT = 200;

        public CallsHistory {
            id = Validate.commandId(id);
            if (limit == null) {
                limit = DEFAULT_LIMIT;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
            }
            if (before != null && (before.isEmpty() || before.length() > 256)) {
                throw new IllegalArgumentException("before must be a cursor from a previous page");
            }
        }
    }

    // ---- Group calls -----------------------------------------------------------------------

    /** {@code {"type":"call.invite_more","id":"11","callId":"c-…","to":["carol"]}} — any joined participant of an active call. */
    @WireType("call.invite_more")
    record CallInviteMore(String id, String callId, List<String> to) implements OnCall {
        public CallInviteMore {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
            to = Validate.users(to, "to");
        }
    }

    /** {@code {"type":"call.join","id":"12","callId":"c-…"}} — an invitee who declined, missed or left joins again; ok: callId, roomId. */
    @WireType("call.join")
    record CallJoin(String id, String callId) implements OnCall {
        public CallJoin {
            id = Validate.commandId(id);
            Validate.required(callId, "callId");
        }
    }

    // ---- Rooms ---------------------------------------------------------------------------

    /**
     * {@code {"type":"room.join","id":"13","room":"standup","payload":{},"originalHandle":"h-old"}} —
     * {@code originalHandle} when re-joining after a session that could not be resumed. ok: room,
     * handle, participants.
     */
    @WireType("room.join")
    record RoomJoin(String id, String room, JsonNode payload, String originalHandle) implements Command {
        public RoomJoin {
            id = Validate.commandId(id);
            room = Validate.roomName(room);
            payload = Validate.optionalObject(payload, "payload", Limits.MAX_PAYLOAD_BYTES);
            if (originalHandle != null && (originalHandle.isEmpty() || originalHandle.length() > Limits.MAX_ID_LENGTH)) {
                throw new IllegalArgumentException("originalHandle must be 1 to " + Limits.MAX_ID_LENGTH + " characters");
            }
        }
    }

    /** {@code {"type":"room.leave","id":"14","room":"standup"}} */
    @WireType("room.leave")
    record RoomLeave(String id, String room) implements Command {
        public RoomLeave {
            id = Validate.commandId(id);
            room = Validate.roomName(room);
        }
    }
}
