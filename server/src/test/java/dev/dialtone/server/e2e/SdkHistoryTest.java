package dev.dialtone.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.client.Call;
import dev.dialtone.client.DialtoneException;
import dev.dialtone.client.HistoryPage;
import dev.dialtone.client.InviteOptions;
import dev.dialtone.protocol.CallOutcome;
import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ErrorCode;
import dev.dialtone.server.DialtoneServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Call history and missed calls through the Java SDK, against a real server. */
class SdkHistoryTest {
    private static DialtoneServer server;

    @BeforeAll
    static void start() {
        server = DialtoneServer.start(OneToOneCallsTest.config().build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void historyPagesThroughAUsersCallsWithTheirOutcomes() {
        String alice = OneToOneCallsTest.name("alice");
        String bob = OneToOneCallsTest.name("bob");
        List<String> placed = new ArrayList<>();
        try (Phone a = Phone.signIn(server, alice); Phone b = Phone.signIn(server, bob)) {
            for (int i = 0; i < 3; i++) {
                Call call = a.client.invite(InviteOptions.to(bob)).join();
                b.await("incoming", call.id()).call().accept().join();
                a.await("started", call.id());
                call.hangup().join();
                a.await("ended", call.id());
                placed.add(0, call.id());
            }

            HistoryPage first = a.client.history(2, null).join();
            assertThat(first.calls()).extracting(CallRecord::callId).containsExactlyElementsOf(placed.subList(0, 2));
            assertThat(first.calls()).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(CallOutcome.OUTGOING);
                assertThat(r.endReason()).isEqualTo(EndReason.HANGUP);
                assertThat(r.invitees()).containsExactly(new CallRecord.Invitee(bob, CallOutcome.ANSWERED));
            });
            assertThat(first.nextCursor()).isPresent();
            HistoryPage last = a.client.history(2, first.next()).join();
            assertThat(last.calls()).extracting(CallRecord::callId).containsExactly(placed.get(2));
            assertThat(last.nextCursor()).isEmpty();

            b.await("ended", placed.get(0));
            assertThat(b.client.history(50, null).join().calls()).extracting(CallRecord::outcome)
                    .containsOnly(CallOutcome.ANSWERED);
        }
    }

    @Test
    void aBadCursorFailsTheFutureWithBadRequest() {
        try (Phone a = Phone.signIn(server, OneToOneCallsTest.name("alice"))) {
            assertThatThrownBy(() -> a.client.history(10, "garbage").join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(DialtoneException.class)
                    .satisfies(e -> assertThat(((DialtoneException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
        }
    }

    @Test
    void theSessionSaysHowManyCallsWereMissedWhileAway() {
        String alice = OneToOneCallsTest.name("alice");
        String bob = OneToOneCallsTest.name("bob");
        try (Phone a = Phone.signIn(server, alice)) {
            Call missed = a.client.invite(InviteOptions.to(bob)).join();
            a.await("ended", missed.id());
        }
        try (Phone b = Phone.signIn(server, bob)) {
            assertThat(b.client.session().orElseThrow().missedCalls()).hasValue(1);
            HistoryPage page = b.client.history(10, null).join();
            assertThat(page.calls()).singleElement().satisfies(r -> {
                assertThat(r.outcome()).isEqualTo(CallOutcome.MISSED);
                assertThat(r.caller()).isEqualTo(alice);
            });
        }
    }
}
