package dev.dialtone.server.e2e;

import dev.dialtone.server.records.RecordsConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** {@link CallHistoryContract} on the embedded default: an H2 file database in a data directory. */
class CallHistoryH2Test extends CallHistoryContract {
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void startOnH2() {
        start(RecordsConfig.defaults().withDataDir(dataDir.toString()));
    }
}
