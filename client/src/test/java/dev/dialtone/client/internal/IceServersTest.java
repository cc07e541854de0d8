package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.client.SessionInfo;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.IceServer;
import dev.dialtone.protocol.Result;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link SessionInfo#iceServers()}: from the auth result, replaced by each resume that brings fresh ones. */
class IceServersTest {
    private static final IceServer STUN = IceServer.of("stun:stun.example.com:3478");

    private static IceServer turn(long expiry) {
        return new IceServer(List.of("turn:turn.example.com:3478"), expiry + ":alice", "cred-" + expiry);
    }

    private static SessionInfo signIn(Harness h, List<IceServer> servers) {
        CompletableFuture<SessionInfo> connect = h.core.connect();
        h.ok(h.idOf(Command.Auth.class), new Result.Auth("s-1", "r-1", "alice", "laptop", Harness.RESUME_WINDOW_MS,
                Harness.HEARTBEAT_MS, 0, servers));
        return connect.join();
    }

    @Test
    void theAuthResultsServersAreTheSessionsAndAResumeRenewsThem() {
        Harness h = new Harness();
        assertThat(signIn(h, List.of(STUN, turn(100))).iceServers()).containsExactly(STUN, turn(100));

        h.lose();
        h.ok(h.resume().id(), new Result.Resume("s-1", "r-2", 0, List.of(STUN, turn(200))));
        assertThat(h.core.session()).map(SessionInfo::iceServers).contains(List.of(STUN, turn(200)));

        // A resume result without the field keeps what the session had.
        h.lose();
        h.resumed("r-3", 0);
        assertThat(h.core.session()).map(SessionInfo::iceServers).contains(List.of(STUN, turn(200)));
    }

    @Test
    void noneConfiguredIsAnEmptyList() {
        Harness h = new Harness();
        assertThat(signIn(h, null).iceServers()).isEmpty();
    }
}
