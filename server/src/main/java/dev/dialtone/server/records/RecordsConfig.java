package dev.dialtone.server.records;

import java.nio.file.Path;

/**
 * Where call records are stored and how they are written. Immutable; start from
 * {@link #defaults()} and change values with the {@code with…} methods, each of which validates
 * at once.
 *
 * @param dataDir        directory of the embedded H2 database; used only when {@code url} is null
 * @param url            JDBC url of the database ({@code jdbc:postgresql://…}, {@code jdbc:h2:…});
 *                       null selects the embedded H2 file database in {@code dataDir}
 * @param user           database user; null for the driver's default
 * @param password       database password; null for none
 * @param batchSize      most records written in one transaction
 * @param queueLimit     records waiting to be written at which the server stops accepting new calls
 * @param retryInitialMs first pause before retrying a failed write; doubles on each failure
 * @param retryMaxMs     longest pause between retries
 * @param poolSize       database connections: one for the writer, the others for reads
 */
public record RecordsConfig(String dataDir, String url, String user, String password, int batchSize,
                            int queueLimit, long retryInitialMs, long retryMaxMs, int poolSize) {

    public static final String DEFAULT_DATA_DIR = "./data";
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final int DEFAULT_QUEUE_LIMIT = 100_000;
    public static final long DEFAULT_RETRY_INITIAL_MS = 100;
    public static final long DEFAULT_RETRY_MAX_MS = 5_000;
    public static final int DEFAULT_POOL_SIZE = 4;
    /** Largest batch: beyond this a transaction only grows its locks and its retry cost. */
    public static final int MAX_BATCH_SIZE = 10_000;

    public RecordsConfig {
        check(dataDir != null && !dataDir.isBlank(), "dataDir must not be empty");
        // The data dir becomes part of the H2 url, where ';' would start a setting.
        check(dataDir.indexOf(';') < 0, "dataDir must not contain ';'");
        check(url == null || url.startsWith("jdbc:"), "url must be a JDBC url (jdbc:…), or null for embedded H2");
        check(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "batchSize must be 1–" + MAX_BATCH_SIZE);
        check(queueLimit >= 1, "queueLimit must be at least 1");
        check(retryInitialMs >= 1, "retryInitialMs must be at least 1");
        check(retryMaxMs >= retryInitialMs, "retryMaxMs must be at least retryInitialMs");
        check(poolSize >= 2, "poolSize must be at least 2 (one connection for the writer, one or more for reads)");
    }

    /** Embedded H2 in {@code ./data}, with the documented defaults. */
    public static RecordsConfig defaults() {
        return new RecordsConfig(DEFAULT_DATA_DIR, null, null, null, DEFAULT_BATCH_SIZE, DEFAULT_QUEUE_LIMIT,
                DEFAULT_RETRY_INITIAL_MS, DEFAULT_RETRY_MAX_MS, DEFAULT_POOL_SIZE);
    }

    /**
     * An H2 database of its own in memory, gone when the server stops: for tests and benchmarks
     * that must not leave files behind or share records with another server.
     */
    public static RecordsConfig inMemory() {
        return defaults().withUrl("jdbc:h2:mem:dialtone-" + java.util.UUID.randomUUID());
    }

    /** Whether this is the embedded H2 database in {@code dataDir}. */
    public boolean embedded() {
        return url == null;
    }

    /**
     * The JDBC url to connect to. For the embedded database: {@code jdbc:h2:file:<dataDir>/dialtone}
     * with an absolute path (H2 refuses bare relative ones) and {@code DB_CLOSE_ON_EXIT=FALSE},
     * because the server closes the pool itself on shutdown, after the writer has flushed; H2's own
     * shutdown hook could otherwise close the database under it.
     */
    public String jdbcUrl() {
        if (url != null) {
            return url;
        }
        Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve("dialtone");
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Threads for reads: the pool less the writer's connection, so reads never starve writes. */
    public int readThreads() {
        return poolSize - 1;
    }

    public RecordsConfig withDataDir(String value) {
        return new RecordsConfig(value, url, user, password, batchSize, queueLimit, retryInitialMs, retryMaxMs,
                poolSize);
    }

    /** Another database: a JDBC url, or null for the embedded one. */
    public RecordsConfig withUrl(String value) {
        return new RecordsConfig(dataDir, value, user, password, batchSize, queueLimit, retryInitialMs, retryMaxMs,
                poolSize);
    }

    public RecordsConfig withCredentials(String newUser, String newPassword) {
        return new RecordsConfig(dataDir, url, newUser, newPassword, batchSize, queueLimit, retryInitialMs,
                retryMaxMs, poolSize);
    }

    public RecordsConfig withBatchSize(int value) {
        return new RecordsConfig(dataDir, url, user, password, value, queueLimit, retryInitialMs, retryMaxMs,
                poolSize);
    }

    public RecordsConfig withQueueLimit(int value) {
        return new RecordsConfig(dataDir, url, user, password, batchSize, value, retryInitialMs, retryMaxMs,
                poolSize);
    }

    public RecordsConfig withRetry(long initialMs, long maxMs) {
        return new RecordsConfig(dataDir, url, user, password, batchSize, queueLimit, initialMs, maxMs, poolSize);
    }

    public RecordsConfig withPoolSize(int value) {
        return new RecordsConfig(dataDir, url, user, password, batchSize, queueLimit, retryInitialMs, retryMaxMs,
                value);
    }

    /** Like the record's, without the password: configs end up in logs. */
    @Override
    public String toString() {
        return "RecordsConfig[dataDir=" + dataDir + ", url=" + (url == null ? null : JdbcCallRecords.redact(url))
                + ", user=" + user + ", password=" + (password == null ? null : "***") + ", batchSize=" + batchSize
                + ", queueLimit=" + queueLimit + ", retryInitialMs=" + retryInitialMs + ", retryMaxMs=" + retryMaxMs
                + ", poolSize=" + poolSize + "]";
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
