package dev.dialtone.server.records;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dialtone.protocol.CallOutcome;
import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.CallRecord.Invitee;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CallRecords} over JDBC: the embedded H2 file database by default, PostgreSQL when several
 * nodes share records. Both run the same SQL (the Flyway migrations in {@code db/migration} and
 * the statements below keep to portable SQL).
 *
 * <p>Connections come from a HikariCP pool with a 2 s connection timeout, so an outage surfaces
 * quickly as a {@link RecordStoreException} instead of a hang. {@link #open} needs the database:
 * it fails fast, with the url in the message, when it cannot connect or migrate, so a
 * misconfigured server does not start. An outage later is {@link RecordWriter}'s business: it
 * keeps what it could not write and retries.
 *
 * <p>Thread-safe: the pool is the only state; each call borrows a connection for its duration.
 */
public final class JdbcCallRecords implements CallRecords {
    private static final Logger log = LoggerFactory.getLogger(JdbcCallRecords.class);

    /** Short, so that a database that does not answer is reported within a retry or two. */
    static final long CONNECTION_TIMEOUT_MS = 2_000;
    /** PostgreSQL socket read timeout: a server that vanished (no RST) must not hang a write for ever. */
    private static final String PG_SOCKET_TIMEOUT_SECONDS = "30";
    /** Most call ids in one {@code IN (…)} list; well under every driver's parameter limit. */
    private static final int IN_LIST_CHUNK = 500;

    private static final String CALL_COLUMNS = "c.call_id, c.caller, c.media, c.created_at, c.answered_at, "
            + "c.ended_at, c.end_reason, c.ended_by, c.duration_ms, c.room_id";
    private static final String INSERT_CALL = "INSERT INTO calls (call_id, caller, media, created_at, answered_at, "
            + "ended_at, end_reason, ended_by, duration_ms, room_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_PARTICIPANT = "INSERT INTO call_participants (call_id, user_id, role, "
            + "outcome, position, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    // Standard MERGE (H2, PostgreSQL 15+); the casts give the VALUES row its types on both. No
    // length in the cast: PostgreSQL would silently truncate a long value instead of refusing it.
    private static final String UPSERT_SIGN_OFF = """
            MERGE INTO sign_offs s
            USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT))) AS v (user_id, signed_off_at)
            ON s.user_id = v.user_id
            WHEN MATCHED AND v.signed_off_at > s.signed_off_at THEN UPDATE SET signed_off_at = v.signed_off_at
            WHEN NOT MATCHED THEN INSERT (user_id, signed_off_at) VALUES (v.user_id, v.signed_off_at)
            """;
    private static final String MISSED_CALLS = """
            SELECT COUNT(*) FROM call_participants p
            JOIN calls c ON c.call_id = p.call_id
            LEFT JOIN sign_offs s ON s.user_id = p.user_id
            WHERE p.user_id = ? AND p.outcome = 'missed'
              AND (s.signed_off_at IS NULL OR c.ended_at > s.signed_off_at)
            """;

    private static final String ROLE_CALLER = "caller";
    private static final String ROLE_INVITEE = "invitee";

    private final HikariDataSource pool;
    private final String where;

    private JdbcCallRecords(HikariDataSource pool, String where) {
        this.pool = pool;
        this.where = where;
    }

    /**
     * Connects (creating the data directory of the embedded database if needed) and migrates
     * the schema to the current version.
     *
     * @throws RecordStoreException when the database cannot be reached or migrated
     */
    public static JdbcCallRecords open(RecordsConfig config) throws RecordStoreException {
        String url = config.jdbcUrl();
        String where = redact(url);
        if (config.embedded()) {
            try {
                Files.createDirectories(Path.of(config.dataDir()));
            } catch (IOException e) {
                throw new RecordStoreException("cannot create the call records directory " + config.dataDir()
                        + ": " + e, e);
            }
        }
        HikariConfig settings = new HikariConfig();
        settings.setPoolName("dialtone-records");
        settings.setJdbcUrl(url);
        settings.setUsername(config.user());
        settings.setPassword(config.password());
        settings.setMaximumPoolSize(config.poolSize());
        settings.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        settings.setValidationTimeout(Math.min(1_000, CONNECTION_TIMEOUT_MS / 2));
        // Fail at once when the first connection cannot be made: starting a server that cannot
        // record its calls would only hide a wrong url or password until the first call ends.
        settings.setInitializationFailTimeout(1);
        if (url.startsWith("jdbc:postgresql:")) {
            // Url parameters, if any, override these.
            settings.addDataSourceProperty("socketTimeout", PG_SOCKET_TIMEOUT_SECONDS);
            settings.addDataSourceProperty("tcpKeepAlive", "true");
            settings.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(settings);
        } catch (RuntimeException e) {
            throw new RecordStoreException("cannot connect to the call records database at " + where + ": "
                    + rootMessage(e), e);
        }
        try {
            MigrateResult result = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                    .load().migrate();
            log.info("call records in {} (schema version {}, {} migrations applied now)", where,
                    result.targetSchemaVersion, result.migrationsExecuted);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new RecordStoreException("cannot migrate the call records database at " + where + ": "
                    + rootMessage(e), e);
        }
        return new JdbcCallRecords(dataSource, where);
    }

    @Override
    public void write(List<CallRecord> calls, List<SignOff> signOffs) throws RecordStoreException {
        Map<String, CallRecord> byId = new LinkedHashMap<>();
        for (CallRecord call : calls) {
            check(call);
            byId.putIfAbsent(call.callId(), call);
        }
        Map<String, Long> latest = new LinkedHashMap<>();
        for (SignOff signOff : signOffs) {
            latest.merge(signOff.user(), signOff.at(), Math::max);
        }
        if (byId.isEmpty() && latest.isEmpty()) {
            return;
        }
        String what = "cannot write " + byId.size() + " call records and " + latest.size() + " sign-offs";
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // Idempotence: a call already stored (a retry after a lost commit acknowledgement)
                // is skipped whole, so its rows stay exactly as first written.
                byId.keySet().removeAll(existing(connection, byId.keySet()));
                insertCalls(connection, byId.values());
                upsertSignOffs(connection, latest);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    @Override
    public Page history(String user, int limit, String before) throws RecordStoreException {
        Objects.requireNonNull(user, "user");
        Page page = search(new RecordQuery(user, null, null, null, null, limit, before));
        return new Page(page.calls().stream().map(call -> call.forUser(user)).toList(), page.next());
    }

    @Override
    public Optional<CallRecord> find(String callId) throws RecordStoreException {
        Objects.requireNonNull(callId, "callId");
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + CALL_COLUMNS + " FROM calls c WHERE c.call_id = ?")) {
            select.setString(1, callId);
            List<CallRecord> found = withInvitees(connection, readCalls(select));
            return found.stream().findFirst();
        } catch (SQLException e) {
            throw failure("cannot read call " + callId, e);
        }
    }

    @Override
    public Page search(RecordQuery query) throws RecordStoreException {
        // Decode first: a malformed cursor is the caller's mistake, not a database failure.
        Cursor after = query.cursor() == null ? null : Cursor.decode(query.cursor());
        // With a user or a caller, page over their participant rows (the history index: the caller
        // is a participant too, so calls need no index by caller of their own); otherwise over calls.
        String participant = query.user() != null ? query.user() : query.caller();
        String key = participant != null ? "p" : "c";
        StringBuilder sql = new StringBuilder("SELECT ").append(CALL_COLUMNS).append(" FROM calls c");
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (participant != null) {
            sql.append(" JOIN call_participants p ON p.call_id = c.call_id");
            conditions.add("p.user_id = ?");
            args.add(participant);
        }
        if (query.caller() != null) {
            conditions.add("c.caller = ?");
            args.add(query.caller());
        }
        if (query.endReason() != null) {
            conditions.add("c.end_reason = ?");
            args.add(query.endReason().wire());
        }
        if (query.from() != null) {
            conditions.add(key + ".created_at >= ?");
            args.add(query.from());
        }
        if (query.to() != null) {
            conditions.add(key + ".created_at < ?");
            args.add(query.to());
        }
        if (after != null) {
            // "Before (createdAt, callId)", written so that the first term bounds the index range.
            conditions.add(key + ".created_at <= ? AND (" + key + ".created_at < ? OR " + key + ".call_id < ?)");
            args.add(after.createdAt());
            args.add(after.createdAt());
            args.add(after.callId());
        }
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        // One more than asked for tells whether there is a next page.
        sql.append(" ORDER BY ").append(key).append(".created_at DESC, ").append(key).append(".call_id DESC")
                .append(" FETCH FIRST ? ROWS ONLY");
        args.add(query.limit() + 1);
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            bind(select, args);
            List<CallRecord> calls = withInvitees(connection, readCalls(select));
            if (calls.size() <= query.limit()) {
                return new Page(calls, null);
            }
            List<CallRecord> page = calls.subList(0, query.limit());
            CallRecord last = page.get(page.size() - 1);
            return new Page(page, new Cursor(last.createdAt(), last.callId()).encode());
        } catch (SQLException e) {
            throw failure("cannot search call records", e);
        }
    }

    @Override
    public int missedCalls(String user) throws RecordStoreException {
        Objects.requireNonNull(user, "user");
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(MISSED_CALLS)) {
            select.setString(1, user);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return (int) Math.min(Integer.MAX_VALUE, rows.getLong(1));
            }
        } catch (SQLException e) {
            throw failure("cannot count the missed calls of " + user, e);
        }
    }

    @Override
    public void close() {
        pool.close();
        log.debug("call records in {} closed", where);
    }

    // ---- writing ----------------------------------------------------------------------------

    /** Rejects what the schema cannot represent faithfully, before anything is written. */
    private static void check(CallRecord call) {
        require(call.callId() != null, "a call record needs a callId");
        require(call.caller() != null, "call " + call.callId() + " has no caller");
        require(call.media() != null, "call " + call.callId() + " has no media");
        require(call.endReason() != null, "call " + call.callId() + " has no endReason");
        Set<String> named = new HashSet<>();
        named.add(call.caller());
        for (Invitee invitee : call.invitees()) {
            require(invitee.user() != null, "call " + call.callId() + " has an invitee without a user");
            require(invitee.outcome() != null && invitee.outcome() != CallOutcome.OUTGOING,
                    "invitee " + invitee.user() + " of call " + call.callId() + " needs an invitee's outcome");
            require(named.add(invitee.user()), "call " + call.callId() + " names " + invitee.user() + " twice");
        }
    }

    private static Set<String> existing(Connection connection, Collection<String> callIds) throws SQLException {
        Set<String> found = new HashSet<>();
        List<String> ids = new ArrayList<>(callIds);
        for (int start = 0; start < ids.size(); start += IN_LIST_CHUNK) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IN_LIST_CHUNK));
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT call_id FROM calls WHERE call_id IN (" + placeholders(chunk.size()) + ")")) {
                bind(select, chunk);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
            }
        }
        return found;
    }

    private static void insertCalls(Connection connection, Collection<CallRecord> calls) throws SQLException {
        if (calls.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_CALL)) {
            for (CallRecord call : calls) {
                insert.setString(1, call.callId());
                insert.setString(2, call.caller());
                insert.setString(3, call.media().wire());
                insert.setLong(4, call.createdAt());
                if (call.answeredAt() == null) {
                    insert.setNull(5, Types.BIGINT);
                } else {
                    insert.setLong(5, call.answeredAt());
                }
                insert.setLong(6, call.endedAt());
                insert.setString(7, call.endReason().wire());
                insert.setString(8, call.endedBy());
                insert.setLong(9, call.durationMs());
                insert.setString(10, call.roomId());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_PARTICIPANT)) {
            for (CallRecord call : calls) {
                participant(insert, call, call.caller(), ROLE_CALLER, CallOutcome.OUTGOING, 0);
                int position = 1;
                for (Invitee invitee : call.invitees()) {
                    participant(insert, call, invitee.user(), ROLE_INVITEE, invitee.outcome(), position++);
                }
            }
            insert.executeBatch();
        }
    }

    private static void participant(PreparedStatement insert, CallRecord call, String user, String role,
                                    CallOutcome outcome, int position) throws SQLException {
        insert.setString(1, call.callId());
        insert.setString(2, user);
        insert.setString(3, role);
        insert.setString(4, outcome.wire());
        insert.setInt(5, position);
        insert.setLong(6, call.createdAt());
        insert.addBatch();
    }

    private static void upsertSignOffs(Connection connection, Map<String, Long> latest) throws SQLException {
        if (latest.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT_SIGN_OFF)) {
            for (Map.Entry<String, Long> signOff : latest.entrySet()) {
                upsert.setString(1, signOff.getKey());
                upsert.setLong(2, signOff.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    /** The calls a query selects, in its order, with no invitees yet. */
    private static List<CallRecord> readCalls(PreparedStatement select) throws SQLException {
        List<CallRecord> calls = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                long answeredAt = rows.getLong(5);
                Long answered = rows.wasNull() ? null : answeredAt;
                calls.add(new CallRecord(rows.getString(1), rows.getString(2), List.of(),
                        Media.fromWire(rows.getString(3)), rows.getLong(4), answered, rows.getLong(6),
                        EndReason.fromWire(rows.getString(7)), rows.getString(8), rows.getLong(9),
                        rows.getString(10), null));
            }
        }
        return calls;
    }

    /** The same calls with their invitees, in invite order. */
    private static List<CallRecord> withInvitees(Connection connection, List<CallRecord> calls) throws SQLException {
        if (calls.isEmpty()) {
            return calls;
        }
        Map<String, List<Invitee>> invitees = new HashMap<>();
        List<String> ids = calls.stream().map(CallRecord::callId).toList();
        try (PreparedStatement select = connection.prepareStatement("SELECT call_id, user_id, outcome "
                + "FROM call_participants WHERE role = '" + ROLE_INVITEE + "' AND call_id IN ("
                + placeholders(ids.size()) + ") ORDER BY call_id, position")) {
            bind(select, ids);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    invitees.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
                            .add(new Invitee(rows.getString(2), CallOutcome.fromWire(rows.getString(3))));
                }
            }
        }
        return calls.stream().map(c -> new CallRecord(c.callId(), c.caller(),
                invitees.getOrDefault(c.callId(), List.of()), c.media(), c.createdAt(), c.answeredAt(),
                c.endedAt(), c.endReason(), c.endedBy(), c.durationMs(), c.roomId(), null)).toList();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static void bind(PreparedStatement statement, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case String s -> statement.setString(i + 1, s);
                case Long l -> statement.setLong(i + 1, l);
                case Integer n -> statement.setInt(i + 1, n);
                default -> throw new IllegalArgumentException("cannot bind " + args.get(i));
            }
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private RecordStoreException failure(String what, SQLException e) {
        return new RecordStoreException(what + " (" + where + "): " + e.getMessage(), e, refusesData(e));
    }

    /**
     * Whether the database refused the data rather than failed: SQLSTATE class 22 (data exception,
     * e.g. a value too long) or 23 (integrity constraint). A unique violation (23505) is the
     * exception: with the existence check in {@link #write} it only arises when another
     * transaction inserted the same key concurrently, and a retry then finds the row.
     */
    static boolean refusesData(SQLException e) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = new HashSet<>();
        todo.add(e);
        while (!todo.isEmpty() && seen.size() < 32) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23") && !state.equals("23505"))) {
                    return true;
                }
                if (sql.getNextException() != null) {
                    todo.add(sql.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return false;
    }

    /** The url with any password parameter masked, for messages and logs. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getMessage() + " (" + message + ")";
    }
}
