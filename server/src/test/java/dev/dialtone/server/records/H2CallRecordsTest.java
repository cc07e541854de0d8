package dev.dialtone.server.records;

import static dev.dialtone.protocol.CallOutcome.ANSWERED;
import static dev.dialtone.server.records.TestCalls.call;
import static dev.dialtone.server.records.TestCalls.invitee;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.protocol.CallRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded H2 file database, the default configuration in a temporary data dir. */
class H2CallRecordsTest extends CallRecordsContract {
    @TempDir
    static Path dir;

    @Override
    protected RecordsConfig config() {
        return RecordsConfig.defaults().withDataDir(dir.resolve("data").toString());
    }

    @Test
    void theEmbeddedDatabaseIsAFileInTheDataDirAndSurvivesARestart() throws Exception {
        Path dataDir = dir.resolve("restart/nested");
        RecordsConfig config = RecordsConfig.defaults().withDataDir(dataDir.toString());
        CallRecord call = call("c-kept", 1_000, "alice", invitee("bob", ANSWERED));
        try (CallRecords first = JdbcCallRecords.open(config)) {
            first.write(List.of(call), List.of());
        }
        assertThat(dataDir.resolve("dialtone.mv.db")).isRegularFile();

        try (CallRecords second = JdbcCallRecords.open(config)) { // migrations already applied: a no-op
            assertThat(second.find("c-kept")).contains(call);
        }
    }

    @Test
    void openSaysWhyWhenTheDataDirCannotBeCreated() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        RecordsConfig config = RecordsConfig.defaults().withDataDir(file.resolve("data").toString());

        assertThatThrownBy(() -> JdbcCallRecords.open(config)).isInstanceOf(RecordStoreException.class)
                .hasMessageContaining("cannot create the call records directory");
    }
}
