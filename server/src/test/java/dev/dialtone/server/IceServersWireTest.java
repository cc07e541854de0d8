package dev.dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.server.ice.IceConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@code iceServers} in the ok of {@code auth} and {@code resume}, frame by frame against real servers. */
class IceServersWireTest {
    private static final String TURN_SECRET = "turn-secret-shared-with-coturn";
    private static final long TTL_SECONDS = 3_600;
    private static final String STATIC = """
            [{"urls":"stun:stun.example.com:3478"},
             {"urls":["turn:static.example.com:3478"],"username":"fixed","credential":"fixed-pw"}]""";

    private record Signed(RawClient client, JsonNode ok) {
    }

    private static Signed signIn(DialtoneServer server, String user) {
        RawClient client = RawClient.connect(server.port());
        JsonNode ok = client.command("auth", o -> o.put("token", server.tokens().sign(user, Duration.ofMinutes(5)))
                .put("device", "d"));
        assertThat(ok.path("type").asText()).as("%s", ok).isEqualTo("ok");
        return new Signed(client, ok);
    }

    /** Drops the signed-in socket and resumes the session on a new one; returns the resume's ok. */
    private static JsonNode dropAndResume(DialtoneServer server, Signed signed, RawClient again) {
        signed.client().drop();
        JsonNode ok = again.command("resume", o -> o.put("session", signed.ok().path("session").asText())
                .put("resumeToken", signed.ok().path("resumeToken").asText()).put("lastSeq", 0));
        assertThat(ok.path("type").asText()).as("%s", ok).isEqualTo("ok");
        return ok;
    }

    private static String hmacSha1Base64(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Checks a per-session TURN entry as coturn would (use-auth-secret), and returns its expiry. */
    private static long verifiedTurnExpiry(JsonNode turn, String user, long fromMillis, long toMillis)
            throws Exception {
        assertThat(turn.path("urls")).extracting(JsonNode::asText)
                .containsExactly("turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349");
        String username = turn.path("username").asText();
        assertThat(username).endsWith(":" + user);
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        assertThat(expiry).isBetween(fromMillis / 1000 + TTL_SECONDS, toMillis / 1000 + TTL_SECONDS);
        assertThat(turn.path("credential").asText()).isEqualTo(hmacSha1Base64(TURN_SECRET, username));
        return expiry;
    }

    @Test
    void authAndResumeCarryTheStaticServersAndFreshTurnCredentials() throws Exception {
        IceConfig ice = IceConfig.builder().servers(STATIC).turnSecret(TURN_SECRET)
                .turnUrls("turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349")
                .turnTtlSeconds(TTL_SECONDS).build();
        try (DialtoneServer server = DialtoneServer.start(ServerTestSupport.config().ice(ice).build())) {
            long before = System.currentTimeMillis();
            Signed alice = signIn(server, "ice-alice");
            long signedIn = System.currentTimeMillis();
            JsonNode servers = alice.ok().path("iceServers");
            assertThat(servers.size()).isEqualTo(3);
            assertThat(servers.get(0).toString()).isEqualTo("{\"urls\":[\"stun:stun.example.com:3478\"]}");
            assertThat(servers.get(1).toString()).isEqualTo(
                    "{\"urls\":[\"turn:static.example.com:3478\"],\"username\":\"fixed\",\"credential\":\"fixed-pw\"}");
            long first = verifiedTurnExpiry(servers.get(2), "ice-alice", before, signedIn);

            // Past the next second, so that fresh credentials differ from the first ones.
            Thread.sleep(1_100);
            try (RawClient again = RawClient.connect(server.port())) {
                long resuming = System.currentTimeMillis();
                JsonNode resumed = dropAndResume(server, alice, again).path("iceServers");
                long done = System.currentTimeMillis();
                assertThat(resumed.size()).isEqualTo(3);
                assertThat(resumed.get(0)).isEqualTo(servers.get(0));
                assertThat(verifiedTurnExpiry(resumed.get(2), "ice-alice", resuming, done)).isGreaterThan(first);
            }
        }
    }

    @Test
    void eachUserGetsCredentialsOfTheirOwn() throws Exception {
        IceConfig ice = IceConfig.builder().turnSecret(TURN_SECRET)
                .turnUrls("turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349")
                .turnTtlSeconds(TTL_SECONDS).build();
        try (DialtoneServer server = DialtoneServer.start(ServerTestSupport.config().ice(ice).build())) {
            long before = System.currentTimeMillis();
            Signed bob = signIn(server, "ice-bob");
            Signed carol = signIn(server, "ice:carol");
            long after = System.currentTimeMillis();
            assertThat(bob.ok().path("iceServers").size()).isEqualTo(1);
            verifiedTurnExpiry(bob.ok().path("iceServers").get(0), "ice-bob", before, after);
            // A user id with a colon still has the expiry first, as coturn reads it.
            verifiedTurnExpiry(carol.ok().path("iceServers").get(0), "ice:carol", before, after);
            bob.client().close();
            carol.client().close();
        }
    }

    @Test
    void staticServersAloneAreHandedOutAsConfigured() {
        IceConfig ice = IceConfig.builder().servers("[{\"urls\":\"stun:stun.example.com:3478\"}]").build();
        try (DialtoneServer server = DialtoneServer.start(ServerTestSupport.config().ice(ice).build())) {
            Signed dave = signIn(server, "ice-dave");
            assertThat(dave.ok().path("iceServers").toString())
                    .isEqualTo("[{\"urls\":[\"stun:stun.example.com:3478\"]}]");
            try (RawClient again = RawClient.connect(server.port())) {
                assertThat(dropAndResume(server, dave, again).path("iceServers"))
                        .isEqualTo(dave.ok().path("iceServers"));
            }
        }
    }

    @Test
    void withNothingConfiguredTheFieldIsAbsent() {
        try (DialtoneServer server = DialtoneServer.start(ServerTestSupport.config().build())) {
            Signed erin = signIn(server, "ice-erin");
            assertThat(erin.ok().has("iceServers")).isFalse();
            try (RawClient again = RawClient.connect(server.port())) {
                assertThat(dropAndResume(server, erin, again).has("iceServers")).isFalse();
            }
        }
    }
}
