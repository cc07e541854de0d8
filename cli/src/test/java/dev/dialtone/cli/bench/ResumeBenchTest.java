package dev.dialtone.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.server.DialtoneServer;
import dev.dialtone.server.ServerConfig;
import dev.dialtone.server.auth.TokenService;
import dev.dialtone.server.records.RecordsConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A short run of the {@code resume} scenario against an in-process server: its counts must add up. */
class ResumeBenchTest {
    private static final String SECRET = "bench-test-secret-bench-test-secret-0123";
    private DialtoneServer server;

    @BeforeEach
    void start() {
        server = DialtoneServer.start(ServerConfig.builder().host("127.0.0.1").port(0).secret(SECRET)
                .resumeWindowMs(30_000).records(RecordsConfig.inMemory()).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyCutIsResumedOnceAndEveryEventOfTheOutageArrivesExactlyOnce() throws Exception {
        TokenService signer = server.tokens();
        URI url = URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws");
        Map<String, Object> results = new ResumeBench(url, user -> signer.sign(user, Duration.ofMinutes(5)),
                2, 8, new PrintWriter(new StringWriter())).run();

        int skipped = (int) results.get("skippedNoConnection");
        int resumed = (int) results.get("resumed");
        assertThat(resumed).isPositive().isEqualTo(8 - skipped);
        assertThat(results.get("timeouts")).isEqualTo(0);
        assertThat(results.get("resumeFailures")).isEqualTo(0);
        assertThat(results.get("lostEvents")).isEqualTo(0);
        assertThat(results.get("duplicatedEvents")).isEqualTo(0);
        assertThat(((Percentiles.Summary) results.get("detectedToResumed")).samples()).isEqualTo(resumed);
    }
}
