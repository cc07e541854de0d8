package dev.dialtone.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.core.Clock;
import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.records.RecordsConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The {@code sessions} scenario against an in-process server with a short heartbeat: that it counts
 * exactly (connected, signed in, failed by reason, alive at the end), that its pings keep idle
 * sessions alive well past two heartbeats, and that the sockets leave from the source addresses.
 * Not that the server is fast.
 */
class SessionsBenchTest {
    private static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long";
    private static final long HEARTBEAT_MS = 400;
    private static DialtoneServer server;
    private static URI ws;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(ServerConfig.builder().records(RecordsConfig.inMemory()).host("127.0.0.1").port(0)
                .secret(SECRET).heartbeatMs(HEARTBEAT_MS).build());
        ws = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Function<String, String> tokens(String secret) {
        TokenService signer = new TokenService(secret.getBytes(StandardCharsets.UTF_8), Clock.system());
        return user -> signer.sign(user, Duration.ofMinutes(5));
    }

    private static Map<String, Object> run(URI target, Function<String, String> tokens, int sessions, long holdMs,
                                           List<String> sources, Long pid) throws Exception {
        StringWriter progress = new StringWriter();
        SessionsBench bench = new SessionsBench(new SessionsBench.Settings(target, tokens, sessions, holdMs, 2_000,
                sources, pid), new PrintWriter(progress, true));
        bench.preflight();
        return bench.run();
    }

