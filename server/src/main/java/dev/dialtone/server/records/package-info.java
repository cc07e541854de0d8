/**
 * Call records: ended calls and sign-offs in a SQL database, and the reads built on them (a user's
 * history, missed calls, the admin search).
 *
 * <ul>
 *   <li>{@link dev.dialtone.server.records.CallRecords} — the boundary; {@link
 *       dev.dialtone.server.records.JdbcCallRecords} implements it over H2 (embedded default) and
 *       PostgreSQL, with the schema migrated by Flyway ({@code db/migration}).</li>
 *   <li>{@link dev.dialtone.server.records.RecordWriter} — group commit on one thread; keeps and
 *       retries records through database outages.</li>
 *   <li>{@link dev.dialtone.server.records.RecordReader} — the blocking reads on a small pool,
 *       as futures.</li>
 *   <li>{@link dev.dialtone.server.records.RecordsConfig} — where and how.</li>
 * </ul>
 *
 * <p>Wiring order: {@code open} the store, start the writer and the reader over it; on shutdown,
 * stop taking calls, {@code close} the writer (it writes what is queued), close the reader, then
 * the store.
 */
package dev.dialtone.server.records;
