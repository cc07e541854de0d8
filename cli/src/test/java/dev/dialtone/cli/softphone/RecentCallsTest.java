package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentCallsTest {

    @Test
    void aPrefixFindsTheCallWithOrWithoutItsC() {
        RecentCalls recent = new RecentCalls(10);
        recent.remember("c-4fA9xZk2");
        recent.remember("c-7b22Qq01");
        assertThat(recent.matching("c-4f")).containsExactly("c-4fA9xZk2");
        assertThat(recent.matching("4f")).containsExactly("c-4fA9xZk2");
        assertThat(recent.matching("c-")).containsExactly("c-7b22Qq01", "c-4fA9xZk2"); // newest first
        assertThat(recent.matching("zz")).isEmpty();
    }

    @Test
    void anExactIdWins() {
        RecentCalls recent = new RecentCalls(10);
        recent.remember("c-4f");
        recent.remember("c-4fA9");
        assertThat(recent.matching("c-4f")).containsExactly("c-4f");
    }

    @Test
    void onlyTheNewestAreKept() {
        RecentCalls recent = new RecentCalls(2);
        recent.remember("c-1");
        recent.remember("c-2");
        recent.remember("c-1"); // again: now the newest
        recent.remember("c-3");
        assertThat(recent.matching("c-")).containsExactly("c-3", "c-1");
        assertThatThrownBy(() -> new RecentCalls(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
