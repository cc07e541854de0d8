package dev.dialtone.server.records;

/**
 * The call-records database failed, or refused what it was given.
 *
 * <p>The difference matters to {@link RecordWriter}: a failure (connection refused or lost,
 * timeout, the database shutting down) is retried until the database is back; a refusal (a value
 * too long, a missing field) fails again on every retry, so the writer sets that record aside
 * instead of letting one bad record stop all the others.
 */
public final class RecordStoreException extends Exception {
    private final boolean refused;

    /** A failure of the database: retrying later may succeed. */
    public RecordStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public RecordStoreException(String message, Throwable cause, boolean refused) {
        super(message, cause);
        this.refused = refused;
    }

    /** Whether the database refused the data itself, so that writing the same data again cannot succeed. */
    public boolean refused() {
        return refused;
    }
}
