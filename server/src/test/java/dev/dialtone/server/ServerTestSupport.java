package dev.dialtone.server;

import dev.dialtone.server.records.RecordsConfig;

/** Server configurations for tests: ephemeral port, short timers, a known secret. */
final class ServerTestSupport {
    static final String SECRET = "test-secret-test-secret-test-secret-0123456789";

    private ServerTestSupport() {
    }

    static ServerConfig.Builder config() {
        return ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .secret(SECRET)
                .eventLoops(2)
                .heartbeatMs(5_000)
                .firstFrameTimeoutMs(500)
                .resumeWindowMs(2_000)
                .records(RecordsConfig.inMemory());
    }
}
