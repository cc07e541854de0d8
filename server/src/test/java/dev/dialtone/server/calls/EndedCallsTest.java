package dev.dialtone.server.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndedCallsTest {
    private final EndedCalls<String> ended = new EndedCalls<>();
    private final List<String> forgotten = new ArrayList<>();

    @Test
    void aCallIsForgottenWhenItsTimeIsUpAndNotBefore() {
        ended.add("c-1", "first", 1_000);
        ended.add("c-2", "second", 1_500);

        ended.forgetDue(999, (id, call) -> forgotten.add(id + "=" + call));
        assertThat(forgotten).isEmpty();

        ended.forgetDue(1_000, (id, call) -> forgotten.add(id + "=" + call));
        assertThat(forgotten).containsExactly("c-1=first");
        assertThat(ended.size()).isEqualTo(1);

        ended.forgetDue(5_000, (id, call) -> forgotten.add(id + "=" + call));
        assertThat(forgotten).containsExactly("c-1=first", "c-2=second");
        assertThat(ended.size()).isZero();
    }

    @Test
    void anEntryQueuedSlightlyOutOfOrderWaitsForTheOneBeforeItButIsNeverForgottenEarly() {
        // Two shards end calls at nearly the same moment and queue them out of order.
        ended.add("c-late", "a", 2_010);
        ended.add("c-early", "b", 2_000);

        ended.forgetDue(2_005, (id, call) -> forgotten.add(id));
        assertThat(forgotten).as("c-early is due, but behind an entry that is not").isEmpty();

        ended.forgetDue(2_010, (id, call) -> forgotten.add(id));
        assertThat(forgotten).containsExactly("c-late", "c-early");
    }
}
