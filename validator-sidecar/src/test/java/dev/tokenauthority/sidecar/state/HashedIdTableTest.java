package dev.tokenauthority.sidecar.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HashedIdTableTest {

    @Test
    void containsWhatWasPutAndNothingElse() {
        HashedIdTable table = new HashedIdTable(false, 0);
        for (long key = 2; key < 100_002; key++) {
            table.put(key * 0x9E3779B97F4A7C15L, 0, 1_000);
        }

        assertThat(table.size()).isEqualTo(100_000);
        for (long key = 2; key < 100_002; key++) {
            assertThat(table.contains(key * 0x9E3779B97F4A7C15L)).isTrue();
        }
        assertThat(table.contains(3)).isFalse();
    }

    @Test
    void keepsTheLargerValueAndExpiryOnUpdate() {
        HashedIdTable table = new HashedIdTable(true, 0);
        table.put(42, 500, 1_000);
        table.put(42, 400, 900);

        assertThat(table.value(42, -1)).isEqualTo(500);
        assertThat(table.removeExpired(1_000)).isZero();

        table.put(42, 600, 2_000);

        assertThat(table.value(42, -1)).isEqualTo(600);
        assertThat(table.removeExpired(2_000)).isZero();
        assertThat(table.removeExpired(2_001)).isEqualTo(1);
        assertThat(table.value(42, -1)).isEqualTo(-1);
    }

    @Test
    void removeLeavesOtherKeysOfTheSameProbeChainFindable() {
        HashedIdTable table = new HashedIdTable(false, 0);
        long[] keys = new long[10];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = 2 + i * 16L; // small table: many share a home slot region
            table.put(keys[i], 0, 1);
        }
        table.remove(keys[3]);

        for (int i = 0; i < keys.length; i++) {
            assertThat(table.contains(keys[i])).isEqualTo(i != 3);
        }
        assertThat(table.remove(keys[3])).isFalse();
    }

    @Test
    void removeExpiredDropsOnlyEntriesExpiredBeforeTheCutoffAndCompacts() {
        HashedIdTable table = new HashedIdTable(false, 0);
        for (long key = 2; key < 10_002; key++) {
            table.put(key, 0, key % 2 == 0 ? 100 : 200);
        }

        assertThat(table.removeExpired(150)).isEqualTo(5_000);
        assertThat(table.size()).isEqualTo(5_000);
        for (long key = 2; key < 10_002; key++) {
            assertThat(table.contains(key)).isEqualTo(key % 2 != 0);
        }
    }

    @Test
    void expiriesAfter2038AreKept() {
        HashedIdTable table = new HashedIdTable(false, 0);
        long year2100 = 4_102_444_800L;
        table.put(7, 0, year2100);
        table.put(8, 0, Long.MAX_VALUE);

        assertThat(table.removeExpired(year2100)).isZero();
        assertThat(table.removeExpired(year2100 + 1)).isEqualTo(1);
        assertThat(table.contains(8)).isTrue();
    }

    @Test
    void theReservedKeysAreNeverReportedPresent() {
        HashedIdTable table = new HashedIdTable(true, 0);
        table.put(2, 5, 100);
        table.remove(2);

        assertThat(table.contains(HashedIdTable.EMPTY)).isFalse();
        assertThat(table.contains(HashedIdTable.DELETED)).isFalse();
        assertThat(table.value(HashedIdTable.DELETED, -1)).isEqualTo(-1);
    }

    @Test
    void aMillionEntriesFitInTwoToTheTwentyOneSlots() {
        assertThat(HashedIdTable.capacityFor(1_000_000)).isEqualTo(1 << 21);
        assertThat(HashedIdTable.capacityFor(0)).isEqualTo(HashedIdTable.MIN_CAPACITY);
    }

    @Test
    void readersNeverMissAnEntryWhileTheWriterInsertsRemovesAndRebuilds() throws Exception {
        HashedIdTable table = new HashedIdTable(false, 0);
        AtomicLong published = new AtomicLong(1); // keys 2..published are in the table (odd ones get removed)
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong misses = new AtomicLong();
        Thread reader = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(1);
            while (!done.get()) {
                long max = published.get();
                if (max < 2) {
                    continue;
                }
                long key = 2 + random.nextLong(max - 1);
                if (key % 2 == 0 && !table.contains(key * 0x9E3779B97F4A7C15L)) {
                    misses.incrementAndGet();
                }
            }
        });
        reader.start();
        for (long key = 2; key < 300_000; key++) {
            table.put(key * 0x9E3779B97F4A7C15L, 0, key % 2 == 0 ? Long.MAX_VALUE : 10);
            published.set(key);
            if (key % 50_000 == 0) {
                table.removeExpired(11); // tombstones the odd keys, forcing compaction rebuilds
            }
        }
        done.set(true);
        reader.join();

        assertThat(misses.get()).isZero();
    }
}
