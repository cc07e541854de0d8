package dev.dialtone.server.admin;

import static dev.dialtone.server.admin.AdminCalls.KEY;
import static dev.dialtone.server.admin.AdminCalls.answered;
import static dev.dialtone.server.admin.AdminCalls.assertNoMoreEvents;
import static dev.dialtone.server.admin.AdminCalls.hangup;
import static dev.dialtone.server.admin.AdminCalls.name;
import static dev.dialtone.server.admin.AdminCalls.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The admin REST API against a running server: real HTTP for the API, real WebSockets for the
 * users whose calls it watches and ends, H2 for the records.
 */
class AdminApiTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Every operation behind the key, with a request that would succeed with it. */
    private static final List<String[]> SECURED = List.of(
            new String[] {"GET", "/calls"},
            new String[] {"GET", "/calls/active"},
            new String[] {"GET", "/calls/c-nonexistent"},
            new String[] {"POST", "/calls/c-nonexistent/hangup"},
            new String[] {"GET", "/users/nobody/presence"},
            new String[] {"POST", "/tokens"});

    private static DialtoneServer server;
    private static AdminHttp admin;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(AdminCalls.config().adminKey(KEY).build());
        admin = AdminHttp.withKey(server, KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AdminHttp.Answer send(AdminHttp http, String[] route) {
        return http.send(route[0], route[1], route[0].equals("POST") && route[1].equals("/tokens")
                ? "{\"user\":\"someone\"}" : null);
    }

    private static List<JsonNode> list(JsonNode array) {
        assertThat(array.isArray()).as("an array: %s", array).isTrue();
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> callIds(JsonNode calls) {
        return list(calls).stream().map(c -> c.path("callId").asText()).toList();
    }

    // ---- authentication ----------------------------------------------------------------------

    @Nested
    class Authentication {

        @Test
        void withoutAnAuthorizationHeaderEveryOperationIsUnauthorizedWithABearerChallenge() {
            AdminHttp anonymous = AdminHttp.anonymous(server);
            for (String[] route : SECURED) {
                AdminHttp.Answer answer = send(anonymous, route);
                answer.expectError(401, "unauthorized");
                assertThat(answer.header("WWW-Authenticate")).as("%s %s", route[0], route[1]).isEqualTo("Bearer");
            }
        }

        @Test
        void aWrongKeyOfTheSameOrAnotherLengthOrSchemeIsUnauthorized() {
            char last = KEY.charAt(KEY.length() - 1);
            String sameLength = KEY.substring(0, KEY.length() - 1) + (char) (last == 'x' ? 'y' : 'x');
            List<String> wrongHeaders = List.of(
                    "Bearer " + sameLength,
                    "Bearer " + KEY.substring(0, KEY.length() - 1),
                    "Bearer " + KEY + "x",
                    "Bearer " + KEY.toUpperCase(java.util.Locale.ROOT),
                    "Bearer ",
                    "Basic " + KEY,
                    KEY,
                    "Bearer" + KEY);
            for (String header : wrongHeaders) {
                AdminHttp wrong = AdminHttp.withAuthorization(server, header);
                for (String[] route : SECURED) {
                    AdminHttp.Answer answer = send(wrong, route);
                    assertThat(answer.status()).as("%s %s with Authorization: %s", route[0], route[1], header)
                            .isEqualTo(401);
                    answer.expectError(401, "unauthorized");
                    assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
                }
            }
        }

        @Test
        void theRightKeyIsLetIn() {
            admin.get("/calls").expect(200);
            admin.get("/calls/active").expect(200);
            admin.get("/users/nobody/presence").expect(200);
            admin.post("/tokens", "{\"user\":\"someone\"}").expect(201);
            // The scheme is case-insensitive (RFC 7235).
            AdminHttp.withAuthorization(server, "bearer " + KEY).get("/calls/active").expect(200);
            assertThat(admin.get("/calls/active").header("WWW-Authenticate")).isNull();
        }

        @Test
        void anUnknownRouteUnderTheApiIsAJson404() {
            admin.get("/nothing-here").expectError(404, "not_found");
            admin.get("/calls/x/y/z").expectError(404, "not_found");
            admin.send("DELETE", "/calls/c-1", null).expectError(404, "not_found");
            admin.post("/calls/active", "{}").expectError(404, "not_found");
            // Without the key, unknown routes are not revealed either.
            AdminHttp.anonymous(server).get("/nothing-here").expectError(401, "unauthorized");
        }

        @Test
        void aServerWithoutAnAdminKeyAnswers404DisabledToAllButTheDocument() {
            try (DialtoneServer plain = DialtoneServer.start(AdminCalls.config().build())) {
                List<AdminHttp> clients = List.of(AdminHttp.anonymous(plain), AdminHttp.withKey(plain, KEY));
                for (AdminHttp http : clients) {
                    for (String[] route : SECURED) {
                        send(http, route).expectError(404, "disabled");
                    }
                    http.get("/nothing-here").expectError(404, "disabled");
                    AdminHttp.Answer document = http.get("/openapi.json");
                    document.expect(200);
                    assertThat(document.body()).isEqualTo(AdminApi.openApiDocument());
                }
            }
        }

        @Test
        void theDocumentIsPublicOnAServerWithAKey() {
            for (AdminHttp http : List.of(AdminHttp.anonymous(server),
                    AdminHttp.withAuthorization(server, "Bearer wrong-key-wrong-key"))) {
                AdminHttp.Answer document = http.get("/openapi.json");
                document.expect(200);
                assertThat(document.body()).isEqualTo(AdminApi.openApiDocument());
            }
        }
    }

    // ---- request bodies ----------------------------------------------------------------------

    @Nested
    class Bodies {
        /** A /tokens body of exactly {@code bytes} bytes. */
        private static String tokenBody(int bytes) {
            String frame = "{\"user\":\"carol\",\"rooms\":[\"\"]}";
            String body = "{\"user\":\"carol\",\"rooms\":[\"" + "r".repeat(bytes - frame.length()) + "\"]}";
            assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(bytes);
            return body;
        }

        @Test
        void aBodyUpTo16KiBIsReadAndALargerOneIsAJson413() {
            admin.post("/tokens", tokenBody(16 * 1024)).expect(201);
            admin.post("/tokens", tokenBody(16 * 1024 + 1)).expectError(413, "too_large");
            admin.post("/tokens", tokenBody(20_000)).expectError(413, "too_large");
            admin.post("/calls/c-unknown/hangup", tokenBody(20_000)).expectError(413, "too_large");
            // Without the key, the size does not matter: the answer is 401.
            AdminHttp.anonymous(server).post("/tokens", tokenBody(20_000)).expectError(401, "unauthorized");
        }

        @Test
        void aBodyTheBodyReaderCannotParseIsAJson400() {
            for (String form : List.of("user=%zz", "garbage%zz=&&{\"user\":\"u\"}", "a=%", "%zz")) {
                AdminHttp.Answer answer = admin.send("POST", "/tokens", form, "application/x-www-form-urlencoded");
                assertThat(answer.status()).as("form %s answered %s", form, answer.body()).isEqualTo(400);
                answer.expectError(400, "bad_request");
            }
            admin.send("POST", "/tokens", "{\"user\":\"carol\"}", "text/plain").expect(201);
            // What curl -d sends: a JSON body labelled as a form.
            JsonNode minted = admin.send("POST", "/tokens", "{\"user\":\"carol\",\"rooms\":[\"team-*\"]}",
                    "application/x-www-form-urlencoded").expect(201);
            assertThat(minted.path("user").asText()).isEqualTo("carol");
        }
    }

    // ---- forced hang-up ----------------------------------------------------------------------

    @Nested
    class ForcedHangup {

        @Test
        void anActiveCallEndsForcedForBothSidesAndIsRecordedAsForced() {
            String aliceName = name("alice");
            String bobName = name("bob");
            try (RawClient alice = RawClient.signedIn(server, aliceName, "laptop");
                 RawClient bob = RawClient.signedIn(server, bobName, "phone")) {
                String callId = answered(alice, bob, bobName);

                JsonNode forced = admin.post("/calls/" + callId + "/hangup", null).expect(200);
                assertThat(forced.path("callId").asText()).isEqualTo(callId);
                assertThat(forced.path("reason").asText()).isEqualTo("forced");

                for (RawClient side : List.of(alice, bob)) {
                    JsonNode ended = side.nextEvent("call.ended");
                    assertThat(ended.path("callId").asText()).isEqualTo(callId);
                    assertThat(ended.path("reason").asText()).isEqualTo("forced");
                    assertThat(ended.has("by")).as("nobody in the call ended it: %s", ended).isFalse();
                    assertNoMoreEvents(side);
                }

                JsonNode record = await().atMost(WAIT).until(
                        () -> admin.get("/calls/" + callId).expect(200).path("record"), JsonNode::isObject);
                assertThat(record.path("callId").asText()).isEqualTo(callId);
                assertThat(record.path("caller").asText()).isEqualTo(aliceName);
                assertThat(record.path("endReason").asText()).isEqualTo("forced");
                assertThat(record.has("endedBy")).isFalse();
                assertThat(record.path("answeredAt").isIntegralNumber()).isTrue();
                assertThat(record.path("roomId").asText()).startsWith("r-");
                assertThat(list(record.path("invitees"))).singleElement().satisfies(invitee -> {
                    assertThat(invitee.path("user").asText()).isEqualTo(bobName);
                    assertThat(invitee.path("outcome").asText()).isEqualTo("answered");
                });
                assertThat(callIds(admin.get("/calls/active").expect(200).path("calls"))).doesNotContain(callId);
                assertThat(list(admin.get("/users/" + aliceName + "/presence").expect(200).path("calls"))).isEmpty();

                admin.post("/calls/" + callId + "/hangup", null).expectError(409, "already_ended");
                // The users cannot act on it any more either.
                assertThat(alice.command("call.hangup", o -> o.put("callId", callId)).path("code").asText())
                        .isEqualTo("invalid_state");
            }
        }

        @Test
        void anUnknownCallIsNotFound() {
            admin.post("/calls/c-does-not-exist/hangup", null).expectError(404, "not_found");
            admin.get("/calls/c-does-not-exist").expectError(404, "not_found");
        }

        @Test
        void aRingingCallCanBeForcedAndTheCalleesRingingStops() {
            String aliceName = name("alice");
            String bobName = name("bob");
            try (RawClient alice = RawClient.signedIn(server, aliceName, "laptop");
                 RawClient bob = RawClient.signedIn(server, bobName, "phone")) {
                String callId = ring(alice, bob, bobName);

                JsonNode forced = admin.post("/calls/" + callId + "/hangup", null).expect(200);
                assertThat(forced.path("reason").asText()).isEqualTo("forced");

                JsonNode canceled = bob.nextEvent("call.canceled");
                assertThat(canceled.path("callId").asText()).isEqualTo(callId);
                assertThat(canceled.path("reason").asText()).isEqualTo("canceled");
                assertNoMoreEvents(bob);
                JsonNode ended = alice.nextEvent("call.ended");
                assertThat(ended.path("callId").asText()).isEqualTo(callId);
                assertThat(ended.path("reason").asText()).isEqualTo("forced");
                assertNoMoreEvents(alice);

                JsonNode record = await().atMost(WAIT).until(
                        () -> admin.get("/calls/" + callId).expect(200).path("record"), JsonNode::isObject);
                assertThat(record.path("endReason").asText()).isEqualTo("forced");
                assertThat(record.has("answeredAt")).isFalse();
                assertThat(record.path("durationMs").asLong()).isZero();
                admin.post("/calls/" + callId + "/hangup", null).expectError(409, "already_ended");
                // Bob is free again: he can be called.
                String next = ring(alice, bob, bobName);
                admin.post("/calls/" + next + "/hangup", null).expect(200);
            }
        }
    }

    // ---- calls in progress -------------------------------------------------------------------

    @Test
    void activeCallsListRingingAndActiveCallsWithTheirParticipantsButNotEndedOnes() {
        String a = name("alice");
        String b = name("bob");
        String c = name("carol");
        String d = name("dave");
        String e = name("erin");
        String f = name("frank");
        try (RawClient alice = RawClient.signedIn(server, a, "d");
             RawClient bob = RawClient.signedIn(server, b, "d");
             RawClient carol = RawClient.signedIn(server, c, "d");
             RawClient dave = RawClient.signedIn(server, d, "d");
             RawClient erin = RawClient.signedIn(server, e, "d");
             RawClient frank = RawClient.signedIn(server, f, "d")) {
            String ringing = ring(alice, bob, b);
            String active = answered(carol, dave, d);
            String ended = answered(erin, frank, f);
            hangup(erin, frank, ended);

            Map<String, JsonNode> byId = new LinkedHashMap<>();
            for (JsonNode call : list(admin.get("/calls/active").expect(200).path("calls"))) {
                byId.put(call.path("callId").asText(), call);
            }
            assertThat(byId).containsKeys(ringing, active).doesNotContainKey(ended);

            JsonNode r = byId.get(ringing);
            assertThat(r.path("state").asText()).isEqualTo("ringing");
            assertThat(r.path("caller").asText()).isEqualTo(a);
            assertThat(r.path("media").asText()).isEqualTo("audio");
            assertThat(r.has("roomId")).isFalse();
            assertThat(participants(r)).containsExactlyInAnyOrder(a + ":joined", b + ":ringing");

            JsonNode x = byId.get(active);
            assertThat(x.path("state").asText()).isEqualTo("active");
            assertThat(x.path("caller").asText()).isEqualTo(c);
            assertThat(x.path("roomId").asText()).startsWith("r-");
            assertThat(participants(x)).containsExactlyInAnyOrder(c + ":joined", d + ":joined");
            assertThat(list(x.path("participants"))).allSatisfy(p -> {
                assertThat(p.path("held").asBoolean(true)).isFalse();
                assertThat(p.path("connected").asBoolean(false)).isTrue();
            });

            // Each is also available one by one, live.
            JsonNode one = admin.get("/calls/" + active).expect(200);
            assertThat(one.path("live").path("state").asText()).isEqualTo("active");
            assertThat(one.has("record")).isFalse();

            // Once they end, they leave the list.
            hangup(carol, dave, active);
            alice.command("call.cancel", o -> o.put("callId", ringing));
            assertThat(alice.nextEvent("call.ended").path("reason").asText()).isEqualTo("canceled");
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    callIds(admin.get("/calls/active").expect(200).path("calls"))).doesNotContain(ringing, active));
        }
    }

    private static List<String> participants(JsonNode call) {
        return list(call.path("participants")).stream()
                .map(p -> p.path("user").asText() + ":" + p.path("state").asText()).toList();
    }

    // ---- history -----------------------------------------------------------------------------

    @Test
    void historyFiltersByUserCallerReasonAndTimeAndPaginatesNewestFirst() {
        // A server of its own, so that "all calls" is exactly the calls made here.
        try (DialtoneServer own = DialtoneServer.start(AdminCalls.config().adminKey(KEY).build());
             RawClient alice = RawClient.signedIn(own, "alice", "d");
             RawClient bob = RawClient.signedIn(own, "bob", "d");
             RawClient carol = RawClient.signedIn(own, "carol", "d")) {
            AdminHttp http = AdminHttp.withKey(own, KEY);
            List<String> made = new ArrayList<>(); // oldest first
            Map<String, String> reasons = new LinkedHashMap<>();
            Map<String, String> callers = new LinkedHashMap<>();
            Map<String, Set<String>> parties = new LinkedHashMap<>();
            Runnable distinctMillis = () -> {
                long now = System.currentTimeMillis();
                await().pollInterval(Duration.ofMillis(1)).until(() -> System.currentTimeMillis() > now);
            };

            record Made(String id, String caller, String invitee, String reason) {
            }
            List<Made> calls = new ArrayList<>();
            // alice → bob, answered, hung up
            distinctMillis.run();
            String c1 = answered(alice, bob, "bob");
            hangup(alice, bob, c1);
            calls.add(new Made(c1, "alice", "bob", "hangup"));
            // alice → carol, declined
            distinctMillis.run();
            String c2 = ring(alice, carol, "carol");
            carol.command("call.decline", o -> o.put("callId", c2));
            alice.nextEvent("call.declined");
            alice.nextEvent("call.ended");
            calls.add(new Made(c2, "alice", "carol", "declined"));
            // bob → carol, canceled
            distinctMillis.run();
            String c3 = ring(bob, carol, "carol");
            bob.command("call.cancel", o -> o.put("callId", c3));
            bob.nextEvent("call.ended");
            carol.nextEvent("call.canceled");
            calls.add(new Made(c3, "bob", "carol", "canceled"));
            // carol → dave, who is offline
            distinctMillis.run();
            JsonNode offline = carol.command("call.invite", o -> o.put("media", "video").putArray("to").add("dave"));
            String c4 = offline.path("callId").asText();
            carol.nextEvent("call.declined");
            assertThat(carol.nextEvent("call.ended").path("reason").asText()).isEqualTo("offline");
            calls.add(new Made(c4, "carol", "dave", "offline"));
            // carol → alice, answered, forced
            distinctMillis.run();
            String c5 = answered(carol, alice, "alice");
            http.post("/calls/" + c5 + "/hangup", null).expect(200);
            carol.nextEvent("call.ended");
            alice.nextEvent("call.ended");
            calls.add(new Made(c5, "carol", "alice", "forced"));
            // bob → alice, answered, hung up by alice
            distinctMillis.run();
            String c6 = answered(bob, alice, "alice");
            hangup(alice, bob, c6);
            calls.add(new Made(c6, "bob", "alice", "hangup"));
            // alice → bob, declined
            distinctMillis.run();
            String c7 = ring(alice, bob, "bob");
            bob.command("call.decline", o -> o.put("callId", c7));
            alice.nextEvent("call.declined");
            alice.nextEvent("call.ended");
            calls.add(new Made(c7, "alice", "bob", "declined"));
            for (Made m : calls) {
                made.add(m.id());
                reasons.put(m.id(), m.reason());
                callers.put(m.id(), m.caller());
                parties.put(m.id(), Set.of(m.caller(), m.invitee()));
            }
            List<String> newestFirst = new ArrayList<>(made).reversed();

            await().atMost(WAIT).until(() -> http.get("/calls").expect(200).path("calls").size() == made.size());

            // Everything, newest first, with full records.
            JsonNode all = http.get("/calls").expect(200);
            assertThat(callIds(all.path("calls"))).containsExactlyElementsOf(newestFirst);
            assertThat(all.has("next")).isFalse();
            Map<String, Long> createdAt = new LinkedHashMap<>();
            for (JsonNode record : list(all.path("calls"))) {
                String id = record.path("callId").asText();
                createdAt.put(id, record.path("createdAt").asLong());
                assertThat(record.path("endReason").asText()).as(id).isEqualTo(reasons.get(id));
                assertThat(record.path("caller").asText()).as(id).isEqualTo(callers.get(id));
            }

            // Filters, one at a time and combined.
            assertThat(search(http, Map.of("user", "alice"))).containsExactlyElementsOf(
                    filter(newestFirst, id -> parties.get(id).contains("alice")));
            assertThat(search(http, Map.of("user", "dave"))).containsExactly(c4);
            assertThat(search(http, Map.of("caller", "alice"))).containsExactlyElementsOf(
                    filter(newestFirst, id -> callers.get(id).equals("alice")));
            assertThat(search(http, Map.of("caller", "dave"))).isEmpty();
            assertThat(search(http, Map.of("reason", "declined"))).containsExactly(c7, c2);
            assertThat(search(http, Map.of("reason", "forced"))).containsExactly(c5);
            assertThat(search(http, Map.of("reason", "busy"))).isEmpty();
            assertThat(search(http, Map.of("user", "carol", "reason", "declined"))).containsExactly(c2);
            assertThat(search(http, Map.of("user", "alice", "caller", "bob"))).containsExactly(c6);
            assertThat(search(http, Map.of("user", "nobody"))).isEmpty();

            long from = createdAt.get(c3);
            long to = createdAt.get(c6);
            assertThat(search(http, Map.of("from", from))).containsExactly(c7, c6, c5, c4, c3);
            assertThat(search(http, Map.of("to", to))).containsExactly(c5, c4, c3, c2, c1);
            assertThat(search(http, Map.of("from", from, "to", to))).containsExactly(c5, c4, c3);
            assertThat(search(http, Map.of("from", from, "to", to, "user", "carol"))).containsExactly(c5, c4, c3);
            assertThat(search(http, Map.of("from", from, "to", from))).isEmpty();

            // Pagination: pages of 2 that do not overlap and cover everything, newest first.
            for (Map<String, Object> filters : List.<Map<String, Object>>of(Map.of(), Map.of("user", "alice"),
                    Map.of("caller", "carol"))) {
                List<String> expected = search(http, filters);
                List<String> paged = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    Map<String, Object> query = new LinkedHashMap<>(filters);
                    query.put("limit", 2);
                    query.put("cursor", cursor);
                    JsonNode page = http.get("/calls" + AdminHttp.query(query)).expect(200);
                    List<String> ids = callIds(page.path("calls"));
                    assertThat(ids).as("page %d of %s", pages, filters).hasSizeBetween(1, 2);
                    assertThat(paged).as("pages overlap").doesNotContainAnyElementsOf(ids);
                    paged.addAll(ids);
                    cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
                    assertThat(cursor == null).as("a next only while there is more").isEqualTo(
                            paged.size() == expected.size());
                    pages++;
                } while (cursor != null);
                assertThat(paged).as("pages of %s", filters).containsExactlyElementsOf(expected);
                assertThat(pages).isEqualTo((expected.size() + 1) / 2);
            }
            JsonNode newest = http.get("/calls?limit=1").expect(200);
            assertThat(callIds(newest.path("calls"))).containsExactly(c7);
            assertThat(newest.path("next").isTextual()).isTrue();
            assertThat(search(http, Map.of("limit", 200))).hasSize(made.size());

            // Bad requests.
            for (String bad : List.of("limit=0", "limit=201", "limit=-1", "limit=two", "limit=", "reason=lunch",
                    "reason=FORCED", "from=yesterday", "to=1.5", "from=10&to=5", "cursor=not-a-cursor",
                    "cursor=%21%21", "cursor=" + java.util.Base64.getUrlEncoder().encodeToString("x:y".getBytes()))) {
                http.get("/calls?" + bad).expectError(400, "bad_request");
            }
        }
    }

    private static List<String> search(AdminHttp http, Map<String, ?> filters) {
        JsonNode page = http.get("/calls" + AdminHttp.query(filters)).expect(200);
        assertThat(page.has("next")).as("one page holds them all: %s", filters).isFalse();
        return callIds(page.path("calls"));
    }

    private static List<String> filter(List<String> ids, Predicate<String> keep) {
        List<String> kept = ids.stream().filter(keep).toList();
        assertThat(kept).as("a filter that keeps some but not all").isNotEmpty().hasSizeLessThan(ids.size());
        return kept;
    }

    // ---- presence ----------------------------------------------------------------------------

    @Test
    void presenceShowsSessionsWithTheirDeviceAndStateAndTheUsersCalls() {
        String aliceName = name("alice");
        String bobName = name("bob");
        RawClient laptop = RawClient.signedIn(server, aliceName, "laptop");
        RawClient phone = RawClient.signedIn(server, aliceName, "phone");
        try (RawClient bob = RawClient.signedIn(server, bobName, "desk")) {
            JsonNode invited = bob.command("call.invite", o -> o.put("media", "audio").putArray("to").add(aliceName));
            String callId = invited.path("callId").asText();
            laptop.nextEvent("call.incoming");
            phone.nextEvent("call.incoming");

            JsonNode presence = admin.get("/users/" + aliceName + "/presence").expect(200);
            assertThat(presence.path("user").asText()).isEqualTo(aliceName);
            assertThat(presence.path("presence").asText()).isEqualTo("attached");
            assertThat(sessions(presence)).containsExactlyInAnyOrder("laptop:attached", "phone:attached");
            assertThat(list(presence.path("sessions"))).allSatisfy(s -> assertThat(s.path("session").asText())
                    .startsWith("s-"));
            assertThat(list(presence.path("calls"))).extracting(JsonNode::asText).containsExactly(callId);
            assertThat(list(admin.get("/users/" + bobName + "/presence").expect(200).path("calls")))
                    .extracting(JsonNode::asText).containsExactly(callId);

            // The phone's network drops: its session waits, detached, within the resume window.
            phone.close();
            JsonNode oneDetached = await().atMost(WAIT).until(
                    () -> admin.get("/users/" + aliceName + "/presence").expect(200),
                    p -> sessions(p).contains("phone:detached"));
            assertThat(sessions(oneDetached)).containsExactlyInAnyOrder("laptop:attached", "phone:detached");
            assertThat(oneDetached.path("presence").asText()).isEqualTo("attached");

            laptop.close();
            JsonNode allDetached = await().atMost(WAIT).until(
                    () -> admin.get("/users/" + aliceName + "/presence").expect(200),
                    p -> sessions(p).contains("laptop:detached"));
            assertThat(allDetached.path("presence").asText()).isEqualTo("detached");
            assertThat(sessions(allDetached)).containsExactlyInAnyOrder("laptop:detached", "phone:detached");
            assertThat(list(allDetached.path("calls"))).extracting(JsonNode::asText).containsExactly(callId);
            bob.command("call.cancel", o -> o.put("callId", callId));
        } finally {
            laptop.close();
            phone.close();
        }
    }

    @Test
    void anUnknownUserIsOfflineWithNoSessionsAndNoCalls() {
        String nobody = name("nobody");
        JsonNode presence = admin.get("/users/" + nobody + "/presence").expect(200);
        assertThat(presence.path("user").asText()).isEqualTo(nobody);
        assertThat(presence.path("presence").asText()).isEqualTo("offline");
        assertThat(list(presence.path("sessions"))).isEmpty();
        assertThat(list(presence.path("calls"))).isEmpty();
    }

    private static List<String> sessions(JsonNode presence) {
        return list(presence.path("sessions")).stream()
                .map(s -> s.path("device").asText() + ":" + s.path("state").asText()).toList();
    }

    // ---- tokens ------------------------------------------------------------------------------

    @Test
    void aMintedTokenSignsInAsTheUserAndItsRoomsClaimIsHonoured() {
        String carolName = name("carol");
        long before = System.currentTimeMillis();
        JsonNode minted = admin.post("/tokens",
                "{\"user\":\"" + carolName + "\",\"ttlSeconds\":60,\"rooms\":[\"team-*\"]}").expect(201);
        long after = System.currentTimeMillis();
        assertThat(minted.path("user").asText()).isEqualTo(carolName);
        assertThat(minted.path("expiresAt").asLong()).isBetween(before + 60_000, after + 60_000);
        String token = minted.path("token").asText();

        try (RawClient carol = RawClient.connect(server.port())) {
            JsonNode ok = AdminCalls.auth(carol, token, "tablet");
            assertThat(ok.path("type").asText()).as("auth reply %s", ok).isEqualTo("ok");
            assertThat(ok.path("user").asText()).isEqualTo(carolName);

            JsonNode other = carol.command("room.join", o -> o.put("room", "other"));
            assertThat(other.path("type").asText()).as("%s", other).isEqualTo("error");
            assertThat(other.path("code").asText()).isEqualTo("forbidden");
            JsonNode team = carol.command("room.join", o -> o.put("room", "team-a"));
            assertThat(team.path("type").asText()).as("%s", team).isEqualTo("ok");
            assertThat(team.path("room").asText()).isEqualTo("team-a");
        }

        // Without rooms, every room; without ttlSeconds, an hour.
        long before2 = System.currentTimeMillis();
        JsonNode open = admin.post("/tokens", "{\"user\":\"" + carolName + "\"}").expect(201);
        assertThat(open.path("expiresAt").asLong()).isBetween(before2 + 3_600_000, System.currentTimeMillis() + 3_600_000);
        try (RawClient carol = RawClient.connect(server.port())) {
            assertThat(AdminCalls.auth(carol, open.path("token").asText(), "tablet").path("type").asText())
                    .isEqualTo("ok");
            assertThat(carol.command("room.join", o -> o.put("room", "other")).path("type").asText())
                    .isEqualTo("ok");
        }

        // An empty list allows no room at all.
        JsonNode none = admin.post("/tokens", "{\"user\":\"" + carolName + "\",\"rooms\":[]}").expect(201);
        try (RawClient carol = RawClient.connect(server.port())) {
            assertThat(AdminCalls.auth(carol, none.path("token").asText(), "tablet").path("type").asText())
                    .isEqualTo("ok");
            assertThat(carol.command("room.join", o -> o.put("room", "team-a")).path("code").asText())
                    .isEqualTo("forbidden");
        }
    }

    @Test
    void badTokenRequestsAreRejected() {
        List<String> bad = List.of(
                "{}",
                "{\"ttlSeconds\":60}",
                "{\"user\":\"\"}",
                "{\"user\":null}",
                "{\"user\":42}",
                "{\"user\":\"has space\"}",
                "{\"user\":\"" + "u".repeat(129) + "\"}",
                "{\"user\":\"carol\",\"ttlSeconds\":0}",
                "{\"user\":\"carol\",\"ttlSeconds\":-5}",
                "{\"user\":\"carol\",\"ttlSeconds\":2592001}",
                "{\"user\":\"carol\",\"ttlSeconds\":99999999999999999999999}",
                "{\"user\":\"carol\",\"ttlSeconds\":1e12}",
                "{\"user\":\"carol\",\"ttlSeconds\":1.5}",
                "{\"user\":\"carol\",\"ttlSeconds\":\"60\"}",
                "{\"user\":\"carol\",\"ttlSeconds\":null}",
                "{\"user\":\"carol\",\"rooms\":\"team-*\"}",
                "{\"user\":\"carol\",\"rooms\":[1]}",
                "{\"user\":\"carol\",\"rooms\":[\"team-*\",null]}",
                "{\"user\":\"carol\",\"rooms\":[\"\"]}",
                "{\"user\":\"carol\",\"rooms\":{\"a\":1}}",
                "{\"user\":\"carol\",\"rooms\":null}",
                "not json",
                "{\"user\":",
                "[\"carol\"]",
                "\"carol\"",
                "null",
                "");
        Set<String> seen = new HashSet<>();
        for (String body : bad) {
            assertThat(seen.add(body)).isTrue();
            AdminHttp.Answer answer = admin.post("/tokens", body);
            assertThat(answer.status()).as("POST /tokens %s answered %s", body, answer.body()).isEqualTo(400);
            answer.expectError(400, "bad_request");
        }
        // The largest documented values are fine.
        admin.post("/tokens", "{\"user\":\"" + "u".repeat(128) + "\",\"ttlSeconds\":2592000}").expect(201);
        admin.post("/tokens", "{\"user\":\"carol\",\"ttlSeconds\":1,\"rooms\":[\"a\",\"b-*\"]}").expect(201);
    }
}