    @Test
    void holdsEverySessionPastTwoHeartbeatsAndCountsExactly() throws Exception {
        // 1.5 s of hold is almost four heartbeats: without pings the server would close every session (4408).
        Map<String, Object> results = run(ws, tokens(SECRET), 300, 1_500, List.of("127.0.0.2", "127.0.0.3"),
                ProcessHandle.current().pid());

        assertThat(results).containsEntry("connected", 300L).containsEntry("signedIn", 300L)
                .containsEntry("failed", 0L).containsEntry("aliveAtEnd", 300L).containsEntry("loggedOut", 300L)
                .containsEntry("closedWithoutLogout", 0);
        assertThat((Map<?, ?>) results.get("failures")).isEmpty();
        assertThat((Map<?, ?>) results.get("errorsAfterSignIn")).isEmpty();
        assertThat(results.get("socketsBySource")).isEqualTo(Map.of("127.0.0.2", 150L, "127.0.0.3", 150L));
        // What the server itself counted at the end of the hold: all 300 attached.
        assertThat(results.get("serverAttachedAtEnd")).isEqualTo(300.0);
        assertThat(SessionsBench.clean(results)).isTrue();
        // Every session pinged about once per heartbeat, and every ping answered.
        long pings = (long) results.get("pingsSent");
        assertThat(pings).isGreaterThanOrEqualTo(300L * 3);
        assertThat((long) results.get("pingReplies")).isGreaterThanOrEqualTo(pings - 300);
        // The memory figures come from the server's /metrics (JVM heap, resident memory on Linux).
        assertThat(results.get("serverHeapBeforeMiB")).isNotNull();
        assertThat(results.get("serverHeapAfterMiB")).isNotNull();
        assertThat(results.get("heapMeasured").toString()).startsWith("live");
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(results.get("serverRssBeforeMiB")).isNotNull();
            assertThat(results.get("benchRssMiB")).isNotNull();
            assertThat(results.get("serverCpuMsPerSignIn")).isNotNull();
            assertThat(ServerMemory.cpuNanos(ProcessHandle.current().pid()).orElse(0)).isPositive();
            assertThat(ServerMemory.maxOpenFiles(ProcessHandle.current().pid())).isPresent();
        }
        assertThat((List<?>) results.get("notes")).isEmpty();
    }

    @Test
    void aWrongSecretIsCountedAsUnauthorizedForEverySession() throws Exception {
        Map<String, Object> results = run(ws, tokens("not-the-secret-but-also-32-bytes-long!!"), 40, 0, List.of(), null);

        assertThat(results).containsEntry("connected", 40L).containsEntry("signedIn", 0L).containsEntry("failed", 40L)
                .containsEntry("aliveAtEnd", 0L);
        assertThat(results.get("failures")).isEqualTo(Map.of("auth: unauthorized", 40L));
        assertThat(SessionsBench.clean(results)).isFalse();
    }

    @Test
    void aServerThatIsNotThereIsCountedAsRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, Object> results = run(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), tokens(SECRET), 20, 0,
                List.of("127.0.0.2"), null);

        assertThat(results).containsEntry("connected", 0L).containsEntry("failed", 20L);
        assertThat(results.get("failures")).isEqualTo(Map.of("connect: refused", 20L));
        assertThat((List<?>) results.get("notes")).anySatisfy(note -> assertThat(note.toString()).contains("/metrics"));
    }

    @Test
    void theCommandRefusesMoreSessionsThanItHasFileDescriptors() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("--url", ws.toString(), "--secret", SECRET, "sessions", "--sessions", "2000000000",
                        "--sources", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("open files").contains("ulimit -n");
    }

    @Test
    void theCommandPrintsItsTable() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("--url", ws.toString(), "--secret", SECRET, "--json", "sessions", "--sessions", "10",
                        "--duration", "0", "--sources", "1");

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"scenario\":\"sessions\"").contains("\"signedIn\":10")
                .contains("\"socketsBySource\":{\"127.0.0.2\":10}");
    }

    @Test
    void sourceAddressesAreLoopbackAndEnoughForTheirPorts() {
        assertThat(SourceAddresses.defaultCount(1)).isEqualTo(1);
        assertThat(SourceAddresses.defaultCount(5_000)).isEqualTo(1);
        assertThat(SourceAddresses.defaultCount(5_001)).isEqualTo(2);
        assertThat(SourceAddresses.defaultCount(100_000)).isEqualTo(20);
        assertThat(SourceAddresses.loopback(3)).containsExactly("127.0.0.2", "127.0.0.3", "127.0.0.4");
        assertThat(SessionsBench.sources(URI.create("ws://127.0.0.1:8080/v1/ws"), null, 100_000))
                .hasSize(20).startsWith("127.0.0.2").endsWith("127.0.0.21");
        assertThat(SessionsBench.sources(URI.create("ws://127.0.0.1:8080/v1/ws"), 0, 100_000)).isEmpty();
        assertThat(SessionsBench.sources(URI.create("ws://192.0.2.1:8080/v1/ws"), null, 100_000)).isEmpty();
        assertThatThrownBy(() -> SessionsBench.sources(URI.create("ws://192.0.2.1:8080/v1/ws"), 2, 10))
                .hasMessageContaining("loopback");
    }

    @Test
    void metricsAreReadFromThePrometheusText() {
        assertThat(ServerMemory.metricsUri(URI.create("ws://127.0.0.1:18080/v1/ws")))
                .isEqualTo(URI.create("http://127.0.0.1:18080/metrics"));
        assertThat(ServerMemory.metricsUri(URI.create("wss://example.com/v1/ws")))
                .isEqualTo(URI.create("https://example.com:443/metrics"));
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 5000000.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.0E7
                process_resident_memory_bytes 3.0E8
                dialtone_sessions{state="attached"} 300.0
                dialtone_sessions{state="detached"} 2.0
                odd_{label="with } brace"} 1
                """;
        ServerMemory.Snapshot snapshot = ServerMemory.snapshot(ServerMemory.parse(text));
        assertThat(snapshot.heapUsedBytes()).isEqualTo(1.5e7);
        assertThat(snapshot.rssBytes()).isEqualTo(3e8);
        assertThat(snapshot.attached()).isEqualTo(300);
        assertThat(snapshot.detached()).isEqualTo(2);
        assertThat(snapshot.heapCommittedBytes()).isNaN();
        assertThat(ServerMemory.sum(ServerMemory.parse(text), "odd_", null)).isEqualTo(1);
    }

    @Test
    void connectFailuresAreShortReasons() {
        assertThat(SessionsBench.connectFailure(new java.net.ConnectException("Connection refused: /127.0.0.1:1")))
                .isEqualTo("connect: refused");
        assertThat(SessionsBench.connectFailure(new java.net.BindException("Cannot assign requested address")))
                .isEqualTo("connect: no free local port");
        assertThat(SessionsBench.connectFailure(new io.vertx.core.http.UpgradeRejectedException("no", 503, null, null)))
                .isEqualTo("connect: handshake refused with HTTP 503");
    }
}
