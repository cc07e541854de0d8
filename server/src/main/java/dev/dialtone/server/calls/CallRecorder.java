package dev.dialtone.server.calls;

import dev.dialtone.protocol.CallRecord;
import java.util.concurrent.CompletableFuture;

/**
 * Where the records of ended calls go. A call's {@code call.ended} is sent once the future of its
 * record completes, so a client that hears {@code call.ended} finds the call in its history.
 */
public interface CallRecorder {

    /** Queues the record of an ended call; the future completes once it is committed. Never blocks. */
    CompletableFuture<Void> record(CallRecord record);

    /**
     * False while so many records wait for the database that new calls are refused (they would
     * only add to the backlog); calls in progress still end and are recorded.
     */
    boolean acceptingNewCalls();
}
