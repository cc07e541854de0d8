package dev.dialtone.server.records;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on PostgreSQL ({@link PostgresTestDatabase}), in a schema of this class's own. */
class PostgresCallRecordsTest extends CallRecordsContract {
    private static String schema;

    @BeforeAll
    static void createSchema() throws Exception {
        schema = PostgresTestDatabase.createSchema();
    }

    @AfterAll
    static void dropSchema() throws Exception {
        PostgresTestDatabase.dropSchema(schema);
    }

    @Override
    protected RecordsConfig config() {
        return RecordsConfig.defaults().withUrl(PostgresTestDatabase.url(schema))
                .withCredentials(PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD);
    }

    @Test
    void openFailsFastAndSaysWhereWhenTheDatabaseIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RecordsConfig config = RecordsConfig.defaults()
                .withUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/test?password=hunter2")
                .withCredentials(PostgresTestDatabase.USER, null);

        assertThatThrownBy(() -> JdbcCallRecords.open(config)).isInstanceOf(RecordStoreException.class)
                .hasMessageContaining("cannot connect to the call records database")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("hunter2");
    }
}
