package dev.dialtone.server.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.protocol.IceServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DIALTONE_ICE_SERVERS and the TURN settings: what starts, and the one-line errors of what does not. */
class IceConfigTest {
    private static final String SECRET = "a-turn-secret-for-tests";

    private static IceConfig servers(String json) {
        return IceConfig.builder().servers(json).build();
    }

    private static void refused(String json, String... parts) {
        assertThatThrownBy(() -> servers(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DIALTONE_ICE_SERVERS")
                .hasMessageContainingAll(parts)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void nothingConfiguredIsOff() {
        assertThat(IceConfig.NONE.enabled()).isFalse();
        assertThat(servers(null).enabled()).isFalse();
        assertThat(servers("  ").enabled()).isFalse();
        assertThat(servers("[]").enabled()).isFalse();
    }

    @Test
    void browserShapedServersAreRead() {
        IceConfig config = servers("""
                [{"urls":"stun:stun.example.com:3478"},
                 {"urls":["turn:turn.example.com:3478?transport=udp","turns:turn.example.com:5349"],
                  "username":"static","credential":"pw"},
                 {"urls":["stuns:stun.example.com"]}]""");
        assertThat(config.enabled()).isTrue();
        assertThat(config.servers()).containsExactly(IceServer.of("stun:stun.example.com:3478"),
                new IceServer(List.of("turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"),
                        "static", "pw"),
                IceServer.of("stuns:stun.example.com"));
    }

    @Test
    void badServerListsAreRefusedInOneLine() {
        refused("{\"urls\":\"stun:x\"}", "JSON array");
        refused("[{\"urls\":\"stun:x\"", "JSON array");
        refused("not json", "JSON array");
        refused("null", "JSON array");
        refused("[null]", "null");
        refused("[{}]", "urls");
        refused("[{\"urls\":[]}]", "urls");
        refused("[{\"urls\":\"http://stun.example.com\"}]", "'http://stun.example.com'", "stun:, stuns:, turn: or turns:");
        refused("[{\"urls\":\"stun:\"}]", "host");
        refused("[{\"urls\":\"stun: x\"}]", "host");
        refused("[{\"urls\":\"turn:turn.example.com\"}]", "'turn:turn.example.com'", "username", "credential");
        refused("[{\"urls\":\"turn:turn.example.com\",\"username\":\"u\"}]", "credential");
        // A misspelt field would otherwise hand browsers a TURN server without its password.
        refused("[{\"urls\":\"stun:x\",\"credentials\":\"pw\"}]", "unknown field \"credentials\"");
    }

    @Test
    void turnSettingsGoTogether() {
        IceConfig turn = IceConfig.builder().turnSecret(SECRET).turnUrls(" turn:a.example.com , turns:a.example.com:5349")
                .build();
        assertThat(turn.enabled()).isTrue();
        assertThat(turn.turnUrls()).containsExactly("turn:a.example.com", "turns:a.example.com:5349");
        assertThat(turn.turnTtlSeconds()).isEqualTo(86_400);

        assertThatThrownBy(() -> IceConfig.builder().turnSecret(SECRET).build())
                .hasMessage("DIALTONE_TURN_URLS is required with DIALTONE_TURN_SECRET");
        assertThatThrownBy(() -> IceConfig.builder().turnUrls("turn:a.example.com").build())
                .hasMessage("DIALTONE_TURN_SECRET is required with DIALTONE_TURN_URLS");
        assertThatThrownBy(() -> IceConfig.builder().turnSecret(SECRET).turnUrls("stun:a.example.com").build())
                .hasMessageContaining("DIALTONE_TURN_URLS").hasMessageContaining("turn: or turns:");
        assertThatThrownBy(() -> IceConfig.builder().turnSecret("short").turnUrls("turn:a.example.com").build())
                .hasMessage("DIALTONE_TURN_SECRET must be at least 16 bytes");
        assertThatThrownBy(() -> IceConfig.builder().turnSecret(SECRET).turnUrls("turn:a").turnTtlSeconds(59).build())
                .hasMessageContaining("DIALTONE_TURN_TTL_SECONDS");
        assertThatThrownBy(() -> IceConfig.builder().turnSecret(SECRET).turnUrls("turn:a").turnTtlSeconds(604_801)
                .build()).hasMessageContaining("DIALTONE_TURN_TTL_SECONDS");
    }

    @Test
    void secretsAreNeverPrinted() {
        IceConfig config = IceConfig.builder().servers("[{\"urls\":\"turn:t.example.com\",\"username\":\"u\","
                + "\"credential\":\"static-password\"}]").turnSecret(SECRET).turnUrls("turn:t.example.com").build();
        assertThat(config.toString()).contains("turn:t.example.com").doesNotContain(SECRET, "static-password");
    }

    @Test
    void turnCredentialsFollowTheTurnRestApiScheme() {
        TurnCredentials turn = new TurnCredentials(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                List.of("turn:t.example.com"), 3_600);
        IceServer issued = turn.issue("alice", (1_700_000_000L - 3_600) * 1000 + 999);
        assertThat(issued.urls()).containsExactly("turn:t.example.com");
        assertThat(issued.username()).isEqualTo("1700000000:alice");
        // printf '%s' 1700000000:alice | openssl dgst -sha1 -hmac a-turn-secret-for-tests -binary | base64
        assertThat(issued.credential()).isEqualTo("ieFJk5sGEZgpKSG11P3aFGWhBcE=");
    }

    @Test
    void theSourceListsFixedServersFirstThenThisUsersTurnEntry() {
        IceServer stun = IceServer.of("stun:s.example.com");
        IceServerSource none = new IceServerSource(IceConfig.NONE, () -> 0);
        assertThat(none.forUser("alice")).isNull();
        IceServerSource fixed = new IceServerSource(IceConfig.builder().servers(List.of(stun)).build(), () -> 0);
        assertThat(fixed.forUser("alice")).containsExactly(stun);
        IceServerSource both = new IceServerSource(IceConfig.builder().servers(List.of(stun)).turnSecret(SECRET)
                .turnUrls("turn:t.example.com").turnTtlSeconds(3_600).build(), () -> 1_000_000);
        List<IceServer> forBob = both.forUser("bob");
        assertThat(forBob).hasSize(2).startsWith(stun);
        assertThat(forBob.get(1).username()).isEqualTo((1_000 + 3_600) + ":bob");
    }
}
