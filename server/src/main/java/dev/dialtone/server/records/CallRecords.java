package dev.dialtone.server.records;

import dev.dialtone.protocol.CallRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The call-records boundary: ended calls and sign-offs go in, histories, searches and missed-call
 * counts come out. {@link JdbcCallRecords} implements it over H2 and PostgreSQL.
 *
 * <p>Every method blocks on the database. Implementations are thread-safe. Callers on an event
 * loop or a call's serial executor go through {@link RecordWriter} (writes) and
 * {@link RecordReader} (reads) instead of calling this directly.
 *
 * <p>Privacy: {@link #history} returns only calls the given user took part in (as caller or
 * invitee); {@link #find} and {@link #search} are for the admin API and see everything.
 *
 * <p>Pages are ordered newest first: {@code createdAt} descending, then {@code callId}
 * descending, so calls created in the same millisecond keep a stable order across pages.
 */
public interface CallRecords extends AutoCloseable {

    /** Most records one page may hold. */
    int MAX_PAGE = 200;

    /**
     * Writes ended calls and sign-offs in one transaction: all of them or none. Idempotent by
     * call id, so a batch whose commit acknowledgement was lost can be written again: a call
     * already stored is left as it is. Sign-offs keep the latest moment per user.
     *
     * @throws RecordStoreException     when the database fails or refuses the data (see
     *                                  {@link RecordStoreException#refused()})
     * @throws IllegalArgumentException when a record is inconsistent (a missing field, a user
     *                                  named twice, the caller among the invitees)
     */
    void write(List<CallRecord> calls, List<SignOff> signOffs) throws RecordStoreException;

    /**
     * A page of the calls {@code user} took part in, newest first, each with
     * {@link CallRecord#forUser(String) forUser(user)} applied.
     *
     * @param limit  1–{@value #MAX_PAGE}
     * @param before the {@link Page#next()} of the previous page, or null for the first page
     * @throws IllegalArgumentException for a limit out of range or a malformed cursor
     */
    Page history(String user, int limit, String before) throws RecordStoreException;

    /** The stored record of a call, with {@code outcome} null. */
    Optional<CallRecord> find(String callId) throws RecordStoreException;

    /**
     * A page of calls matching every filter of {@code query}, newest first, {@code outcome} null.
     *
     * @throws IllegalArgumentException for a malformed cursor
     */
    Page search(RecordQuery query) throws RecordStoreException;

    /**
     * How many calls {@code user} missed that ended after their latest sign-off (all of them when
     * they never signed off): the {@code missedCalls} of the {@code auth} result.
     */
    int missedCalls(String user) throws RecordStoreException;

    /** Releases the connections. Nothing may be called afterwards. */
    @Override
    void close();

    /** The moment a user's session ended, epoch ms; only the latest one per user is kept. */
    record SignOff(String user, long at) {
        public SignOff {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * One page of records.
     *
     * @param next the cursor of the following page ({@code before} / {@link RecordQuery#cursor()});
     *             null on the last page
     */
    record Page(List<CallRecord> calls, String next) {
        public Page {
            calls = List.copyOf(calls);
        }
    }
}
