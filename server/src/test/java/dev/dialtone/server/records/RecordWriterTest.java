package dev.dialtone.server.records;

import static dev.dialtone.protocol.CallOutcome.ANSWERED;
import static dev.dialtone.protocol.CallOutcome.MISSED;
import static dev.dialtone.server.records.TestCalls.call;
import static dev.dialtone.server.records.TestCalls.invitee;
import static dev.dialtone.server.records.TestCalls.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.dialtone.server.metrics.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Group commit, ordering, refusal, limits, flush and close on H2 through an instrumented store;
 * and a real outage of PostgreSQL, cut off and restored by a {@link TcpProxy}.
 */
class RecordWriterTest {
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    private MeterRegistry registry = new SimpleMeterRegistry();
    private JdbcCallRecords h2;
    private InstrumentedCallRecords store;
    private RecordWriter writer;
    private final LogCapture logs = new LogCapture();

    @BeforeEach
    void captureLogs() {
        logs.attach();
    }

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.down(false);
            store.release();
        }
        if (writer != null) {
            writer.close(Duration.ofSeconds(5));
        }
        if (h2 != null) {
            h2.close();
        }
        logs.detach();
    }

    private RecordsConfig config() {
        return RecordsConfig.defaults().withDataDir(dir.toString()).withBatchSize(BATCH).withRetry(5, 50);
    }

    private void start(RecordsConfig config) throws Exception {
        h2 = JdbcCallRecords.open(config);
        store = new InstrumentedCallRecords(h2);
        writer = RecordWriter.start(store, config, registry);
    }

    @Test
    void recordsThatArriveTogetherShareTransactions() throws Exception {
        start(config());
        store.hold();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(writer.submit(simple("c-0000")));
        store.awaitHeld(); // the writer is in its first transaction; the rest piles up behind it
        for (int i = 1; i < 1_000; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i))));
        }
        AtomicInteger completions = new AtomicInteger();
        CompletableFuture<?>[] counted = futures.stream()
                .map(f -> f.whenComplete((ok, failure) -> completions.incrementAndGet()))
                .toArray(CompletableFuture[]::new);
        assertThat(pendingGauge()).isEqualTo(1_000);
        assertThat(futures).noneMatch(CompletableFuture::isDone);

        store.release();
        CompletableFuture.allOf(counted).get(30, TimeUnit.SECONDS);

        assertThat(completions).hasValue(1_000);
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        // The first transaction took what was there when the writer woke; the others, BATCH at a time.
        assertThat(store.transactions()).isBetween(1_000 / BATCH, 1 + 999 / BATCH + 1);
        assertThat(store.committed).allMatch(batch -> batch.size() <= BATCH);
        assertThat(store.committedIds()).hasSize(1_000).doesNotHaveDuplicates();
        assertThat(storedCount()).isEqualTo(1_000);
        assertThat(registry.get("dialtone.records.written").counter().count()).isEqualTo(1_000);
        assertThat(registry.get("dialtone.records.batch").timer().count()).isEqualTo(store.transactions());
        assertThat(registry.get("dialtone.records.batch.size").summary().max()).isLessThanOrEqualTo(BATCH);
        assertThat(pendingGauge()).isZero();
    }

    @Test
    void anIdleWriterWritesEachRecordAtOnce() throws Exception {
        start(config());

        writer.submit(simple("c-1")).get(10, TimeUnit.SECONDS);
        assertThat(store.committed).containsExactly(List.of("c-1"));
        writer.submit(simple("c-2")).get(10, TimeUnit.SECONDS);
        assertThat(store.committed).containsExactly(List.of("c-1"), List.of("c-2"));
    }

    @Test
    void recordsKeepTheirOrderThroughFailedWritesAndTheOutageIsLoggedOnce() throws Exception {
        start(config().withBatchSize(16));
        store.failNext(5);
        List<CompletableFuture<Void>> futures = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            String prefix = "t" + t + "-";
            Thread submitter = new Thread(() -> {
                awaitQuietly(go);
                for (int i = 0; i < 100; i++) {
                    futures.add(writer.submit(simple(prefix + "%04d".formatted(i))));
                }
            });
            submitter.start();
            submitters.add(submitter);
        }
        go.countDown();
        for (int i = 0; i < 200; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i))));
        }
        for (Thread submitter : submitters) {
            submitter.join(10_000);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<String> order = store.committedIds();
        assertThat(order).hasSize(500).doesNotHaveDuplicates();
        for (String prefix : List.of("c-", "t0-", "t1-", "t2-")) {
            List<String> mine = order.stream().filter(id -> id.startsWith(prefix)).toList();
            assertThat(mine).as(prefix).isSorted();
        }
        assertThat(registry.get("dialtone.records.write.failures").counter().count()).isEqualTo(5);
        assertThat(store.attempts).hasValue(store.transactions() + 5);
        assertThat(logs.lines(Level.WARN, "writes are failing")).hasSize(1);
        assertThat(logs.lines(Level.INFO, "writes recovered")).hasSize(1);
    }

    @Test
    void pastTheQueueLimitNewCallsAreRefusedButEndedCallsAreStillTaken() throws Exception {
        start(config().withQueueLimit(5));
        store.down(true);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i))));
        }
        eventually().until(() -> failures() >= 1);
        assertThat(writer.acceptingNewCalls()).isTrue();

        futures.add(writer.submit(simple("c-0004")));
        assertThat(writer.acceptingNewCalls()).isFalse();
        for (int i = 5; i < 8; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i)))); // still taken, never refused
        }
        assertThat(pendingGauge()).isEqualTo(8);
        assertThat(futures).noneMatch(CompletableFuture::isDone);
        assertThat(logs.lines(Level.WARN, "at the limit of 5")).hasSize(1);

        store.down(false);
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(writer.acceptingNewCalls()).isTrue();
        assertThat(pendingGauge()).isZero();
        assertThat(store.committedIds()).isSorted().hasSize(8);
        assertThat(logs.lines(Level.INFO, "new calls are accepted")).hasSize(1);
    }

    @Test
    void aRecordTheDatabaseRefusesIsSetAsideAndTheOthersAreWritten() throws Exception {
        start(config());
        store.hold();
        CompletableFuture<Void> first = writer.submit(simple("c-0first"));
        store.awaitHeld();
        CompletableFuture<Void> good1 = writer.submit(simple("c-1good"));
        CompletableFuture<Void> tooLong = writer.submit(call("c-2long", 1_000, "x".repeat(200), invitee("bob", MISSED)));
        CompletableFuture<Void> good2 = writer.submit(simple("c-3good"));
        CompletableFuture<Void> odd = writer.submit(call("c-4odd", 1_000, "alice", invitee("alice", MISSED)));
        writer.signOff("carol", 42);
        CompletableFuture<Void> good3 = writer.submit(simple("c-5good"));
        store.release();

        CompletableFuture.allOf(first, good1, good2, good3).get(30, TimeUnit.SECONDS);
        eventually().until(() -> tooLong.isDone() && odd.isDone());
        assertThat(failure(tooLong)).isInstanceOfSatisfying(RecordStoreException.class,
                e -> assertThat(e.refused()).isTrue());
        assertThat(failure(odd)).isInstanceOfSatisfying(RecordStoreException.class,
                e -> assertThat(e.refused()).isTrue()).hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat(store.committedIds()).containsExactly("c-0first", "c-1good", "c-3good", "c-5good");
        assertThat(logs.lines(Level.ERROR, "c-2long")).hasSize(1);
        assertThat(logs.lines(Level.ERROR, "c-4odd")).hasSize(1);
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(pendingGauge()).isZero();

        writer.submit(simple("c-6after")).get(10, TimeUnit.SECONDS);
        assertThat(h2.find("c-6after")).isPresent();
    }

    @Test
    void flushWaitsForEverythingSubmittedBeforeIt() throws Exception {
        start(config());
        store.hold();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i))));
        }
        writer.signOff("bob", 7);

        assertThat(writer.flush(Duration.ofMillis(50))).isFalse();
        store.release();
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(pendingGauge()).isZero();
        assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void closeWritesWhatIsStillQueued() throws Exception {
        start(config());
        store.hold();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        futures.add(writer.submit(simple("c-0000")));
        store.awaitHeld();
        for (int i = 1; i < 250; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i))));
        }
        Thread closer = new Thread(() -> writer.close(Duration.ofSeconds(20)));
        closer.start();
        eventually().until(() -> closer.getState() == Thread.State.TIMED_WAITING);

        store.release();
        closer.join(30_000);

        assertThat(closer.isAlive()).isFalse();
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(storedCount()).isEqualTo(250);
        assertThat(pendingGauge()).isZero();
        assertThat(logs.lines(Level.ERROR, "")).isEmpty();
        assertThat(failure(writer.submit(simple("c-late")))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeGivesUpAtItsDeadlineWhenTheDatabaseStaysDown() throws Exception {
        start(config());
        store.down(true);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            futures.add(writer.submit(simple("c-%04d".formatted(i))));
        }
        writer.signOff("bob", 1);
        eventually().until(() -> failures() >= 2);

        writer.close(Duration.ofMillis(200));

        assertThat(futures).allSatisfy(f -> assertThat(failure(f)).isInstanceOf(RecordStoreException.class)
                .hasMessageContaining("not written"));
        assertThat(pendingGauge()).isZero();
        assertThat(logs.lines(Level.ERROR, "3 call records and 1 sign-offs could not be written")).hasSize(1);
        assertThat(logs.lines(Level.WARN, "writes are failing")).hasSize(1);
        assertThat(store.transactions()).isZero();
    }

    @Test
    void itsMetersAreScrapedWithTheServers() throws Exception {
        Metrics metrics = new Metrics();
        registry = metrics.registry();
        start(config());

        writer.submit(simple("c-1")).get(10, TimeUnit.SECONDS);

        assertThat(metrics.scrape()).contains("dialtone_records_pending 0", "dialtone_records_written_total 1",
                "dialtone_records_write_failures_total 0", "dialtone_records_batch_seconds_count 1",
                "dialtone_records_batch_size_count 1");
    }

    /**
     * PostgreSQL goes away (connections reset, new ones refused) and comes back: what was
     * submitted meanwhile stays pending, then arrives, each record once; close writes what is
     * queued once the database is back.
     */
    @Test
    void aPostgresOutageLosesNothing() throws Exception {
        String schema = PostgresTestDatabase.createSchema();
        try (TcpProxy proxy = TcpProxy.start(PostgresTestDatabase.server())) {
            RecordsConfig config = RecordsConfig.defaults()
                    .withUrl(PostgresTestDatabase.urlVia(proxy.port(), schema))
                    .withCredentials(PostgresTestDatabase.USER, PostgresTestDatabase.PASSWORD)
                    .withRetry(10, 200).withPoolSize(2);
            try (JdbcCallRecords postgres = JdbcCallRecords.open(config)) {
                writer = RecordWriter.start(postgres, config, registry);
                List<CompletableFuture<Void>> before = submit("c-before-%02d", 5);
                assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();

                proxy.stop();
                List<CompletableFuture<Void>> during = submit("c-during-%02d", 20);
                writer.signOff("bob", 5_000);
                // The pool's two connections fail first (reset); then new ones are refused.
                eventually().until(() -> failures() >= 4);
                assertThat(pendingGauge()).isEqualTo(21);
                assertThat(during).noneMatch(CompletableFuture::isDone);

                proxy.start();
                CompletableFuture.allOf(during.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                assertThat(before).allMatch(f -> !f.isCompletedExceptionally());
                assertThat(during).allMatch(f -> !f.isCompletedExceptionally());
                assertThat(writer.flush(Duration.ofSeconds(20))).isTrue();
                assertThat(pendingGauge()).isZero();
                assertThat(logs.lines(Level.WARN, "writes are failing")).hasSize(1);
                assertThat(logs.lines(Level.INFO, "writes recovered")).hasSize(1);
                assertArrivedOnce(schema, 25);
                try (Connection connection = PostgresTestDatabase.connect(schema);
                        Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery(
                                "SELECT signed_off_at FROM sign_offs WHERE user_id = 'bob'")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(5_000);
                }

                // Down again while the server shuts down: close waits for the database and writes the rest.
                proxy.stop();
                double failuresSoFar = failures();
                List<CompletableFuture<Void>> closing = submit("c-closing-%02d", 5);
                eventually().until(() -> failures() > failuresSoFar);
                Thread closer = new Thread(() -> writer.close(Duration.ofSeconds(60)));
                closer.start();
                eventually().until(() -> closer.getState() == Thread.State.TIMED_WAITING);
                proxy.start();
                closer.join(90_000);

                assertThat(closer.isAlive()).isFalse();
                assertThat(closing).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
                assertArrivedOnce(schema, 30);
            }
        } finally {
            PostgresTestDatabase.dropSchema(schema);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private List<CompletableFuture<Void>> submit(String idFormat, int count) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(writer.submit(call(idFormat.formatted(i), 1_000 + i, "alice", invitee("bob", ANSWERED))));
        }
        return futures;
    }

    /** Checks on the database itself, not through the proxy, that each record is there once and whole. */
    private static void assertArrivedOnce(String schema, int records) throws Exception {
        try (Connection connection = PostgresTestDatabase.connect(schema);
                Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT call_id) FROM calls")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(records);
                assertThat(rows.getLong(2)).isEqualTo(records);
            }
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM call_participants")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(2L * records); // alice and bob
            }
        }
    }

    private long storedCount() throws Exception {
        return CallRecordsContract.pages(cursor -> h2.search(RecordQuery.first(CallRecords.MAX_PAGE).withCursor(cursor)))
                .stream().mapToLong(page -> page.calls().size()).sum();
    }

    private double pendingGauge() {
        return registry.get("dialtone.records.pending").gauge().value();
    }

    private double failures() {
        return registry.get("dialtone.records.write.failures").counter().count();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        await().atMost(Duration.ofSeconds(10)).until(future::isDone);
        try {
            future.join();
            throw new AssertionError("completed normally");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer's log lines, to check that an outage is told once, not once per retry. */
    private static final class LogCapture extends AppenderBase<ILoggingEvent> {
        private final Logger logger = (Logger) LoggerFactory.getLogger(RecordWriter.class);
        private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

        void attach() {
            setContext(logger.getLoggerContext());
            start();
            logger.addAppender(this);
            logger.setLevel(Level.INFO);
        }

        void detach() {
            logger.detachAppender(this);
            logger.setLevel(null);
            stop();
        }

        List<String> lines(Level level, String containing) {
            return events.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                    .filter(message -> message.contains(containing)).toList();
        }

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    }
}
