package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.PostgresTestDatabase;
import dev.dialtone.server.records.RecordsConfig;
import dev.dialtone.server.records.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL outage under a running server: the database sits behind a TCP proxy that the test
 * stops (connections refused) and starts again. Calls go on, nothing is lost, nothing is written
 * twice, and {@code call.ended} still means "recorded" whenever the database can be reached.
 */
class RecordsOutageTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private String schema;
    private TcpProxy proxy;
    private DialtoneServer server;

    @BeforeEach
    void database() throws Exception {
        schema = PostgresTestDatabase.createSchema();
        proxy = TcpProxy.start(PostgresTestDatabase.server());
    }

    @AfterEach
    void cleanUp() throws Exception {
        proxy.start(); // a failed test may leave the database away; shutdown would wait for it
        if (server != null) {
            server.close();
        }
        proxy.close();
        PostgresTestDatabase.dropSchema(schema);
    }

    private void startServer(long recordWaitMs, int queueLimit) {
        RecordsConfig records = RecordsConfig.defaults().withUrl(PostgresTestDatabase.urlVia(proxy.port(), schema))
                .withCredentials(PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD)
                .withRetry(20, 200).withQueueLimit(queueLimit);
        server = DialtoneServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .secret("outage-secret-outage-secret-0123456789").eventLoops(2)
                .records(records).recordWaitMs(recordWaitMs).build());
    }

    private static String answeredCall(RawClient alice, RawClient bob, String to) {
        JsonNode invited = alice.command("call.invite", o -> {
            o.putArray("to").add(to);
            o.put("media", "audio");
        });
        assertThat(invited.path("type").asText()).as("invite %s", invited).isEqualTo("ok");
        String callId = invited.path("callId").asText();
        bob.skipTo("call.incoming");
        bob.command("call.accept", o -> o.put("callId", callId));
        alice.skipTo("call.started");
        bob.skipTo("call.started");
        return callId;
    }

    @Test
    void callEndedWaitsForTheRecordsCommitAndArrivesWhenTheDatabaseIsBack() {
        startServer(30_000, 1_000);
        try (RawClient alice = RawClient.signedIn(server, "alice", "d");
             RawClient bob = RawClient.signedIn(server, "bob", "d")) {
            String callId = answeredCall(alice, bob, "bob");
            proxy.stop();

            JsonNode hungUp = alice.command("call.hangup", o -> o.put("callId", callId));
            assertThat(hungUp.path("type").asText()).isEqualTo("ok");
            // The call has ended (the reply says so) but its record is not written: no call.ended yet.
            assertThat(alice.poll(500)).isNull();
            assertThat(bob.poll(100)).isNull();

            startAgain();
            JsonNode ended = alice.nextEvent("call.ended");
            assertThat(ended.path("callId").asText()).isEqualTo(callId);
            assertThat(bob.nextEvent("call.ended").path("reason").asText()).isEqualTo("hangup");
            assertThat(alice.command("calls.history", o -> { }).path("calls").get(0).path("callId").asText())
                    .isEqualTo(callId);
        }
    }

    @Test
    void callsGoOnThroughAnOutageAndEveryRecordArrivesExactlyOnceWhenItEnds() throws Exception {
        startServer(200, 3);
        try (RawClient alice = RawClient.signedIn(server, "alice", "d");
             RawClient bob = RawClient.signedIn(server, "bob", "d")) {
            proxy.stop();
            List<String> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String callId = answeredCall(alice, bob, "bob");
                alice.command("call.hold", o -> o.put("callId", callId));
                alice.command("call.hangup", o -> o.put("callId", callId));
                // The wait for the database is bounded: the ending goes out anyway.
                assertThat(alice.skipTo("call.ended").path("callId").asText()).isEqualTo(callId);
                assertThat(bob.skipTo("call.ended").path("callId").asText()).isEqualTo(callId);
                calls.add(callId);
            }
            assertThat(metric("dialtone_records_pending")).isEqualTo(3);
            assertThat(metric("dialtone_calls_ended_unrecorded_total")).isEqualTo(3);

            JsonNode history = alice.command("calls.history", o -> { });
            assertThat(history.path("code").asText()).isEqualTo("unavailable");
            // The backlog reached its limit: new calls are refused until it drains.
            JsonNode refused = alice.command("call.invite", o -> {
                o.putArray("to").add("bob");
                o.put("media", "audio");
            });
            assertThat(refused.path("code").asText()).isEqualTo("unavailable");
            assertThat(refused.path("message").asText()).contains("call records");

            startAgain();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(metric("dialtone_records_pending")).isZero());
            assertThat(rowsOf(calls)).containsExactlyInAnyOrderElementsOf(calls);
            JsonNode page = alice.command("calls.history", o -> { });
            List<String> listed = new ArrayList<>();
            page.path("calls").forEach(c -> listed.add(c.path("callId").asText()));
            assertThat(listed).containsExactlyElementsOf(calls.reversed());
            // And calls are taken again.
            String next = answeredCall(alice, bob, "bob");
            assertThat(next).isNotIn(calls);
        }
    }

    private void startAgain() {
        try {
            proxy.start();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The call ids of the calls table, one row per record (duplicates would show twice). */
    private List<String> rowsOf(List<String> calls) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = PostgresTestDatabase.connect(schema);
             ResultSet result = db.createStatement().executeQuery("SELECT call_id FROM calls")) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }

    private long metric(String name) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.E+-]+)$").matcher(text);
        assertThat(value.find()).as("%s in /metrics", name).isTrue();
        return (long) Double.parseDouble(value.group(2));
    }
}
