package dev.dialtone.protocol;

import java.util.List;

/**
 * A call as {@code calls.list} reports it. The caller is listed among the participants (state
 * {@code joined} from the start).
 *
 * <pre>{@code {"callId":"c-…","caller":"alice","media":"audio","state":"active","roomId":"r-…",
 *  "createdAt":1767225600000,"participants":[{"user":"alice","state":"joined","held":false,"connected":true},
 *  {"user":"bob","state":"joined","held":true,"connected":true}]}}</pre>
 */
public record CallSnapshot(String callId, String caller, Media media, CallState state, String roomId,
                           long createdAt, List<Participant> participants) {

    /** One user's part in a call. */
    public record Participant(String user, ParticipantState state, boolean held, boolean connected) {
    }
}
