package dev.dialtone.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.client.Call;
import dev.dialtone.protocol.Command;
import dev.dialtone.protocol.Event;
import dev.dialtone.protocol.Media;
import dev.dialtone.protocol.Result;
import dev.dialtone.protocol.ServerFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Events reach the application once each, in seq order, one at a time; acks are batched. */
class EventOrderingTest {

    private static Event.CallIncoming incoming(String callId) {
        return new Event.CallIncoming(callId, "bob", Media.AUDIO, null, List.of("alice"), 1_767_225_600_000L, null);
    }

    private static Event.CallSignal signal(String callId, int n) {
        JsonNode data = Harness.CODEC.mapper().createObjectNode().put("n", n);
        return new Event.CallSignal(callId, "bob", data);
    }

    @Test
    void duplicatesAndOldSeqsAreDroppedAndDeliveredOnceInOrder() {
        Harness h = new Harness();
        h.connected();
        h.event(1, incoming("c-1"));
        h.event(2, signal("c-1", 2));
        h.event(2, signal("c-1", 2));   // re-sent
        h.event(1, incoming("c-1"));    // replayed from before
        h.event(3, signal("c-1", 3));
        h.event(3, signal("c-1", 3));

        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-1 [ringing] from bob",
                "signal c-1 [ringing] bob {\"n\":2}",
                "signal c-1 [ringing] bob {\"n\":3}");
    }

    @Test
    void unknownEventTypesAdvanceLastSeqWithoutACallback() {
        Harness h = new Harness();
        h.connected();
        h.event(1, incoming("c-1"));
        h.core.receive(new ServerFrame.EventFrame(2, "room.something_new", null));
        h.event(2, signal("c-1", 2)); // seq 2 was already taken by the unknown event
        h.event(3, signal("c-1", 3));

        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-1 [ringing] from bob",
                "signal c-1 [ringing] bob {\"n\":3}");
        h.scheduler.advance(AckBatcher.DELAY_MS);
        assertThat(h.link().last(Command.Ack.class).seq()).isEqualTo(3);
    }

    @Test
    void aGapInSeqsIsAcceptedAndLaterSeqsStillCount() {
        Harness h = new Harness();
        h.connected();
        h.event(1, incoming("c-1"));
        h.event(5, signal("c-1", 5));
        h.event(4, signal("c-1", 4)); // older than the last processed: never delivered late

        assertThat(h.recorder.callLines()).containsExactly(
                "incoming c-1 [ringing] from bob",
                "signal c-1 [ringing] bob {\"n\":5}");
    }

    @Test
    void acksAreSentEverySixteenEventsOrAfterOneSecond() {
        Harness h = new Harness();
        h.connected();
        h.event(incoming("c-1"));
        for (int n = 2; n <= 16; n++) {
            h.event(signal("c-1", n));
        }
        assertThat(h.link().commands(Command.Ack.class)).extracting(Command.Ack::seq).containsExactly(16L);

        h.event(signal("c-1", 17));
        h.event(signal("c-1", 18));
        h.scheduler.advance(AckBatcher.DELAY_MS - 1);
        assertThat(h.link().commands(Command.Ack.class)).hasSize(1);
        h.scheduler.advance(1);
        assertThat(h.link().commands(Command.Ack.class)).extracting(Command.Ack::seq).containsExactly(16L, 18L);

        // Nothing new: no further ack.
        h.scheduler.advance(10 * AckBatcher.DELAY_MS);
        assertThat(h.link().commands(Command.Ack.class)).hasSize(2);
        assertThat(h.link().sent).anySatisfy(text -> assertThat(text).isEqualTo("{\"type\":\"ack\",\"seq\":16}"));
    }

    @Test
    void eventsBeforeSignInAreIgnored() {
        Harness h = new Harness();
        h.core.connect();
        h.event(1, incoming("c-1"));
        assertThat(h.recorder.callLines()).isEmpty();
    }

    @Test
    void callbacksRunOneAtATimeInSeqOrderOnTheDefaultStyleThread() throws Exception {
        ExecutorService events = Executors.newSingleThreadExecutor(r -> new Thread(r, "dialtone-events"));
        try {
            assertSerialAndOrdered(events, "dialtone-events");
        } finally {
            events.shutdownNow();
        }
    }

    @Test
    void callbacksStaySerialAndOrderedOnAThreadPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            assertSerialAndOrdered(pool, null);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSerialAndOrdered(ExecutorService executor, String threadName) throws Exception {
        int count = 500;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Integer> seen = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Recorder recorder = new Recorder() {
            @Override
            public void onSignal(Call call, String from, JsonNode data) {
                if (inFlight.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                seen.add(data.get("n").asInt());
                Thread.yield();
                super.onSignal(call, from, data);
                inFlight.decrementAndGet();
                if (seen.size() == count) {
                    done.countDown();
                }
            }
        };
        Harness h = new Harness(recorder, executor);
        h.core.connect();
        h.ok(h.idOf(Command.Auth.class), new Result.Auth("s-1", "r-1", "alice", "laptop", 60_000, 15_000, 0, null));
        h.event(incoming("c-1"));
        for (int n = 1; n <= count; n++) {
            h.event(signal("c-1", n));
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps.get()).isZero();
        List<Integer> expected = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            expected.add(n);
        }
        assertThat(seen).isEqualTo(expected);
        if (threadName != null) {
            assertThat(recorder.threads).containsOnly(threadName);
        }
    }
}
