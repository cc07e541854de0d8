package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.CloseCodes;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Missed heartbeats detach a session (4408); a client over the command rate is refused, then closed (4429). */
class LivenessAndRateTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().heartbeatMs(300).commandsPerSecond(5)
                .resumeWindowMs(5_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSilentSocketIsClosedWith4408AndItsSessionDetachedNotEnded() {
        try (RawClient silent = RawClient.signedIn(server, "hb-silent", "d")) {
            assertThat(silent.awaitClose()).isEqualTo(CloseCodes.HEARTBEAT_MISSED);
            Awaitility.await().atMost(Duration.ofSeconds(2))
                    .until(() -> server.sessions().presence("hb-silent") == dev.dialtone.core.Presence.DETACHED);
        }
    }

    @Test
    void aClientThatPingsStaysConnected() {
        try (RawClient alive = RawClient.signedIn(server, "hb-alive", "d")) {
            long until = System.currentTimeMillis() + 1_500;
            while (System.currentTimeMillis() < until) {
                assertThat(alive.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
                Awaitility.await().pollDelay(Duration.ofMillis(250)).until(() -> true);
            }
            assertThat(alive.isClosed()).isFalse();
        }
    }

    @Test
    void commandsOverTheRateAreRefusedAndAClientThatKeepsGoingIsClosedWith4429() {
        try (RawClient eager = RawClient.signedIn(server, "rate-eager", "d")) {
            // auth was the first command of this second; four more fit.
            int refused = 0;
            for (int i = 0; i < 8; i++) {
                JsonNode reply = eager.command("calls.list", o -> { });
                if ("rate_limited".equals(reply.path("code").asText())) {
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            for (int i = 0; i < 50 && !eager.isClosed(); i++) {
                eager.sendText("{\"type\":\"calls.list\",\"id\":\"burst-" + i + "\"}");
            }
            assertThat(eager.awaitClose()).isEqualTo(CloseCodes.RATE_LIMITED);
        }
    }
}
