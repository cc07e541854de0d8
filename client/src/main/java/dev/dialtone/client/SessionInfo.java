package dev.dialtone.client;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The session the server opened for this client, as answered to {@code auth}. Immutable.
 *
 * @param sessionId the server's session id ({@code s-…})
 * @param user the signed-in user (the token's {@code sub})
 * @param device this client's device name (the server picks one when none was given)
 * @param resumeWindow how long the server keeps the session after the connection drops
 * @param heartbeat how often the client pings; the connection counts as lost after two silent
 *     intervals
 * @param missedCalls how many calls this user missed since their previous session ended; empty
 *     when the server could not count them (its call records were unavailable)
 */
public record SessionInfo(String sessionId, String user, String device, Duration resumeWindow, Duration heartbeat,
                          OptionalInt missedCalls) {
    public SessionInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(resumeWindow, "resumeWindow");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(missedCalls, "missedCalls");
    }
}
