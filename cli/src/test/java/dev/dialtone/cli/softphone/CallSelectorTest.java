package dev.dialtone.cli.softphone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.cli.softphone.CallSelector.Selection;
import dev.dialtone.client.CallDirection;
import dev.dialtone.protocol.CallState;
import dev.dialtone.protocol.Media;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class CallSelectorTest {
    private static final CallView WITH_ALICE = new CallView("c-AAAA1111", CallDirection.INCOMING, "alice",
            List.of("bob"), Media.AUDIO, CallState.ACTIVE, "r-1", List.of("alice", "bob"), Set.of(), Set.of(), null,
            null);
    private static final CallView FROM_CAROL = new CallView("c-AB222222", CallDirection.INCOMING, "carol",
            List.of("bob"), Media.AUDIO, CallState.RINGING, null, List.of("carol"), Set.of(), Set.of(), null, null);
    private static final Predicate<CallView> RINGING_IN = call -> call.isRinging() && call.isIncoming();
    private static final Predicate<CallView> ANY = call -> true;

    @Test
    void noCalls() {
        assertThat(CallSelector.select(List.of(), null, ANY, "bob")).isEqualTo(new Selection.NoCall());
        assertThat(CallSelector.select(List.of(), "c-1", ANY, "bob")).isEqualTo(new Selection.NoCall());
    }

    @Test
    void theOnlyCallIsTheCurrentOneEvenWhenTheCommandDoesNotFit() {
        // the server then explains why (e.g. hold while ringing)
        assertThat(CallSelector.select(List.of(WITH_ALICE), null, RINGING_IN, "bob"))
                .isEqualTo(new Selection.Found(WITH_ALICE));
    }

    @Test
    void withSeveralCallsTheOneThatFitsIsChosen() {
        assertThat(CallSelector.select(List.of(WITH_ALICE, FROM_CAROL), null, RINGING_IN, "bob"))
                .isEqualTo(new Selection.Found(FROM_CAROL));
    }

    @Test
    void withSeveralFittingCallsTheUserMustSay() {
        assertThat(CallSelector.select(List.of(WITH_ALICE, FROM_CAROL), null, ANY, "bob"))
                .isEqualTo(new Selection.Ambiguous(List.of(WITH_ALICE, FROM_CAROL)));
    }

    @Test
    void withSeveralCallsNoneOfWhichFits() {
        assertThat(CallSelector.select(List.of(WITH_ALICE, FROM_CAROL), null, call -> false, "bob"))
                .isEqualTo(new Selection.NoCall());
    }

    @Test
    void aTargetIsAnIdPrefixWithOrWithoutTheCDash() {
        List<CallView> calls = List.of(WITH_ALICE, FROM_CAROL);
        assertThat(CallSelector.select(calls, "c-AA", ANY, "bob")).isEqualTo(new Selection.Found(WITH_ALICE));
        assertThat(CallSelector.select(calls, "AB", ANY, "bob")).isEqualTo(new Selection.Found(FROM_CAROL));
        assertThat(CallSelector.select(calls, "c-A", ANY, "bob"))
                .isEqualTo(new Selection.Ambiguous(List.of(WITH_ALICE, FROM_CAROL)));
        assertThat(CallSelector.select(calls, "c-A", RINGING_IN, "bob")).isEqualTo(new Selection.Found(FROM_CAROL));
        assertThat(CallSelector.select(calls, "c-Z", ANY, "bob")).isEqualTo(new Selection.NoMatch("c-Z"));
    }

    @Test
    void aTargetIsTheOtherUsersName() {
        List<CallView> calls = List.of(WITH_ALICE, FROM_CAROL);
        assertThat(CallSelector.select(calls, "carol", ANY, "bob")).isEqualTo(new Selection.Found(FROM_CAROL));
        assertThat(CallSelector.select(calls, "Alice", ANY, "bob")).isEqualTo(new Selection.Found(WITH_ALICE));
        // not yourself: bob is in both calls
        assertThat(CallSelector.select(calls, "bob", ANY, "bob")).isEqualTo(new Selection.NoMatch("bob"));
    }
}
