package dev.dialtone.server.records;

import static dev.dialtone.protocol.CallOutcome.ANSWERED;
import static dev.dialtone.protocol.CallOutcome.BUSY;
import static dev.dialtone.protocol.CallOutcome.DECLINED;
import static dev.dialtone.protocol.CallOutcome.MISSED;
import static dev.dialtone.protocol.CallOutcome.OUTGOING;
import static dev.dialtone.server.records.TestCalls.call;
import static dev.dialtone.server.records.TestCalls.invitee;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.protocol.CallRecord;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.Media;
import dev.dialtone.server.records.CallRecords.Page;
import dev.dialtone.server.records.CallRecords.SignOff;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CallRecords} must do, run against each real database by a subclass. Each
 * test starts from empty tables.
 */
abstract class CallRecordsContract {
    protected CallRecords records;

    /** Where this subclass's database is; the schema in it is this class's own. */
    protected abstract RecordsConfig config();

    @BeforeEach
    void openEmpty() throws Exception {
        records = JdbcCallRecords.open(config());
        RecordsConfig config = config();
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl(),
                config.user() == null ? "" : config.user(), config.password() == null ? "" : config.password());
                Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM call_participants");
            statement.execute("DELETE FROM calls");
            statement.execute("DELETE FROM sign_offs");
        }
    }

    @AfterEach
    void close() {
        records.close();
    }

    @Test
    void aRecordReadsBackWithEveryField() throws Exception {
        CallRecord full = new CallRecord("c-full", "alice", List.of(invitee("bob", ANSWERED), invitee("carol", MISSED)),
                Media.VIDEO, 1_767_225_600_000L, 1_767_225_603_000L, 1_767_225_661_000L, EndReason.HANGUP, "bob",
                58_000, "r-full", null);
        CallRecord bare = new CallRecord("c-bare", "alice", List.of(invitee("bob", MISSED)), Media.AUDIO, 2_000, null,
                32_000, EndReason.NO_ANSWER, null, 0, null, null);
        CallRecord alone = new CallRecord("c-alone", "dave", List.of(), Media.AUDIO, 3_000, null, 3_500,
                EndReason.OFFLINE, null, 0, null, null);

        // An outcome on the way in belongs to one user's view; the store keeps the neutral record.
        records.write(List.of(full.forUser("alice"), bare, alone), List.of());

        assertThat(records.find("c-full")).contains(full);
        assertThat(records.find("c-bare")).contains(bare);
        assertThat(records.find("c-alone")).contains(alone);
        assertThat(records.find("c-nope")).isEmpty();
    }

    @Test
    void writingTheSameCallAgainLeavesOneRecord() throws Exception {
        CallRecord first = call("c-1", 1_000, "alice", invitee("bob", ANSWERED));
        CallRecord changed = call("c-1", 1_000, "alice", EndReason.FORCED, invitee("carol", MISSED));

        records.write(List.of(first), List.of(new SignOff("bob", 10)));
        records.write(List.of(first), List.of(new SignOff("bob", 10))); // a retry after a lost acknowledgement
        records.write(List.of(first, first), List.of());
        records.write(List.of(changed), List.of()); // records are immutable: the first one stays

        assertThat(records.find("c-1")).contains(first);
        assertThat(records.history("bob", 10, null).calls()).extracting(CallRecord::callId).containsExactly("c-1");
        assertThat(records.history("carol", 10, null).calls()).isEmpty();
        assertThat(records.search(RecordQuery.first(10)).calls()).hasSize(1);
    }

    @Test
    void aBatchThatRepeatsAStoredCallStillWritesItsNewOnes() throws Exception {
        CallRecord stored = call("c-1", 1_000, "alice", invitee("bob", ANSWERED));
        CallRecord fresh = call("c-2", 2_000, "bob", invitee("carol", MISSED));
        records.write(List.of(stored), List.of());

        records.write(List.of(stored, fresh), List.of(new SignOff("carol", 5)));

        assertThat(records.search(RecordQuery.first(10)).calls()).extracting(CallRecord::callId)
                .containsExactly("c-2", "c-1");
        assertThat(records.find("c-2")).contains(fresh);
        assertThat(records.missedCalls("carol")).isEqualTo(1);  // the sign-off of the retried batch was kept
    }

    @Test
    void historyIsNewestFirstAndPagesThroughTies() throws Exception {
        List<CallRecord> calls = new ArrayList<>(List.of(
                call("c-01", 1_000, "alice", invitee("bob", ANSWERED)),
                call("c-02", 2_000, "bob", invitee("alice", MISSED)),
                call("c-03", 2_000, "alice", invitee("carol", DECLINED)),
                call("c-04", 2_000, "carol", invitee("alice", ANSWERED), invitee("bob", MISSED)),
                call("c-05", 3_000, "alice", invitee("bob", BUSY)),
                call("c-06", 4_000, "dave", invitee("alice", MISSED)),
                call("c-07", 4_000, "alice", invitee("dave", ANSWERED)),
                // not alice's: interleaved, never in her pages
                call("c-08", 2_000, "bob", invitee("carol", ANSWERED)),
                call("c-09", 4_000, "carol", invitee("dave", ANSWERED))));
        Collections.shuffle(calls, new Random(7));
        records.write(calls, List.of());
        List<String> newestFirst = List.of("c-07", "c-06", "c-05", "c-04", "c-03", "c-02", "c-01");

        for (int limit : new int[] {1, 2, 3, 6, 7, 8, 200}) {
            List<Page> pages = pages(before -> records.history("alice", limit, before));
            assertThat(pages).as("pages of %d", limit).hasSize((newestFirst.size() + limit - 1) / limit);
            assertThat(pages.stream().flatMap(p -> p.calls().stream()).map(CallRecord::callId).toList())
                    .as("limit %d", limit).isEqualTo(newestFirst);
            assertThat(pages.getLast().next()).isNull();
        }
    }

    @Test
    void historyShowsOnlyTheCallsAUserTookPartIn() throws Exception {
        records.write(List.of(
                call("c-1", 1_000, "alice", invitee("bob", ANSWERED)),
                call("c-2", 2_000, "bob", invitee("carol", MISSED)),
                call("c-3", 3_000, "dave", invitee("erin", ANSWERED))), List.of());

        assertThat(ids(records.history("alice", 50, null))).containsExactly("c-1");
        assertThat(ids(records.history("bob", 50, null))).containsExactly("c-2", "c-1");
        assertThat(ids(records.history("carol", 50, null))).containsExactly("c-2");
        assertThat(records.history("mallory", 50, null)).isEqualTo(new Page(List.of(), null));
        assertThat(ids(records.search(RecordQuery.first(50).withUser("alice")))).containsExactly("c-1");
        assertThat(records.search(RecordQuery.first(50).withUser("mallory")).calls()).isEmpty();

        // A cursor from someone else's page positions; it does not widen what is shown.
        String bobsNext = records.history("bob", 1, null).next();
        assertThat(records.history("erin", 50, bobsNext).calls()).isEmpty();
        assertThat(records.history("alice", 50, bobsNext).calls()).allMatch(c -> c.involves("alice"));
    }

    @Test
    void eachUserSeesTheirOwnOutcome() throws Exception {
        // Invite order is kept, whatever the alphabet says.
        CallRecord group = call("c-g", 5_000, "alice", invitee("zoe", ANSWERED), invitee("bob", MISSED),
                invitee("mo", DECLINED), invitee("amy", BUSY));
        records.write(List.of(group), List.of());

        assertThat(only(records.history("alice", 10, null)).outcome()).isEqualTo(OUTGOING);
        assertThat(only(records.history("zoe", 10, null)).outcome()).isEqualTo(ANSWERED);
        assertThat(only(records.history("bob", 10, null)).outcome()).isEqualTo(MISSED);
        assertThat(only(records.history("mo", 10, null)).outcome()).isEqualTo(DECLINED);
        assertThat(only(records.history("amy", 10, null))).isEqualTo(group.forUser("amy"));
        assertThat(only(records.history("amy", 10, null)).invitees()).isEqualTo(group.invitees());
        assertThat(only(records.search(RecordQuery.first(10))).outcome()).isNull();
    }

    @Test
    void missedCallsCountFromTheLatestSignOff() throws Exception {
        long length = TestCalls.LENGTH_MS;
        records.write(List.of(
                call("c-m1", 0, "alice", invitee("bob", MISSED), invitee("carol", MISSED)),
                call("c-m2", 100_000, "alice", invitee("bob", MISSED)),
                call("c-m3", 200_000, "dave", invitee("bob", MISSED)),
                call("c-a1", 300_000, "alice", invitee("bob", ANSWERED)),
                call("c-d1", 310_000, "alice", invitee("bob", DECLINED)),
                call("c-o1", 320_000, "bob", invitee("alice", MISSED))), List.of());

        assertThat(records.missedCalls("bob")).isEqualTo(3);
        assertThat(records.missedCalls("carol")).isEqualTo(1);
        assertThat(records.missedCalls("nobody")).isZero();

        records.write(List.of(), List.of(new SignOff("bob", 100_000 + length))); // c-m2 ended exactly then
        assertThat(records.missedCalls("bob")).isEqualTo(1);

        records.write(List.of(), List.of(new SignOff("bob", 5))); // older: the latest one stays
        assertThat(records.missedCalls("bob")).isEqualTo(1);

        records.write(List.of(), List.of(new SignOff("bob", 999_999), new SignOff("bob", 250_000)));
        assertThat(records.missedCalls("bob")).isZero();
        assertThat(records.missedCalls("carol")).isEqualTo(1);

        records.write(List.of(call("c-m4", 2_000_000, "alice", invitee("bob", MISSED))), List.of());
        assertThat(records.missedCalls("bob")).isEqualTo(1);
    }

    @Test
    void searchFiltersCombine() throws Exception {
        records.write(List.of(
                call("c-s1", 1_000, "alice", EndReason.HANGUP, invitee("bob", ANSWERED)),
                call("c-s2", 2_000, "bob", EndReason.NO_ANSWER, invitee("alice", MISSED)),
                call("c-s3", 3_000, "carol", EndReason.HANGUP, invitee("dave", ANSWERED)),
                call("c-s4", 4_000, "alice", EndReason.DECLINED, invitee("carol", DECLINED))), List.of());
        RecordQuery all = RecordQuery.first(50);

        assertThat(ids(records.search(all))).containsExactly("c-s4", "c-s3", "c-s2", "c-s1");
        assertThat(ids(records.search(all.withUser("alice")))).containsExactly("c-s4", "c-s2", "c-s1");
        assertThat(ids(records.search(all.withCaller("alice")))).containsExactly("c-s4", "c-s1");
        assertThat(ids(records.search(all.withEndReason(EndReason.HANGUP)))).containsExactly("c-s3", "c-s1");
        assertThat(ids(records.search(all.withCreated(2_000L, 4_000L)))).containsExactly("c-s3", "c-s2");
        assertThat(ids(records.search(all.withCreated(2_000L, null)))).containsExactly("c-s4", "c-s3", "c-s2");
        assertThat(ids(records.search(all.withCreated(null, 2_000L)))).containsExactly("c-s1");
        assertThat(ids(records.search(all.withCreated(2_000L, 2_000L)))).isEmpty();
        assertThat(ids(records.search(all.withUser("alice").withEndReason(EndReason.HANGUP)))).containsExactly("c-s1");
        assertThat(ids(records.search(all.withUser("alice").withCreated(2_000L, null)))).containsExactly("c-s4", "c-s2");
        assertThat(ids(records.search(all.withUser("carol").withCaller("alice")))).containsExactly("c-s4");
        assertThat(records.search(all.withUser("dave").withCaller("alice")).calls()).isEmpty();
        assertThat(records.search(all).calls()).allMatch(c -> c.outcome() == null);

        for (RecordQuery query : List.of(RecordQuery.first(1).withUser("alice"), RecordQuery.first(2))) {
            List<Page> pages = pages(cursor -> records.search(query.withCursor(cursor)));
            List<String> paged = pages.stream().flatMap(p -> p.calls().stream()).map(CallRecord::callId).toList();
            assertThat(paged).isEqualTo(ids(records.search(RecordQuery.first(50).withUser(query.user()))));
        }
    }

    @Test
    void aMalformedCursorIsRefused() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        List<String> malformed = new ArrayList<>(List.of("", "not a cursor!", "%%%"));
        for (String plain : List.of("nonsense", "12:", ":c-1", "x1:c-1", "1x:c-1", "99999999999999999999:c-1", "-:c")) {
            malformed.add(base64.encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
        }
        malformed.add(base64.encodeToString(new byte[] {'1', ':', (byte) 0xff, (byte) 0xfe}));

        for (String cursor : malformed) {
            assertThatThrownBy(() -> records.history("alice", 10, cursor)).as(cursor)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
            assertThatThrownBy(() -> records.search(RecordQuery.first(10).withCursor(cursor))).as(cursor)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pageSizesAreBounded() throws Exception {
        for (int limit : new int[] {0, -1, CallRecords.MAX_PAGE + 1}) {
            assertThatThrownBy(() -> records.history("alice", limit, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
            assertThatThrownBy(() -> RecordQuery.first(limit)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> RecordQuery.first(10).withCreated(5L, 4L)).isInstanceOf(IllegalArgumentException.class);
        assertThat(records.history("alice", 1, null).calls()).isEmpty();
        assertThat(records.history("alice", CallRecords.MAX_PAGE, null).calls()).isEmpty();
    }

    @Test
    void aWriteIsOneTransaction() throws Exception {
        CallRecord good = call("c-good", 1_000, "alice", invitee("bob", ANSWERED));
        CallRecord tooLong = call("c-long", 1_000, "x".repeat(200), invitee("bob", MISSED));

        assertThatThrownBy(() -> records.write(List.of(good, tooLong), List.of(new SignOff("bob", 1))))
                .isInstanceOfSatisfying(RecordStoreException.class, e -> assertThat(e.refused()).isTrue());
        assertThat(records.find("c-good")).isEmpty();
        assertThat(records.missedCalls("bob")).isZero();

        CallRecord inconsistent = call("c-odd", 1_000, "alice", invitee("alice", MISSED));
        assertThatThrownBy(() -> records.write(List.of(good, inconsistent), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alice twice");
        assertThat(records.find("c-good")).isEmpty();

        records.write(List.of(), List.of()); // nothing to do, and nothing fails
        records.write(List.of(good), List.of());
        assertThat(records.find("c-good")).contains(good);
    }

    // ---- helpers ----------------------------------------------------------------------------

    interface PageSource {
        Page page(String cursor) throws Exception;
    }

    /** Every page, following {@code next} from the first. */
    static List<Page> pages(PageSource source) throws Exception {
        List<Page> pages = new ArrayList<>();
        String cursor = null;
        do {
            Page page = source.page(cursor);
            pages.add(page);
            cursor = page.next();
            assertThat(pages).as("pages stop").hasSizeLessThan(100);
        } while (cursor != null);
        return pages;
    }

    static List<String> ids(Page page) {
        return page.calls().stream().map(CallRecord::callId).toList();
    }

    static CallRecord only(Page page) {
        assertThat(page.calls()).hasSize(1);
        return page.calls().getFirst();
    }
}
