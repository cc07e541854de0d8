package dev.dialtone.server.ice;

import dev.dialtone.core.Clock;
import dev.dialtone.protocol.IceServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code iceServers} of one session's {@code auth} or {@code resume} result: the fixed
 * servers, then (with a TURN secret) a TURN entry with credentials issued for that user just now.
 * A resume issues fresh ones, because a session can outlive the credentials it signed in with.
 * Thread-safe.
 */
public final class IceServerSource {
    private final List<IceServer> fixed;
    private final TurnCredentials turn;
    private final Clock clock;

    public IceServerSource(IceConfig config, Clock clock) {
        this.fixed = config.servers();
        this.turn = config.turnSecret() == null ? null
                : new TurnCredentials(config.turnSecret().bytes(), config.turnUrls(), config.turnTtlSeconds());
        this.clock = clock;
    }

    /** The servers for {@code user}; null when none are configured, so the field stays off the wire. */
    public List<IceServer> forUser(String user) {
        if (turn == null) {
            return fixed.isEmpty() ? null : fixed;
        }
        List<IceServer> servers = new ArrayList<>(fixed.size() + 1);
        servers.addAll(fixed);
        servers.add(turn.issue(user, clock.nowMillis()));
        return servers;
    }
}
