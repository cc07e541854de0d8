package dev.dialtone.server.records;

import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.Result;
import dev.dialtone.server.admin.CallArchive;
import dev.dialtone.server.calls.CallHistory;
import dev.dialtone.server.calls.CallRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The call records as the rest of the server sees them: the store with its group-commit writer
 * and its read pool, behind the interfaces of the calls (recording, users' history) and of the
 * admin API (archive). Thread-safe; see {@link RecordWriter} and {@link RecordReader}.
 */
public final class RecordsService implements CallRecorder, CallHistory, CallArchive {
    private final CallRecords store;
    private final RecordWriter writer;
    private final RecordReader reader;

    private RecordsService(CallRecords store, RecordWriter writer, RecordReader reader) {
        this.store = store;
        this.writer = writer;
        this.reader = reader;
    }

    /**
     * Opens the database (migrating its schema) and starts the writer.
     *
     * @throws RecordStoreException when the database cannot be reached or migrated
     */
    public static RecordsService open(RecordsConfig config, MeterRegistry registry) throws RecordStoreException {
        CallRecords store = JdbcCallRecords.open(config);
        return new RecordsService(store, RecordWriter.start(store, config, registry),
                new RecordReader(store, config.readThreads()));
    }

    @Override
    public CompletableFuture<Void> record(CallRecord record) {
        return writer.submit(record);
    }

    @Override
    public boolean acceptingNewCalls() {
        return writer.acceptingNewCalls();
    }

    /** A session of {@code user} ended at {@code at}: missed calls count from there. */
    public void signedOff(String user, long at) {
        writer.signOff(user, at);
    }

    @Override
    public CompletableFuture<Result.History> history(String user, int limit, String before) {
        return reader.history(user, limit, before).thenApply(page -> new Result.History(page.calls(), page.next()));
    }

    @Override
    public CompletableFuture<Integer> missedCalls(String user) {
        return reader.missedCalls(user);
    }

    @Override
    public CompletableFuture<Optional<CallRecord>> find(String callId) {
        return reader.find(callId);
    }

    @Override
    public CompletableFuture<CallRecords.Page> search(RecordQuery query) {
        return reader.search(query);
    }

    /** Writes what is queued (waiting for the database at most {@code timeout}), then closes. */
    public void close(Duration timeout) {
        writer.close(timeout);
        reader.close();
        store.close();
    }
}
