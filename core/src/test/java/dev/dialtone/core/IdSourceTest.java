package dev.dialtone.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdSourceTest {

    @Test
    void callIdsSortInTheOrderTheyWereMadeAndNeverRepeat() {
        long[] now = {1_767_225_600_000L};
        IdSource ids = IdSource.random(() -> now[0]);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            made.add(ids.newCallId());
            if (i % 7 == 0) {
                now[0] += i % 3 == 0 ? 1 : 64 * 64; // the next millisecond, or a few seconds on
            }
        }
        assertThat(made).allMatch(id -> id.matches("c-[-0-9A-Za-z_]{16}"));
        assertThat(new HashSet<>(made)).hasSameSizeAs(made);
        // Plain String order (what byte-wise collation does) follows time across milliseconds.
        for (int i = 1; i < made.size(); i++) {
            String earlier = made.get(i - 1).substring(0, 9);
            String later = made.get(i).substring(0, 9);
            assertThat(earlier.compareTo(later)).as("%s then %s", made.get(i - 1), made.get(i)).isLessThanOrEqualTo(0);
        }
    }

    @Test
    void theTimePartIsTheMillisecondInAnOrderedAlphabet() {
        assertThat(TimeOrderedId.ALPHABET.chars().sorted().toArray()).isEqualTo(TimeOrderedId.ALPHABET.chars().toArray());
        assertThat(TimeOrderedId.ALPHABET.chars().distinct().count()).isEqualTo(64);
        SplittableRandom random = new SplittableRandom(1);
        assertThat(TimeOrderedId.of(0, random)).startsWith("-------");
        assertThat(TimeOrderedId.of(63, random)).startsWith("------z");
        assertThat(TimeOrderedId.of(64, random)).startsWith("-----0-");
        assertThat(TimeOrderedId.of(1_767_225_600_000L, random).compareTo(TimeOrderedId.of(1_767_225_600_001L, random)))
                .isNegative();
    }

    @Test
    void roomIdsAreRandomThroughAndThrough() {
        IdSource ids = IdSource.random(() -> 42);
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String room = ids.newRoomId();
            assertThat(room).matches("r-[-0-9A-Za-z_]{16}");
            prefixes.add(room.substring(0, 6));
        }
        assertThat(prefixes).hasSizeGreaterThan(45);
    }
}
