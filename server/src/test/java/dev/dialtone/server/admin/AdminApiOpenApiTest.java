package dev.dialtone.server.admin;

import static dev.dialtone.server.admin.AdminCalls.KEY;
import static dev.dialtone.server.admin.AdminCalls.answered;
import static dev.dialtone.server.admin.AdminCalls.hangup;
import static dev.dialtone.server.admin.AdminCalls.name;
import static dev.dialtone.server.admin.AdminCalls.ring;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.core.Clock;
import dev.dialtone.core.Presence;
import dev.dialtone.protocol.CallOutcome;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.ParticipantState;
import dev.dialtone.protocol.WireCodec;
import dev.dialtone.protocol.WireEnum;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.RawClient;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.gateway.HttpRoutes;
import dev.dialtone.server.metrics.Metrics;
import dev.dialtone.server.session.Session;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the implementation: every documented operation exists and
 * answers only documented statuses with bodies of the documented shape, every route the server
 * registers under /api/v1 is documented, and the document is served as it is in the sources.
 */
class AdminApiOpenApiTest {
    private static final Path SOURCE = Path.of("src/main/resources/dev/dialtone/server/admin/openapi.json");
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");
    /** Statuses a test cannot provoke without breaking the server (the database going away). */
    private static final Set<String> UNPROVOKED = Set.of("503");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private static DialtoneServer server;
    private static AdminHttp admin;
    private static JsonNode document;
    private static OpenApiSchema schemas;

