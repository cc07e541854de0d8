package dev.dialtone.server.calls;

import dev.dialtone.protocol.Result;
import java.util.concurrent.CompletableFuture;

/**
 * The users' side of the call records: their history and their missed calls. Futures complete
 * on a records thread; reading never blocks the caller.
 */
public interface CallHistory {

    /**
     * One page of the user's history, newest first. Fails with {@link IllegalArgumentException}
     * when {@code before} is not a cursor this server handed out.
     */
    CompletableFuture<Result.History> history(String user, int limit, String before);

    /** How many calls the user missed since their previous session ended. */
    CompletableFuture<Integer> missedCalls(String user);
}
