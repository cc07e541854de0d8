package dev.dialtone.server.records;

import static dev.dialtone.protocol.CallOutcome.MISSED;
import static dev.dialtone.server.records.TestCalls.call;
import static dev.dialtone.server.records.TestCalls.invitee;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.protocol.CallRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsRunOnTheReadThreadsAndFailThroughTheirFutures() throws Exception {
        RecordsConfig config = RecordsConfig.defaults().withDataDir(dir.toString());
        CallRecord missed = call("c-1", 1_000, "alice", invitee("bob", MISSED));
        try (InstrumentedCallRecords store = new InstrumentedCallRecords(JdbcCallRecords.open(config))) {
            store.write(List.of(missed), List.of());
            RecordReader reader = new RecordReader(store, config.readThreads());

            assertThat(get(reader.history("bob", 10, null)).calls()).containsExactly(missed.forUser("bob"));
            assertThat(store.readThread).startsWith("dialtone-records-read-");
            assertThat(get(reader.find("c-1"))).contains(missed);
            assertThat(get(reader.search(RecordQuery.first(10).withCaller("alice"))).calls()).containsExactly(missed);
            assertThat(get(reader.missedCalls("bob"))).isEqualTo(1);

            // A bad request arrives through the future, never as a throw on the caller's thread.
            CompletableFuture<CallRecords.Page> bad = reader.history("bob", 10, "!");
            assertThat(bad).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(IllegalArgumentException.class);
            assertThat(reader.history("bob", 0, null)).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(IllegalArgumentException.class);

            reader.close();
            assertThat(reader.find("c-1")).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(RecordStoreException.class).withMessageContaining("closed");
        }
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }
}
