package dev.dialtone.client;

import dev.dialtone.protocol.CallRecord;
import java.util.List;
import java.util.Optional;

/**
 * One page of call history, newest first. Immutable.
 *
 * @param calls the records, each with {@link CallRecord#outcome()} set for the signed-in user
 * @param next  the cursor for {@link DialtoneClient#history(int, String)} to read the next page;
 *              null on the last page
 */
public record HistoryPage(List<CallRecord> calls, String next) {
    public HistoryPage {
        calls = List.copyOf(calls);
    }

    /** The cursor of the next page, if there is one. */
    public Optional<String> nextCursor() {
        return Optional.ofNullable(next);
    }
}
