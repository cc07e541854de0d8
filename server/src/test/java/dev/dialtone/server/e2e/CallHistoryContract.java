package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Call records as users see them, over the wire against a real server and a real database:
 * {@code call.ended} only once the record is committed, {@code calls.history} with per-user
 * outcomes, pagination and privacy, and {@code missedCalls} in the {@code auth} result. Run
 * against embedded H2 and against PostgreSQL by the subclasses.
 */
abstract class CallHistoryContract {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static DialtoneServer server;

    /** Starts the server on the subclass's database (once per class). */
    static void start(RecordsConfig records) {
        server = DialtoneServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .secret("history-secret-history-secret-0123456789").eventLoops(2)
                .records(records).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static String name(String base) {
        return base + "-" + NAMES.incrementAndGet() + "-" + System.nanoTime();
    }

    private static RawClient signIn(String user) {
        return RawClient.signedIn(server, user, "d");
    }

    /** Signs in and returns the auth reply (for missedCalls). */
    private static JsonNode authReply(RawClient client, String user) {
        return client.command("auth", o -> o.put("token", server.tokens().sign(user, Duration.ofMinutes(5)))
                .put("device", "d"));
    }

    private static String invite(RawClient from, String to) {
        JsonNode ok = from.command("call.invite", o -> {
            o.putArray("to").add(to);
            o.put("media", "audio");
        });
        assertThat(ok.path("type").asText()).as("invite reply %s", ok).isEqualTo("ok");
        return ok.path("callId").asText();
    }

    private static JsonNode history(RawClient client, Integer limit, String before) {
        return client.command("calls.history", o -> {
            if (limit != null) {
                o.put("limit", limit);
            }
            if (before != null) {
                o.put("before", before);
            }
        });
    }

    private static List<String> callIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("calls").forEach(c -> ids.add(c.path("callId").asText()));
        return ids;
    }

    /** Calls an offline user: the call ends at once (offline) and is the caller's and the callee's record. */
    private static String missedCallTo(RawClient caller, String offline) {
        String callId = invite(caller, offline);
        caller.skipTo("call.ended");
        return callId;
    }

    @Test
    void aCallIsInBothHistoriesAsSoonAsItsCallEndedArrives() {
        String a = name("alice");
        String b = name("bob");
        try (RawClient alice = signIn(a); RawClient bob = signIn(b)) {
            String callId = invite(alice, b);
            bob.nextEvent("call.incoming");
            bob.command("call.accept", o -> o.put("callId", callId));
            alice.skipTo("call.started");
            alice.command("call.hangup", o -> o.put("callId", callId));
            alice.skipTo("call.ended");

            // No waiting: the ending is sent only after the record was committed.
            JsonNode mine = history(alice, null, null).path("calls").get(0);
            assertThat(mine.path("callId").asText()).isEqualTo(callId);
            assertThat(mine.path("caller").asText()).isEqualTo(a);
            assertThat(mine.path("outcome").asText()).isEqualTo("outgoing");
            assertThat(mine.path("media").asText()).isEqualTo("audio");
            assertThat(mine.path("endReason").asText()).isEqualTo("hangup");
            assertThat(mine.path("endedBy").asText()).isEqualTo(a);
            assertThat(mine.path("roomId").asText()).startsWith("r-");
            assertThat(mine.path("answeredAt").asLong()).isGreaterThanOrEqualTo(mine.path("createdAt").asLong());
            assertThat(mine.path("endedAt").asLong()).isGreaterThanOrEqualTo(mine.path("answeredAt").asLong());
            assertThat(mine.path("durationMs").asLong())
                    .isEqualTo(mine.path("endedAt").asLong() - mine.path("answeredAt").asLong());
            assertThat(mine.path("invitees").get(0).path("user").asText()).isEqualTo(b);
            assertThat(mine.path("invitees").get(0).path("outcome").asText()).isEqualTo("answered");

            bob.skipTo("call.ended");
            JsonNode theirs = history(bob, null, null).path("calls").get(0);
            assertThat(theirs.path("callId").asText()).isEqualTo(callId);
            assertThat(theirs.path("outcome").asText()).isEqualTo("answered");
        }
    }

