package dev.dialtone.server.records;

import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL of the test machine: {@code DIALTONE_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code DIALTONE_TEST_PG_USER} (default
 * {@code postgres}) and an optional {@code DIALTONE_TEST_PG_PASSWORD}. Tests work in schemas of
 * their own, made here and dropped afterwards, so that runs never see each other's rows.
 */
public final class PostgresTestDatabase {
    public static final String URL = env("DIALTONE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("DIALTONE_TEST_PG_USER", "postgres");
    public static final String PASSWORD = System.getenv("DIALTONE_TEST_PG_PASSWORD");

    private PostgresTestDatabase() {
    }

    /** Creates a new, empty schema and returns its name. */
    public static String createSchema() throws SQLException {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(URL, "CREATE SCHEMA " + schema);
        return schema;
    }

    public static void dropSchema(String schema) throws SQLException {
        if (schema != null) {
            execute(URL, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The url of the test database with {@code schema} as the current schema. */
    public static String url(String schema) {
        return urlVia(server().getPort(), schema);
    }

    /** Like {@link #url}, but through {@code 127.0.0.1:port} (a {@link TcpProxy}) if port differs. */
    public static String urlVia(int port, String schema) {
        URI uri = uri();
        String host = port == server().getPort() ? uri.getHost() : "127.0.0.1";
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery() + "&";
        return "jdbc:postgresql://" + host + ":" + port + uri.getRawPath() + "?" + query + "currentSchema=" + schema;
    }

    /** Where the database listens. */
    public static InetSocketAddress server() {
        URI uri = uri();
        return new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** A plain connection, bypassing any proxy: to check what really arrived. */
    public static Connection connect(String schema) throws SQLException {
        try {
            return DriverManager.getConnection(url(schema), USER, PASSWORD);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL for tests not reachable at " + URL + " as " + USER
                    + " (set DIALTONE_TEST_PG_URL / DIALTONE_TEST_PG_USER): " + e.getMessage(), e);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL for tests not usable at " + URL + " as " + USER
                    + " (set DIALTONE_TEST_PG_URL / DIALTONE_TEST_PG_USER): " + e.getMessage(), e);
        }
    }

    private static URI uri() {
        return URI.create(URL.substring("jdbc:".length()));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
