package dev.dialtone.protocol;

import java.util.List;

/** The fields of an {@code ok} reply, by command. */
public sealed interface Result {

    /** No fields: {@code {"type":"ok","re":"7"}}. */
    record Empty() implements Result {
        public static final Empty INSTANCE = new Empty();
    }

    /**
     * {@code auth}: {@code {"type":"ok","re":"1","session":"s-…","resumeToken":"r-…","user":"alice",
     * "device":"laptop","resumeWindowMs":60000,"heartbeatMs":15000,"missedCalls":2}}
     *
     * @param missedCalls calls this user missed since their previous session ended; absent when the
     *                    server could not count them (call records unavailable)
     * @param iceServers  STUN/TURN servers for this session's peer connections (TURN credentials
     *                    issued for this user); absent when the server has none configured
     */
    record Auth(String session, String resumeToken, String user, String device, long resumeWindowMs,
                long heartbeatMs, Integer missedCalls, List<IceServer> iceServers) implements Result {
        public Auth {
            iceServers = iceServers == null ? null : List.copyOf(iceServers);
        }
    }

    /**
     * {@code resume}: {@code {"type":"ok","re":"1","session":"s-…","resumeToken":"r-…","replayed":3,
     * "iceServers":[…]}}
     *
     * @param iceServers as for {@link Auth}, with fresh TURN credentials (the earlier ones may be
     *                   close to expiry); absent when the server has none configured
     */
    record Resume(String session, String resumeToken, int replayed, List<IceServer> iceServers) implements Result {
        public Resume {
            iceServers = iceServers == null ? null : List.copyOf(iceServers);
        }
    }

    /**
     * {@code call.invite}: {@code {"type":"ok","re":"2","callId":"c-…"}}; after glare
     * {@code {"type":"ok","re":"2","callId":"c-…","merged":true,"roomId":"r-…"}}, the call being
     * already active.
     */
    record Invite(String callId, Boolean merged, String roomId) implements Result {
    }

    /** {@code call.accept}: {@code {"type":"ok","re":"3","callId":"c-…","roomId":"r-…"}} */
    record Accept(String callId, String roomId) implements Result {
    }

    /** {@code calls.history}: {@code {"type":"ok","re":"15","calls":[…records…],"next":"…"}} — no next on the last page. */
    record History(List<CallRecord> calls, String next) implements Result {
    }

    /** {@code calls.list}: {@code {"type":"ok","re":"10","calls":[…]}} */
    record CallsList(List<CallSnapshot> calls) implements Result {
    }

    /**
     * {@code room.join}: {@code {"type":"ok","re":"13","room":"standup","handle":"h-…",
     * "participants":[{"user":"alice","handle":"h-…","connected":true}]}} — the others in the room.
     */
    record RoomJoin(String room, String handle, List<RoomParticipant> participants) implements Result {
    }

    /** One participant of a room as {@code room.join} reports it. */
    record RoomParticipant(String user, String handle, boolean connected) {
    }
}
