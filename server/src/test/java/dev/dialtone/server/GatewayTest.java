package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.dialtone.protocol.CloseCodes;
import dev.dialtone.protocol.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The transport and session rules of the protocol, spoken frame by frame over real WebSockets. */
class GatewayTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerTestSupport.config().maxBadFrames(5).maxFrameBytes(4096).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String tokenSignedWith(String secret, String user, long expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder().subject(user).expirationTime(new Date(expiresAt)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Nested
    class Authentication {
        @Test
        void aTokenSignedWithAnotherSecretIsRefusedAndClosedWith4401() throws Exception {
            try (RawClient client = RawClient.connect(server.port())) {
                String forged = tokenSignedWith("another-secret-another-secret-another-1234", "alice",
                        System.currentTimeMillis() + 60_000);
                JsonNode reply = client.command("auth", o -> o.put("token", forged));
                assertThat(reply.path("type").asText()).isEqualTo("error");
                assertThat(reply.path("code").asText()).isEqualTo("unauthorized");
                assertThat(client.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
            }
        }

        @Test
        void anExpiredTokenIsRefusedAndClosedWith4401() throws Exception {
            try (RawClient client = RawClient.connect(server.port())) {
                String expired = tokenSignedWith(ServerTestSupport.SECRET, "alice",
                        System.currentTimeMillis() - 3_600_000);
                JsonNode reply = client.command("auth", o -> o.put("token", expired));
                assertThat(reply.path("code").asText()).isEqualTo("unauthorized");
                assertThat(reply.path("message").asText()).contains("expired");
                assertThat(client.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
            }
        }

        @Test
        void garbageInsteadOfATokenIsRefused() {
            try (RawClient client = RawClient.connect(server.port())) {
                JsonNode reply = client.command("auth", o -> o.put("token", "not-a-jwt"));
                assertThat(reply.path("code").asText()).isEqualTo("unauthorized");
                assertThat(client.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
            }
        }

        @Test
        void noFirstFrameWithinTheDeadlineClosesWith4401() {
            try (RawClient client = RawClient.connect(server.port())) {
                assertThat(client.awaitClose()).isEqualTo(CloseCodes.UNAUTHORIZED);
            }
        }

        @Test
        void aCommandBeforeSignInIsUnauthorizedAndTheConnectionStays() {
            try (RawClient client = RawClient.connect(server.port())) {
                JsonNode reply = client.command("ping", o -> { });
                assertThat(reply.path("code").asText()).isEqualTo("unauthorized");
                JsonNode auth = client.command("auth", o -> o.put("token",
                        server.tokens().sign("carol", java.time.Duration.ofMinutes(1))));
                assertThat(auth.path("type").asText()).isEqualTo("ok");
                assertThat(auth.path("user").asText()).isEqualTo("carol");
                assertThat(auth.path("session").asText()).startsWith("s-");
                assertThat(auth.path("resumeToken").asText()).isNotEmpty();
                assertThat(auth.path("resumeWindowMs").asLong()).isEqualTo(2_000);
                assertThat(auth.path("heartbeatMs").asLong()).isEqualTo(5_000);
            }
        }

        @Test
        void aSecondLoginOfTheSameUserAndDeviceReplacesTheFirstWith4409() {
            try (RawClient first = RawClient.signedIn(server, "dave", "phone");
                 RawClient second = RawClient.signedIn(server, "dave", "phone")) {
                assertThat(first.awaitClose()).isEqualTo(CloseCodes.REPLACED);
                assertThat(second.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
            }
        }

        @Test
        void anotherDeviceOfTheSameUserDoesNotReplace() {
            try (RawClient phone = RawClient.signedIn(server, "erin", "phone");
                 RawClient laptop = RawClient.signedIn(server, "erin", "laptop")) {
                assertThat(phone.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
                assertThat(laptop.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
            }
        }
    }

    @Nested
    class BadFrames {
        @Test
        void malformedJsonGetsBadRequestAndTheConnectionSurvives() {
            try (RawClient client = RawClient.signedIn(server, "frank", "d")) {
                client.sendText("{not json");
                JsonNode error = client.next();
                assertThat(error.path("type").asText()).isEqualTo("error");
                assertThat(error.path("code").asText()).isEqualTo("bad_request");
                assertThat(error.get("re").isNull()).isTrue();
                assertThat(client.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
            }
        }

        @Test
        void aFrameThatIsNotAnObjectGetsBadRequest() {
            try (RawClient client = RawClient.signedIn(server, "frank2", "d")) {
                client.sendText("[1,2,3]");
                assertThat(client.next().path("code").asText()).isEqualTo("bad_request");
                client.sendText("42");
                assertThat(client.next().path("code").asText()).isEqualTo("bad_request");
                assertThat(client.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
            }
        }

        @Test
        void anUnknownTypeGetsBadRequestCarryingTheId() {
            try (RawClient client = RawClient.signedIn(server, "gina", "d")) {
                JsonNode reply = client.command("call.teleport", o -> o.put("callId", "c-1"));
                assertThat(reply.path("code").asText()).isEqualTo("bad_request");
                assertThat(reply.path("message").asText()).contains("call.teleport");
                assertThat(client.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
            }
        }

        @Test
        void aMissingOrInvalidFieldIsNamed() {
            try (RawClient client = RawClient.signedIn(server, "hank", "d")) {
                JsonNode missing = client.command("call.accept", o -> { });
                assertThat(missing.path("code").asText()).isEqualTo("bad_request");
                assertThat(missing.path("message").asText()).contains("callId");
                JsonNode badMedia = client.command("call.invite", o -> {
                    o.putArray("to").add("ivy");
                    o.put("media", "hologram");
                });
                assertThat(badMedia.path("code").asText()).isEqualTo("bad_request");
                assertThat(badMedia.path("message").asText()).contains("media");
                JsonNode badTimeout = client.command("call.invite", o -> {
                    o.putArray("to").add("ivy");
                    o.put("media", "audio").put("timeoutMs", 10);
                });
                assertThat(badTimeout.path("message").asText()).contains("timeoutMs");
                JsonNode arrayPayload = client.command("call.invite", o -> {
                    o.putArray("to").add("ivy");
                    o.put("media", "audio").putArray("payload");
                });
                assertThat(arrayPayload.path("message").asText()).contains("payload");
            }
        }

        @Test
        void anOversizedFrameGetsBadRequestAndTheConnectionSurvives() {
            try (RawClient client = RawClient.signedIn(server, "ike", "d")) {
                client.sendText("{\"type\":\"ping\",\"id\":\"big\",\"pad\":\"" + "x".repeat(5_000) + "\"}");
                JsonNode error = client.next();
                assertThat(error.path("code").asText()).isEqualTo("bad_request");
                assertThat(error.path("message").asText()).contains("4096");
                assertThat(client.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
            }
        }

        @Test
        void tooManyBadFramesInARowCloseWith4400() {
            try (RawClient client = RawClient.signedIn(server, "lou", "d")) {
                for (int i = 0; i < 5; i++) {
                    client.sendText("nope");
                }
                assertThat(client.awaitClose()).isEqualTo(CloseCodes.TOO_MANY_BAD_FRAMES);
            }
        }

        @Test
        void aGoodFrameResetsTheBadFrameCount() {
            try (RawClient client = RawClient.signedIn(server, "max", "d")) {
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 4; i++) {
                        client.sendText("nope");
                        assertThat(client.next().path("code").asText()).isEqualTo("bad_request");
                    }
                    assertThat(client.command("ping", o -> { }).path("type").asText()).isEqualTo("ok");
                }
                assertThat(client.isClosed()).isFalse();
            }
        }
    }

    @Nested
    class Http {
        private final HttpClient http = HttpClient.newHttpClient();

        private HttpResponse<String> get(String method, String path) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void healthz() throws Exception {
            HttpResponse<String> response = get("GET", "/healthz");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"ok\"");
        }

        @Test
        void metricsInPrometheusFormat() throws Exception {
            try (RawClient client = RawClient.signedIn(server, "nina", "d")) {
                client.command("ping", o -> { });
                String body = get("GET", "/metrics").body();
                assertThat(body).contains("dialtone_sessions{state=\"attached\"}");
                assertThat(body).contains("dialtone_calls{state=\"ringing\"}");
                assertThat(body).contains("dialtone_calls_ended_total{reason=\"no_answer\"}");
                assertThat(body).contains("dialtone_rooms ");
                assertThat(body).contains("dialtone_command_latency_seconds_bucket{type=\"ping\"");
            }
        }

        @Test
        void theDevTokenEndpointDoesNotExistWhenASecretIsConfigured() throws Exception {
            assertThat(get("POST", "/dev/token?user=zed").statusCode()).isEqualTo(404);
        }

        @Test
        void theDevTokenEndpointSignsTokensInDevelopmentMode() throws Exception {
            try (DialtoneServer dev = DialtoneServer.start(ServerTestSupport.config().secret(null).build())) {
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + dev.port() + "/dev/token?user=zed"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                String token = WireCodec.get().mapper().readTree(response.body()).path("token").asText();
                assertThat(dev.tokens().verify(token).user()).isEqualTo("zed");
            }
        }
    }
}
