package dev.dialtone.server.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RecordsConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        RecordsConfig config = RecordsConfig.defaults();

        assertThat(config.dataDir()).isEqualTo("./data");
        assertThat(config.embedded()).isTrue();
        assertThat(config.batchSize()).isEqualTo(256);
        assertThat(config.queueLimit()).isEqualTo(100_000);
        assertThat(config.retryInitialMs()).isEqualTo(100);
        assertThat(config.retryMaxMs()).isEqualTo(5_000);
        assertThat(config.poolSize()).isEqualTo(4);
        assertThat(config.readThreads()).isEqualTo(3);
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("dialtone")
                + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void aUrlReplacesTheEmbeddedDatabase() {
        RecordsConfig config = RecordsConfig.defaults().withUrl("jdbc:postgresql://db/records")
                .withCredentials("dialtone", "s3cret");

        assertThat(config.embedded()).isFalse();
        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db/records");
        assertThat(config.toString()).doesNotContain("s3cret").contains("password=***");
        assertThat(RecordsConfig.defaults().withUrl("jdbc:postgresql://db/x?user=a&password=s3cret").toString())
                .doesNotContain("s3cret");
    }

    @Test
    void valuesAreCheckedAsTheyAreSet() {
        RecordsConfig config = RecordsConfig.defaults();
        assertThatThrownBy(() -> config.withDataDir(" ")).hasMessage("dataDir must not be empty");
        assertThatThrownBy(() -> config.withDataDir("x;MODE=MySQL")).hasMessage("dataDir must not contain ';'");
        assertThatThrownBy(() -> config.withUrl("postgres://db")).hasMessageContaining("JDBC url");
        assertThatThrownBy(() -> config.withBatchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> config.withBatchSize(RecordsConfig.MAX_BATCH_SIZE + 1)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> config.withQueueLimit(0)).hasMessageContaining("queueLimit");
        assertThatThrownBy(() -> config.withRetry(0, 10)).hasMessageContaining("retryInitialMs");
        assertThatThrownBy(() -> config.withRetry(100, 50)).hasMessageContaining("retryMaxMs");
        assertThatThrownBy(() -> config.withPoolSize(1)).hasMessageContaining("poolSize");
        assertThat(config.withRetry(10, 10).retryMaxMs()).isEqualTo(10);
    }
}
