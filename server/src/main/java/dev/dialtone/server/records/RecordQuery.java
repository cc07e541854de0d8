package dev.dialtone.server.records;

import dev.dialtone.protocol.EndReason;

/**
 * The filters of an admin search ({@link CallRecords#search}); a null filter matches everything.
 * Immutable; start from {@link #first(int)} and narrow with the {@code with…} methods.
 *
 * @param user      calls this user took part in (caller or invitee)
 * @param caller    calls this user placed
 * @param endReason calls that ended this way
 * @param from      calls created at or after this epoch ms (inclusive)
 * @param to        calls created before this epoch ms (exclusive)
 * @param limit     1–{@value CallRecords#MAX_PAGE} records per page
 * @param cursor    the {@link CallRecords.Page#next()} of the previous page; null for the first
 */
public record RecordQuery(String user, String caller, EndReason endReason, Long from, Long to, int limit,
                          String cursor) {

    public RecordQuery {
        checkLimit(limit);
        if (from != null && to != null && from > to) {
            throw new IllegalArgumentException("from must not be after to");
        }
    }

    /** The first {@code limit} records of all calls. */
    public static RecordQuery first(int limit) {
        return new RecordQuery(null, null, null, null, null, limit, null);
    }

    public RecordQuery withUser(String value) {
        return new RecordQuery(value, caller, endReason, from, to, limit, cursor);
    }

    public RecordQuery withCaller(String value) {
        return new RecordQuery(user, value, endReason, from, to, limit, cursor);
    }

    public RecordQuery withEndReason(EndReason value) {
        return new RecordQuery(user, caller, value, from, to, limit, cursor);
    }

    /** Calls created in {@code [fromMs, toMs)}; either bound may be null. */
    public RecordQuery withCreated(Long fromMs, Long toMs) {
        return new RecordQuery(user, caller, endReason, fromMs, toMs, limit, cursor);
    }

    /** The page after the one whose {@code next} this is. */
    public RecordQuery withCursor(String value) {
        return new RecordQuery(user, caller, endReason, from, to, limit, value);
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > CallRecords.MAX_PAGE) {
            throw new IllegalArgumentException("limit must be 1–" + CallRecords.MAX_PAGE + ", was " + limit);
        }
    }
}
