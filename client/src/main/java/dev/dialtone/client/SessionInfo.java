package dev.dialtone.client;

import dev.dialtone.protocol.IceServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The session the server opened for this client, as answered to {@code auth} (and, for
 * {@link #iceServers()}, to the latest {@code resume}). Immutable.
 *
 * @param sessionId the server's session id ({@code s-…})
 * @param user the signed-in user (the token's {@code sub})
 * @param device this client's device name (the server picks one when none was given)
 * @param resumeWindow how long the server keeps the session after the connection drops
 * @param heartbeat how often the client pings; the connection counts as lost after two silent
 *     intervals
 * @param missedCalls how many calls this user missed since their previous session ended; empty
 *     when the server could not count them (its call records were unavailable)
 * @param iceServers the STUN and TURN servers to give this session's {@code RTCPeerConnection}s (or
 *     any other ICE agent), in the server's order; the TURN credentials among them are issued for
 *     this user and expire (the server sets how long, a day by default), and each resume brings
 *     fresh ones, so read this again from {@link DialtoneClient#session()} before setting up media.
 *     Empty when the server has none configured.
 */
public record SessionInfo(String sessionId, String user, String device, Duration resumeWindow, Duration heartbeat,
                          OptionalInt missedCalls, List<IceServer> iceServers) {
    public SessionInfo {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(resumeWindow, "resumeWindow");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(missedCalls, "missedCalls");
        iceServers = List.copyOf(Objects.requireNonNull(iceServers, "iceServers"));
    }

    /** A session without ICE servers; kept so that code written before {@link #iceServers()} compiles. */
    public SessionInfo(String sessionId, String user, String device, Duration resumeWindow, Duration heartbeat,
                       OptionalInt missedCalls) {
        this(sessionId, user, device, resumeWindow, heartbeat, missedCalls, List.of());
    }
}
