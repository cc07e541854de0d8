package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rule 11 over time: an ended call answers late commands with how it ended for as long as it is
 * remembered, and is forgotten after that (here a short retention stands in for the 60 s).
 */
class EndedCallRetentionWireTest {
    private static final long RETENTION_MS = 400;
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().endedCallRetentionMs(RETENTION_MS).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLateCommandHearsHowTheCallEndedUntilTheRetentionIsOverThenTheCallIsGone() {
        try (RawClient alice = RawClient.signedIn(server, "r-alice", "d");
             RawClient bob = RawClient.signedIn(server, "r-bob", "d")) {
            String callId = alice.command("call.invite", o -> {
                o.putArray("to").add("r-bob");
                o.put("media", "audio");
            }).path("callId").asText();
            bob.nextEvent("call.incoming");
            // The server's clock of the ending is at or after this moment, so the call is
            // remembered at least until RETENTION_MS after it.
            long beforeEnd = System.currentTimeMillis();
            alice.command("call.cancel", o -> o.put("callId", callId));
            bob.skipTo("call.canceled");
            alice.skipTo("call.ended");

            JsonNode late = bob.command("call.accept", o -> o.put("callId", callId));
            if (System.currentTimeMillis() - beforeEnd < RETENTION_MS) {
                assertThat(late.path("code").asText()).isEqualTo("invalid_state");
                assertThat(late.path("message").asText()).contains("canceled");
            }

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                    assertThat(bob.command("call.accept", o -> o.put("callId", callId)).path("code").asText())
                            .isEqualTo("not_found"));
            assertThat(System.currentTimeMillis() - beforeEnd).isGreaterThanOrEqualTo(RETENTION_MS);
        }
    }
}
