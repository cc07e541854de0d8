package dev.dialtone.server.admin;

import dev.dialtone.protocol.CallRecord;
import dev.dialtone.server.records.CallRecords;
import dev.dialtone.server.records.RecordQuery;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** What the admin API reads from the call records. Futures complete on a records thread. */
public interface CallArchive {

    CompletableFuture<Optional<CallRecord>> find(String callId);

    /**
     * Records matching every filter of the query, newest first. Fails with
     * {@link IllegalArgumentException} for a cursor this server did not hand out.
     */
    CompletableFuture<CallRecords.Page> search(RecordQuery query);
}