    @BeforeAll
    static void start() throws IOException {
        server = DialtoneServer.start(AdminCalls.config().adminKey(KEY).build());
        admin = AdminHttp.withKey(server, KEY);
        document = WireCodec.get().mapper().readTree(AdminApi.openApiDocument());
        schemas = new OpenApiSchema(document);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A documented operation: its method (upper case) and its path as the document writes it. */
    record Operation(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** One request to make and the status it should get. */
    record Probe(String what, int status, boolean withKey, Map<String, String> pathValues, String query, String body) {
        static Probe of(String what, int status, Map<String, String> pathValues) {
            return new Probe(what, status, true, pathValues, "", null);
        }

        Probe query(String value) {
            return new Probe(what, status, withKey, pathValues, value, body);
        }

        Probe body(String value) {
            return new Probe(what, status, withKey, pathValues, query, value);
        }

        Probe anonymous(int expected) {
            return new Probe(what + " without a key", expected, false, pathValues, query, body);
        }
    }

    private static List<Operation> documented() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<String> keys = path.getValue().fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                assertThat(METHODS).as("%s has an unexpected key %s", path.getKey(), key).contains(key);
                operations.add(new Operation(key.toUpperCase(java.util.Locale.ROOT), path.getKey()));
            }
        }
        return operations;
    }

    private static JsonNode operationNode(Operation operation) {
        return document.path("paths").path(operation.path()).path(operation.method().toLowerCase(java.util.Locale.ROOT));
    }

    private static boolean secured(Operation operation) {
        JsonNode own = operationNode(operation).get("security");
        JsonNode security = own != null ? own : document.path("security");
        return security.isArray() && !security.isEmpty();
    }

    // ---- (a) every documented operation is real and answers as documented --------------------

    @Test
    void everyDocumentedOperationAnswersOnlyDocumentedStatusesWithDocumentedBodies() {
        String aliceName = name("alice");
        String bobName = name("bob");
        String carolName = name("carol");
        String daveName = name("dave");
        try (RawClient alice = RawClient.signedIn(server, aliceName, "laptop");
             RawClient bob = RawClient.signedIn(server, bobName, "phone");
             RawClient carol = RawClient.signedIn(server, carolName, "desk");
             RawClient dave = RawClient.signedIn(server, daveName, "desk")) {
            String finished = answered(alice, bob, bobName);
            hangup(bob, alice, finished);
            String declined = ring(alice, bob, bobName);
            bob.command("call.decline", o -> o.put("callId", declined));
            alice.nextEvent("call.declined");
            alice.nextEvent("call.ended");
            String active = answered(alice, bob, bobName);
            String ringing = ring(carol, dave, daveName);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.get("/calls/" + finished).expect(200).has("record")
                            && admin.get("/calls/" + declined).expect(200).has("record"));

            String oversized = "{\"user\":\"" + "u".repeat(20_000) + "\"}";
            Map<Operation, List<Probe>> probes = new LinkedHashMap<>();
            probes.put(new Operation("GET", "/openapi.json"), List.of(
                    new Probe("the document", 200, false, Map.of(), "", null)));
            probes.put(new Operation("GET", "/calls"), List.of(
                    Probe.of("all records", 200, Map.of()),
                    Probe.of("a filtered first page", 200, Map.of())
                            .query("?user=" + aliceName + "&caller=" + aliceName + "&reason=hangup&from=0&to="
                                    + Long.MAX_VALUE + "&limit=5"),
                    Probe.of("a page with a next", 200, Map.of()).query("?user=" + aliceName + "&limit=1"),
                    Probe.of("a bad limit", 400, Map.of()).query("?limit=0"),
                    Probe.of("a bad cursor", 400, Map.of()).query("?cursor=nonsense")));
            probes.put(new Operation("GET", "/calls/active"), List.of(
                    Probe.of("calls in progress", 200, Map.of())));
            probes.put(new Operation("GET", "/calls/{callId}"), List.of(
                    Probe.of("a finished call", 200, Map.of("callId", finished)),
                    Probe.of("an active call", 200, Map.of("callId", active)),
                    Probe.of("a ringing call", 200, Map.of("callId", ringing)),
                    Probe.of("an unknown call", 404, Map.of("callId", "c-unknown"))));
            probes.put(new Operation("GET", "/users/{user}/presence"), List.of(
                    Probe.of("a user in a call", 200, Map.of("user", aliceName)),
                    Probe.of("an unknown user", 200, Map.of("user", name("nobody")))));
            probes.put(new Operation("POST", "/tokens"), List.of(
                    Probe.of("a token", 201, Map.of()).body("{\"user\":\"" + carolName
                            + "\",\"ttlSeconds\":60,\"rooms\":[\"team-*\"]}"),
                    Probe.of("a token without user", 400, Map.of()).body("{\"ttlSeconds\":60}"),
                    Probe.of("a body over the limit", 413, Map.of()).body(oversized)));
            probes.put(new Operation("POST", "/calls/{callId}/hangup"), List.of(
                    Probe.of("an active call", 200, Map.of("callId", active)),
                    Probe.of("a ringing call", 200, Map.of("callId", ringing)),
                    Probe.of("an ended call", 409, Map.of("callId", active)),
                    Probe.of("an unknown call", 404, Map.of("callId", "c-unknown")),
                    Probe.of("a body over the limit", 413, Map.of("callId", "c-unknown")).body(oversized)));

            assertThat(probes.keySet()).as("every documented operation is probed, and only those")
                    .containsExactlyInAnyOrderElementsOf(documented());

            for (Map.Entry<Operation, List<Probe>> entry : probes.entrySet()) {
                Operation operation = entry.getKey();
                List<Probe> all = new ArrayList<>(entry.getValue());
                if (secured(operation)) {
                    all.add(0, entry.getValue().get(0).anonymous(401));
                }
                Set<String> produced = new TreeSet<>();
                for (Probe probe : all) {
                    produced.add(String.valueOf(probe(operation, probe)));
                }
                Set<String> listed = new TreeSet<>();
                operationNode(operation).path("responses").fieldNames().forEachRemaining(listed::add);
                listed.removeAll(UNPROVOKED);
                assertThat(produced).as("%s: the documented statuses are all really answered", operation)
                        .containsExactlyInAnyOrderElementsOf(listed);
            }
        }
    }

    /** Makes the request, checks it against the document, and returns its status. */
    private static int probe(Operation operation, Probe probe) {
        JsonNode node = operationNode(operation);
        String path = operation.path();
        Matcher parameters = PATH_PARAMETER.matcher(path);
        while (parameters.find()) {
            String parameter = parameters.group(1);
            assertThat(declaredPathParameters(node)).as("%s declares its path parameter %s", operation, parameter)
                    .contains(parameter);
            assertThat(probe.pathValues()).as("%s: a value for %s", operation, parameter).containsKey(parameter);
            path = path.replace("{" + parameter + "}", probe.pathValues().get(parameter));
        }
        AdminHttp http = probe.withKey() ? admin : AdminHttp.anonymous(server);
        AdminHttp.Answer answer = http.send(operation.method(), path + probe.query(), probe.body());
        String description = operation + " (" + probe.what() + ")";

        JsonNode responses = node.path("responses");
        String status = String.valueOf(answer.status());
        assertThat(responses.has(status)).as("%s answered %s, which the document does not list; body %s", description,
                status, answer.body()).isTrue();
        assertThat(answer.status()).as("%s answered %s", description, answer.body()).isEqualTo(probe.status());

        JsonNode response = schemas.resolve(responses.get(status));
        JsonNode content = response.path("content");
        if (content.isObject() && !content.isEmpty()) {
            assertThat(content.has("application/json")).as("%s is documented as JSON", description).isTrue();
            assertThat(answer.header("content-type")).as("%s content-type", description).startsWith("application/json");
            JsonNode schema = content.path("application/json").path("schema");
            JsonNode body = answer.json();
            assertThat(schemas.problems(body, schema)).as("%s body %s against the document", description, body)
                    .isEmpty();
            assertRequiredDeclared(schemas.resolve(schema), description);
        }
        if (answer.status() == 401) {
            assertThat(answer.header("WWW-Authenticate")).as(description).isEqualTo("Bearer");
        }
        return answer.status();
    }

    private static Set<String> declaredPathParameters(JsonNode operation) {
        Set<String> names = new TreeSet<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asText().equals("path")) {
                assertThat(parameter.path("required").asBoolean()).as("path parameter %s is required", parameter)
                        .isTrue();
                names.add(parameter.path("name").asText());
            }
        }
        return names;
    }

    /** A schema's required properties are all among its properties (else the checker would pass vacuously). */
    private static void assertRequiredDeclared(JsonNode schema, String where) {
        if (schema.has("properties")) {
            for (JsonNode required : schema.path("required")) {
                assertThat(schema.path("properties").has(required.asText()))
                        .as("%s: required %s is a declared property", where, required.asText()).isTrue();
            }
        }
    }

    @Test
    void theDocumentsRequiredPropertiesAreDeclaredAndItsRefsResolve() {
        List<JsonNode> all = new ArrayList<>();
        collect(document, all);
        for (JsonNode node : all) {
            if (node.has("$ref")) {
                assertThat(schemas.resolve(node)).as("%s", node).isNotNull();
            }
            if (node.has("required") && node.path("required").isArray() && node.has("properties")) {
                assertRequiredDeclared(node, node.toString());
            }
        }
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        into.add(node);
        node.elements().forEachRemaining(child -> collect(child, into));
    }

    @Test
    void theDocumentsEnumsAreTheImplementationsValues() {
        assertThat(enumAt("/components/schemas/EndReason")).containsExactlyElementsOf(wire(EndReason.values()));
        assertThat(enumAt("/components/schemas/Outcome")).containsExactlyElementsOf(wire(CallOutcome.values()));
        assertThat(enumAt("/components/schemas/CallRecord/properties/media"))
                .containsExactlyElementsOf(wire(Media.values()));
        assertThat(enumAt("/components/schemas/CallSnapshot/properties/media"))
                .containsExactlyElementsOf(wire(Media.values()));
        assertThat(enumAt("/components/schemas/CallSnapshot/properties/state"))
                .containsExactlyElementsOf(wire(CallState.values()));
        assertThat(enumAt("/components/schemas/CallSnapshot/properties/participants/items/properties/state"))
                .containsExactlyElementsOf(wire(ParticipantState.values()));
        assertThat(enumAt("/components/schemas/Presence/properties/presence")).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Presence.values()).map(p -> p.name().toLowerCase(java.util.Locale.ROOT)).toList());
        // A session the registry still lists is attached or detached; ended ones leave it.
        assertThat(enumAt("/components/schemas/Presence/properties/sessions/items/properties/state"))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Session.State.values())
                        .filter(s -> s != Session.State.ENDED)
                        .map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    private static List<String> enumAt(String pointer) {
        JsonNode node = schemas.resolve(document.at(pointer));
        assertThat(node.path("enum").isArray()).as("an enum at %s", pointer).isTrue();
        List<String> values = new ArrayList<>();
        node.path("enum").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> wire(WireEnum[] values) {
        return Arrays.stream(values).map(WireEnum::wire).toList();
    }

    @Test
    void theDocumentedLimitsAreTheEnforcedOnes() {
        JsonNode limit = null;
        for (JsonNode parameter : document.at("/paths/~1calls/get/parameters")) {
            if (parameter.path("name").asText().equals("limit")) {
                limit = parameter.path("schema");
            }
        }
        assertThat(limit).isNotNull();
        int min = limit.path("minimum").asInt();
        int max = limit.path("maximum").asInt();
        admin.get("/calls?limit=" + min).expect(200);
        admin.get("/calls?limit=" + max).expect(200);
        admin.get("/calls?limit=" + (min - 1)).expectError(400, "bad_request");
        admin.get("/calls?limit=" + (max + 1)).expectError(400, "bad_request");

        JsonNode body = document.at("/paths/~1tokens/post/requestBody/content/application~1json/schema/properties");
        long ttlMin = body.path("ttlSeconds").path("minimum").asLong();
        long ttlMax = body.path("ttlSeconds").path("maximum").asLong();
        int userMax = body.path("user").path("maxLength").asInt();
        int userMin = body.path("user").path("minLength").asInt();
        String longest = "u".repeat(userMax);
        admin.post("/tokens", "{\"user\":\"" + longest + "\",\"ttlSeconds\":" + ttlMax + "}").expect(201);
        admin.post("/tokens", "{\"user\":\"" + "u".repeat(userMin) + "\",\"ttlSeconds\":" + ttlMin + "}").expect(201);
        admin.post("/tokens", "{\"user\":\"" + longest + "u\"}").expectError(400, "bad_request");
        admin.post("/tokens", "{\"user\":\"" + "u".repeat(userMin - 1) + "\"}").expectError(400, "bad_request");
        admin.post("/tokens", "{\"user\":\"u\",\"ttlSeconds\":" + (ttlMax + 1) + "}").expectError(400, "bad_request");
        admin.post("/tokens", "{\"user\":\"u\",\"ttlSeconds\":" + (ttlMin - 1) + "}").expectError(400, "bad_request");
        long before = System.currentTimeMillis();
        JsonNode minted = admin.post("/tokens", "{\"user\":\"u\"}").expect(201);
        long ttlDefault = body.path("ttlSeconds").path("default").asLong();
        assertThat(minted.path("expiresAt").asLong())
                .isBetween(before + ttlDefault * 1000, System.currentTimeMillis() + ttlDefault * 1000);
        int limitDefault = limit.path("default").asInt();
        assertThat(limitDefault).isBetween(min, max);
    }

    // ---- (b) every route the server has under /api/v1 is documented ---------------------------

    @Test
    void everyRouteTheServerRegistersUnderTheApiIsDocumented() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            // The server's router, built as DialtoneServer builds it.
            TokenService tokens = new TokenService(AdminCalls.SECRET.getBytes(StandardCharsets.UTF_8), Clock.system());
            Router router = HttpRoutes.router(vertx, new Metrics(), tokens, true);
            new AdminApi(null, null, null, tokens, KEY).mount(router);

            String base = document.path("servers").get(0).path("url").asText();
            assertThat(base).isEqualTo(AdminApi.BASE);
            Set<String> registered = new TreeSet<>();
            for (Route route : router.getRoutes()) {
                String path = route.getPath();
                assertThat(path).as("a route by regex cannot be checked: %s", route).isNotNull();
                if (!path.startsWith(base + "/") && !path.equals(base)) {
                    continue;
                }
                Set<HttpMethod> methods = route.methods();
                if (methods == null || methods.isEmpty()) {
                    // Only the key check, the body reader and the JSON 404 apply to every method.
                    assertThat(path).as("a route under the API for every method").isEqualTo(base + "/");
                    continue;
                }
                for (HttpMethod method : methods) {
                    registered.add(method.name() + " " + toOpenApi(path.substring(base.length())));
                }
            }
            Set<String> inDocument = documented().stream().map(Operation::toString)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(registered).as("routes registered under " + base).isNotEmpty()
                    .containsExactlyInAnyOrderElementsOf(inDocument);
        } finally {
            vertx.close().await(5, TimeUnit.SECONDS);
        }
    }

    /** {@code /calls/:callId} → {@code /calls/{callId}}. */
    private static String toOpenApi(String vertxPath) {
        return Stream.of(vertxPath.split("/", -1))
                .map(segment -> segment.startsWith(":") ? "{" + segment.substring(1) + "}" : segment)
                .collect(Collectors.joining("/"));
    }

    // ---- (c) the document is served, publicly, as it is in the sources ------------------------

    @Test
    void theDocumentIsServedWithoutAKeyExactlyAsTheResourceFile() throws IOException {
        String file = Files.readString(SOURCE, StandardCharsets.UTF_8);
        for (AdminHttp http : List.of(AdminHttp.anonymous(server), admin)) {
            AdminHttp.Answer answer = http.get("/openapi.json");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("content-type")).startsWith("application/json");
            assertThat(answer.body()).isEqualTo(file);
            assertThat(answer.json().path("openapi").asText()).startsWith("3.");
        }
        assertThat(AdminApi.openApiDocument()).isEqualTo(file);
    }
}
