package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class TokenSourceTest {

    @Test
    void theDevEndpointIsDerivedFromTheWebSocketUrl() {
        assertThat(TokenSource.devTokenUri(URI.create("ws://localhost:8080/v1/ws"), "alice"))
                .isEqualTo(URI.create("http://localhost:8080/dev/token?user=alice"));
        assertThat(TokenSource.devTokenUri(URI.create("wss://example.com/v1/ws"), "bob"))
                .isEqualTo(URI.create("https://example.com/dev/token?user=bob"));
        assertThat(TokenSource.devTokenUri(URI.create("ws://example.com:9000/dialtone/v1/ws"), "bob"))
                .isEqualTo(URI.create("http://example.com:9000/dialtone/dev/token?user=bob"));
        assertThat(TokenSource.devTokenUri(URI.create("ws://[::1]:8080/v1/ws"), "a b&c"))
                .isEqualTo(URI.create("http://[::1]:8080/dev/token?user=a+b%26c"));
    }

    @Test
    void aDevelopmentServerHandsOutTokens() throws Exception {
        try (DialtoneServer server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0).build())) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
            String token = TokenSource.devServer(uri, "alice").token();
            assertThat(token).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        }
    }

    @Test
    void aServerWithASecretHandsOutNone() {
        try (DialtoneServer server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0)
                .secret("a-test-secret-that-is-at-least-32-bytes-long").build())) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
            assertThatThrownBy(() -> TokenSource.devServer(uri, "alice").token())
                    .isInstanceOf(SignInException.class)
                    .hasMessageStartingWith("the server at " + uri + " does not hand out development tokens")
                    .hasMessageContaining("--token");
        }
    }

    @Test
    void anUnreachableServerIsSaidSo() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI uri = URI.create("ws://127.0.0.1:" + port + "/v1/ws");
        assertThatThrownBy(() -> TokenSource.devServer(uri, "alice").token())
                .isInstanceOf(SignInException.class)
                .hasMessage("the server is not reachable at " + uri + " (connection refused) — is it running? "
                        + "start one with `./dialtone serve`");
    }

    @Test
    void aFixedTokenIsJustThat() throws Exception {
        assertThat(TokenSource.fixed("t").token()).isEqualTo("t");
    }
}