    @Test
    void eachUserSeesHowTheCallWentForThem() {
        String a = name("alice");
        String b = name("bob");
        String c = name("carol");
        String d = name("dave");
        try (RawClient alice = signIn(a); RawClient bob = signIn(b); RawClient carol = signIn(c)) {
            // A group call: bob answers, carol declines, dave is offline (missed).
            JsonNode ok = alice.command("call.invite", o -> {
                o.putArray("to").add(b).add(c).add(d);
                o.put("media", "video");
            });
            String callId = ok.path("callId").asText();
            bob.nextEvent("call.incoming");
            carol.nextEvent("call.incoming");
            carol.command("call.decline", o -> o.put("callId", callId));
            bob.command("call.accept", o -> o.put("callId", callId));
            bob.skipTo("call.started");
            bob.command("call.hangup", o -> o.put("callId", callId));
            alice.skipTo("call.ended");

            JsonNode record = history(alice, null, null).path("calls").get(0);
            assertThat(record.path("callId").asText()).isEqualTo(callId);
            assertThat(record.path("invitees").toString())
                    .isEqualTo("[{\"user\":\"" + b + "\",\"outcome\":\"answered\"},{\"user\":\"" + c
                            + "\",\"outcome\":\"declined\"},{\"user\":\"" + d + "\",\"outcome\":\"missed\"}]");
            assertThat(history(carol, null, null).path("calls").get(0).path("outcome").asText()).isEqualTo("declined");
            try (RawClient dave = signIn(d)) {
                assertThat(history(dave, null, null).path("calls").get(0).path("outcome").asText()).isEqualTo("missed");
            }

            // bob declines the next one as busy.
            String second = invite(alice, b);
            bob.skipTo("call.incoming");
            bob.command("call.decline", o -> o.put("callId", second).put("reason", "busy"));
            alice.skipTo("call.ended");
            JsonNode busy = history(bob, 1, null).path("calls").get(0);
            assertThat(busy.path("callId").asText()).isEqualTo(second);
            assertThat(busy.path("outcome").asText()).isEqualTo("busy");
            assertThat(busy.path("endReason").asText()).isEqualTo("busy");
            assertThat(busy.has("answeredAt")).isFalse();
            assertThat(busy.has("roomId")).isFalse();
        }
    }

    @Test
    void historyPagesAreNewestFirstWithoutOverlapAndEndWithoutNext() {
        String a = name("alice");
        try (RawClient alice = signIn(a)) {
            List<String> placed = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                placed.add(0, missedCallTo(alice, name("offline")));
            }
            List<String> seen = new ArrayList<>();
            List<JsonNode> records = new ArrayList<>();
            String cursor = null;
            List<Integer> sizes = new ArrayList<>();
            do {
                JsonNode page = history(alice, 3, cursor);
                assertThat(page.path("type").asText()).as("page %s", page).isEqualTo("ok");
                sizes.add(page.path("calls").size());
                seen.addAll(callIds(page));
                page.path("calls").forEach(records::add);
                cursor = page.hasNonNull("next") ? page.path("next").asText() : null;
            } while (cursor != null);
            assertThat(sizes).containsExactly(3, 3, 1);
            assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(placed);
            // Newest first (calls created in the same millisecond are ordered by call id, as the
            // database collates them).
            assertThat(records).isSortedAccordingTo(
                    java.util.Comparator.comparingLong((JsonNode r) -> r.path("createdAt").asLong()).reversed());
        }
    }

    @Test
    void aUserNeverSeesCallsTheyHadNoPartIn() {
        String a = name("alice");
        String m = name("mallory");
        try (RawClient alice = signIn(a); RawClient mallory = signIn(m)) {
            missedCallTo(alice, name("offline"));
            missedCallTo(mallory, name("offline"));
            JsonNode page = history(mallory, 200, null);
            assertThat(page.path("calls")).hasSize(1);
            page.path("calls").forEach(call -> assertThat(call.toString()).contains(m));
            assertThat(page.has("next")).isFalse();
        }
    }

    @Test
    void aCursorThatIsNotOursIsABadRequestAndTheConnectionGoesOn() {
        try (RawClient alice = signIn(name("alice"))) {
            JsonNode error = history(alice, 10, "not-a-cursor");
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            JsonNode tooMany = history(alice, 1000, null);
            assertThat(tooMany.path("code").asText()).isEqualTo("bad_request");
            assertThat(tooMany.path("message").asText()).contains("limit");
            assertThat(alice.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
        }
    }

    @Test
    void missedCallsCountTheCallsMissedSinceTheUsersPreviousSessionEnded() {
        String a = name("alice");
        String b = name("bob");
        try (RawClient alice = signIn(a)) {
            missedCallTo(alice, b);
            missedCallTo(alice, b);
            try (RawClient bob = RawClient.connect(server.port())) {
                assertThat(authReply(bob, b).path("missedCalls").asInt()).isEqualTo(2);
                bob.command("logout", o -> { });
            }
            missedCallTo(alice, b);
            try (RawClient bob = RawClient.connect(server.port())) {
                assertThat(authReply(bob, b).path("missedCalls").asInt()).isEqualTo(1);
            }
            // A user nobody called has missed nothing.
            try (RawClient carol = RawClient.connect(server.port())) {
                assertThat(authReply(carol, name("carol")).path("missedCalls").asInt()).isZero();
            }
        }
    }
}
