package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.JdbcCallRecords;
import dev.dialtone.server.records.RecordsConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful shutdown with calls in progress: the calls of a single node cannot outlive it, so
 * they end ({@code connection_lost}) before the sockets close, and their records are on disk when
 * the server has stopped.
 */
class ShutdownRecordsTest {
    @TempDir
    Path dataDir;

    @Test
    void callsInProgressAtShutdownEndAndAreRecorded() throws Exception {
        RecordsConfig records = RecordsConfig.defaults().withDataDir(dataDir.toString());
        DialtoneServer server = DialtoneServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .secret("shutdown-secret-shutdown-secret-0123456789").eventLoops(2).records(records).build());
        String callId;
        try (RawClient alice = RawClient.signedIn(server, "alice", "d");
             RawClient bob = RawClient.signedIn(server, "bob", "d")) {
            JsonNode invited = alice.command("call.invite", o -> {
                o.putArray("to").add("bob");
                o.put("media", "video");
            });
            callId = invited.path("callId").asText();
            bob.nextEvent("call.incoming");
            bob.command("call.accept", o -> o.put("callId", callId));
            alice.skipTo("call.started");

            server.close();

            assertThat(alice.skipTo("call.ended").path("reason").asText()).isEqualTo("connection_lost");
            assertThat(bob.skipTo("call.ended").path("reason").asText()).isEqualTo("connection_lost");
            assertThat(alice.awaitClose()).isEqualTo(1001);
        }
        try (JdbcCallRecords reopened = JdbcCallRecords.open(records)) {
            Optional<CallRecord> record = reopened.find(callId);
            assertThat(record).isPresent();
            assertThat(record.get().endReason()).isEqualTo(EndReason.CONNECTION_LOST);
            assertThat(record.get().answeredAt()).isNotNull();
        }
    }
}
