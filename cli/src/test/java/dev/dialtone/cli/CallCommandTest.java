package dev.dialtone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.records.RecordsConfig;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code dialtone call} as a command: options, sign-in and exit codes, against real servers. */
class CallCommandTest {
    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code dialtone ARGS} with {@code input} typed and the given environment. */
    private int run(String input, Map<String, String> env, String... args) {
        CallCommand call = new CallCommand();
        call.env = env::get;
        call.in = new StringReader(input);
        call.out = new PrintWriter(out, true);
        call.terminal = false;
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == CallCommand.class ? type.cast(call) : CommandLine.defaultFactory().create(type);
            }
        };
        return new CommandLine(new Dialtone(), factory).setErr(new PrintWriter(err, true)).execute(args);
    }

    private static String ws(DialtoneServer server) {
        return "ws://127.0.0.1:" + server.port() + "/v1/ws";
    }

    @Test
    void developmentModeSignsInWithUser() {
        try (DialtoneServer server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0).build())) {
            int exit = run("status\nquit\n", Map.of(), "call", "--user", "alice", "--server", ws(server));
            assertThat(exit).as(out + "\n" + err).isZero();
            assertThat(out.toString())
                    .contains("Dialtone softphone — signed in as alice (device terminal) at " + ws(server))
                    .contains("type `call bob` to call someone, `help` for more")
                    .contains("no call right now")
                    .contains("signed out — bye!");
        }
    }

    @Test
    void aTokenFromTheEnvironment() {
        try (DialtoneServer server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0)
                .secret(SECRET).build())) {
            String token = server.tokens().sign("bob", Duration.ofMinutes(5));
            int exit = run("", Map.of("DIALTONE_TOKEN", token), "call", "--server", ws(server), "--device", "desk");
            assertThat(exit).as(out + "\n" + err).isZero(); // end of input: signs out
            assertThat(out.toString()).contains("signed in as bob (device desk)").contains("signed out — bye!");
        }
    }

    @Test
    void aRefusedTokenExitsWithOne() {
        try (DialtoneServer server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0)
                .secret(SECRET).build())) {
            int exit = run("", Map.of(), "call", "--token", "not-a-token", "--server", ws(server));
            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).contains("cannot sign in: the server refused the token [unauthorized]");
        }
    }

    @Test
    void aServerWithASecretHasNoDevelopmentTokens() {
        try (DialtoneServer server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0)
                .secret(SECRET).build())) {
            int exit = run("", Map.of(), "call", "--user", "alice", "--server", ws(server));
            assertThat(exit).isEqualTo(1);
            assertThat(out.toString()).contains("does not hand out development tokens").contains("--token");
        }
    }

    @Test
    void anUnreachableServerExitsWithOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int exit = run("", Map.of(), "call", "--user", "alice", "--server", "ws://127.0.0.1:" + port + "/v1/ws");
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("cannot sign in: the server is not reachable at ws://127.0.0.1:" + port
                + "/v1/ws (connection refused)");
    }

    @Test
    void whoAreYou() {
        assertThat(run("", Map.of(), "call")).isEqualTo(2);
        assertThat(err.toString()).contains("who are you? sign in with --user NAME");
    }

    @Test
    void notBothUserAndToken() {
        assertThat(run("", Map.of(), "call", "--user", "a", "--token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("either --user");
    }

    @Test
    void aBadServerUrlIsAUsageError() {
        assertThat(run("", Map.of(), "call", "--user", "a", "--server", "ftp://x")).isEqualTo(2);
        assertThat(err.toString()).contains("--server must be a ws:// or wss:// URL");
    }

    @Test
    void serverUrls() {
        assertThat(CallCommand.serverUri("ws://localhost:8080/v1/ws")).isEqualTo(URI.create("ws://localhost:8080/v1/ws"));
        assertThat(CallCommand.serverUri("ws://localhost:8080")).isEqualTo(URI.create("ws://localhost:8080/v1/ws"));
        assertThat(CallCommand.serverUri("http://localhost:8080/")).isEqualTo(URI.create("ws://localhost:8080/v1/ws"));
        assertThat(CallCommand.serverUri("https://example.com/x/v1/ws"))
                .isEqualTo(URI.create("wss://example.com/x/v1/ws"));
        assertThatThrownBy(() -> CallCommand.serverUri("localhost:8080")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallCommand.serverUri("ws:///v1/ws")).isInstanceOf(IllegalArgumentException.class);
    }
}
