package dev.dialtone.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.records.RecordsConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Short runs of the {@code calls} scenario against an in-process server: its counts must agree
 * with the server's own. Nothing here says the server is fast.
 */
class CallsBenchTest {
    private static final String SECRET = "bench-test-secret-bench-test-secret-0123";
    private DialtoneServer server;
    private URI url;
    private Function<String, String> tokens;

    @BeforeEach
    void start() {
        start(ServerConfig.builder());
    }

    private void start(ServerConfig.Builder config) {
        // The per-connection command limit would turn a few fast pairs into rate_limited failures.
        server = DialtoneServer.start(config.host("127.0.0.1").port(0).secret(SECRET).commandsPerSecond(1_000_000)
                .records(RecordsConfig.inMemory()).build());
        url = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
        TokenService signer = server.tokens();
        tokens = user -> signer.sign(user, Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyCallTheServerCreatedIsCountedOnceAndCompleted() throws Exception {
        Map<String, Object> results = run(6, 300, 1_000, 0);

        long created = (long) results.get("callsCreatedTotal");
        long completed = (long) results.get("callsCompletedTotal");
        assertThat(results.get("failures")).isEqualTo(Map.of());
        assertThat(results.get("cyclesInFlightAtEnd")).isEqualTo(0L);
        assertThat(created).isPositive().isEqualTo(completed);
        assertThat(results.get("callsAbandonedTotal")).isEqualTo(0L);
        // Each completed cycle is one call the server ended by a hang-up, and nothing else ended.
        assertThat(endedCalls("hangup")).isEqualTo(completed);
        assertThat(endedCallsOfAllReasons()).isEqualTo(completed);
        // The measured window is part of the run, and each measured call has its latencies; only
        // a pair's one cycle that straddles either edge of the window may count on one side alone.
        long measured = (long) results.get("completedCalls");
        assertThat(measured).isPositive().isLessThanOrEqualTo(completed);
        for (String latency : new String[] {"inviteToIncoming", "acceptToStarted", "hangupToEnded"}) {
            assertThat((long) ((Percentiles.Summary) results.get(latency)).samples()).as(latency)
                    .isBetween(measured - 2 * 6, measured + 2 * 6);
        }
    }

    @Test
    void aFixedRateStartsNoMoreCallsThanTheRateAllows() throws Exception {
        double rate = 40;
        long runMs = 300 + 1_000;
        Map<String, Object> results = run(4, 300, 1_000, rate);

        long created = (long) results.get("callsCreatedTotal");
        assertThat(results.get("failures")).isEqualTo(Map.of());
        assertThat(created).isPositive().isEqualTo((long) results.get("callsCompletedTotal"));
        assertThat(endedCalls("hangup")).isEqualTo(created);
        // The pacer's budget: rate × time, however fast the server is (plus one tick's rounding).
        assertThat(created).isLessThanOrEqualTo((long) Math.ceil(rate * runMs / 1_000.0) + 1);
        assertThat(results.get("rate")).isEqualTo(rate);
    }

    @Test
    void aCycleThatFailsIsCountedByItsErrorCodeAndNotAsCompleted() throws Exception {
        server.close();
        start(ServerConfig.builder().holdAllowed(false));  // every call.hold is refused: denied
        Map<String, Object> results = run(3, 0, 800, 0);

        long created = (long) results.get("callsCreatedTotal");
        assertThat(created).isPositive();
        assertThat(results.get("completedCalls")).isEqualTo(0L);
        assertThat(results.get("callsCompletedTotal")).isEqualTo(0L);
        assertThat(results.get("failures")).isEqualTo(Map.of("denied", (int) created));
        assertThat(results.get("callsAbandonedTotal")).isEqualTo(created);
        assertThat(endedCalls("hangup")).isEqualTo(created);  // each recovered by a hang-up
    }

    @Test
    void withTheServersProcessIdItsCpuDuringTheMeasuredTimeIsReported() throws Exception {
        // The server runs in this JVM, so this process is the server's.
        Map<String, Object> results = run(4, 200, 1_000, 0, ProcessHandle.current().pid());

        long measured = (long) results.get("completedCalls");
        double percent = (double) results.get("serverCpuPercentOfOneCore");
        double msPerCall = (double) results.get("serverCpuMsPerCall");
        assertThat(measured).isPositive();
        assertThat(percent).isPositive();
        // Both come from the same CPU time: percent of a core × seconds = ms per call × calls.
        double seconds = (double) results.get("seconds");
        assertThat(msPerCall * measured).isCloseTo(percent * seconds * 10, org.assertj.core.data.Percentage.withPercentage(5));

        Map<String, Object> without = run(2, 0, 300, 0);
        assertThat(without).doesNotContainKeys("serverCpuPercentOfOneCore", "serverCpuMsPerCall");
    }

    private Map<String, Object> run(int pairs, long warmupMs, long durationMs, double rate) throws Exception {
        return run(pairs, warmupMs, durationMs, rate, null);
    }

    private Map<String, Object> run(int pairs, long warmupMs, long durationMs, double rate, Long serverPid)
            throws Exception {
        return new CallsBench(url, tokens, pairs, warmupMs, durationMs, rate, serverPid, quiet()).run();
    }

    private static PrintWriter quiet() {
        return new PrintWriter(new StringWriter());
    }

    private long endedCalls(String reason) throws Exception {
        Matcher m = Pattern.compile("^dialtone_calls_ended_total\\{reason=\"" + reason + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private long endedCallsOfAllReasons() throws Exception {
        Matcher m = Pattern.compile("^dialtone_calls_ended_total\\{[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(metrics());
        long total = 0;
        while (m.find()) {
            total += (long) Double.parseDouble(m.group(1));
        }
        return total;
    }

    private String metrics() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
