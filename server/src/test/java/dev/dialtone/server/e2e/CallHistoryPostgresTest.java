package dev.dialtone.server.e2e;

import dev.dialtone.server.records.PostgresTestDatabase;
import dev.dialtone.server.records.RecordsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link CallHistoryContract} on PostgreSQL (127.0.0.1:5432, database test), in a schema of its own. */
class CallHistoryPostgresTest extends CallHistoryContract {
    private static String schema;

    @BeforeAll
    static void startOnPostgres() throws Exception {
        schema = PostgresTestDatabase.createSchema();
        start(RecordsConfig.defaults().withUrl(PostgresTestDatabase.url(schema))
                .withCredentials(PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD));
    }

    @AfterAll
    static void dropSchema() throws Exception {
        stop();
        PostgresTestDatabase.dropSchema(schema);
    }
}
