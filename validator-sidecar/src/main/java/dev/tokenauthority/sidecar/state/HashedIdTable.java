package dev.tokenauthority.sidecar.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A set of 64-bit id hashes ({@code IdHasher}), each with an expiry and optionally a long value, in primitive arrays:
 * open addressing with linear probing. One writer thread, any number of lock-free readers.
 *
 * <h2>Memory</h2>
 * A slot is a {@code long} key plus an {@code int} expiry (12 bytes), plus a {@code long} value for tables that carry
 * one (20 bytes). The table grows (doubles) at {@value #MAX_LOAD_PERCENT}% load, so it is between 37.5% and 75%
 * full: a set costs 16-32 bytes and a valued table 27-54 bytes per entry, against ~150 for a
 * {@code HashMap<String, Instant>}. 1,000,000 entries fit in 2^21 slots: 25 MB, 25 bytes each, for a set.
 *
 * <h2>Concurrency</h2>
 * Readers never lock and never retry; they see each key either before or after a write, never a torn one.
 * <ul>
 *   <li>The arrays live in an immutable-shaped {@link Slots} object published through a volatile field. Growing or
 *   compacting builds a complete new {@code Slots} privately, then publishes it with one volatile write, so a reader
 *   holds either the old or the new arrays, both consistent.</li>
 *   <li>In place, a new key is written to an EMPTY slot only after its value and expiry, with a release store;
 *   readers load keys with acquire, so a reader that sees the key also sees its value (JLS 17.4.5 via
 *   {@link VarHandle} release/acquire; on x86 both are plain moves).</li>
 *   <li>Removal writes the DELETED marker (a tombstone) and never moves other keys: backward-shift deletion would move
 *   an entry past a concurrent reader's probe and make a revoked id briefly invisible, which is the one failure this
 *   table must not have. Tombstones are never reused for new keys either (a reader that has matched a key must not
 *   see the slot's value change to another key's); they are dropped when the table is rebuilt.</li>
 *   <li>A probe ends at the first EMPTY slot; the load limit counts tombstones, so an EMPTY slot always exists.</li>
 * </ul>
 *
 * <h2>Expiry</h2>
 * Readers ignore expiry: an entry that matches after its expiry can only deny a token that has itself expired. The
 * writer drops expired entries in {@link #removeExpired}, and compacts when tombstones reach a quarter of the slots.
 * Expiries are stored as unsigned 32-bit epoch seconds (good until 2106), clamped.
 *
 * <p>References: Knuth, TAOCP vol. 3, 6.4 (linear probing and deletion); the single-writer publication idiom is the
 * one Caffeine and JCTools use for their lock-free readers.
 */
final class HashedIdTable {

    /** Key of a never-used slot; {@code IdHasher} never produces it. */
    static final long EMPTY = 0L;

    /** Key of a removed slot (tombstone); {@code IdHasher} never produces it. */
    static final long DELETED = 1L;

    /** Load (live plus tombstones) at which the table is rebuilt. */
    static final int MAX_LOAD_PERCENT = 75;

    /** A rebuild sizes the table to at most this load, so that inserts can continue without rebuilding again. */
    static final int REBUILD_LOAD_PERCENT = 50;

    /** Smallest number of slots. */
    static final int MIN_CAPACITY = 16;

    /** Largest expiry that fits the unsigned 32-bit field, 2106-02-07. */
    static final long MAX_EXPIRY = 0xFFFF_FFFFL;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** One generation of arrays. The references are final; the elements follow the protocol above. */
    private static final class Slots {
        final long[] keys;
        final int[] expiries;
        final long[] values;
        final int mask;
        final int shift;

        Slots(int capacity, boolean withValues) {
            keys = new long[capacity];
            expiries = new int[capacity];
            values = withValues ? new long[capacity] : null;
            mask = capacity - 1;
            shift = 64 - Integer.numberOfTrailingZeros(capacity);
        }

        /** Fibonacci hashing (Knuth 6.4): the top bits of key * 2^64/phi. */
        int home(long key) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
        }
    }

    private final boolean withValues;
    private volatile Slots slots;
    // Written by the writer only; read by others for statistics, where a stale value is fine.
    private volatile int size;
    private int deleted;

    /** An empty table sized for {@code expectedSize} entries. */
    HashedIdTable(boolean withValues, int expectedSize) {
        this.withValues = withValues;
        this.slots = new Slots(capacityFor(expectedSize), withValues);
    }

    // ---- readers (any thread) ----

    /** Whether {@code key} is present. */
    boolean contains(long key) {
        if (key == EMPTY || key == DELETED) {
            return false; // sentinels are never stored; without this check they would match free slots
        }
        Slots s = slots;
        for (int i = s.home(key); ; i = (i + 1) & s.mask) {
            long k = (long) LONGS.getAcquire(s.keys, i);
            if (k == key) {
                return true;
            }
            if (k == EMPTY) {
                return false;
            }
        }
    }

    /** The value stored with {@code key}, or {@code absent}. */
    long value(long key, long absent) {
        if (key == EMPTY || key == DELETED) {
            return absent;
        }
        Slots s = slots;
        for (int i = s.home(key); ; i = (i + 1) & s.mask) {
            long k = (long) LONGS.getAcquire(s.keys, i);
            if (k == key) {
                return (long) LONGS.getAcquire(s.values, i);
            }
            if (k == EMPTY) {
                return absent;
            }
        }
    }

    /** Number of live entries (exact for the writer, possibly a moment stale for others). */
    int size() {
        return size;
    }

    // ---- writer (one thread at a time) ----

    /**
     * Adds {@code key} or updates it, keeping the larger of the old and new value and expiry: raising a watermark or
     * extending an expiry is always safe, lowering one could resurrect a revoked token.
     */
    void put(long key, long value, long expiresAtSecond) {
        if (key == EMPTY || key == DELETED) {
            throw new IllegalArgumentException("reserved key");
        }
        int expiry = (int) Math.max(0, Math.min(MAX_EXPIRY, expiresAtSecond));
        Slots s = slots;
        int i = s.home(key);
        for (long k; (k = s.keys[i]) != EMPTY; i = (i + 1) & s.mask) {
            if (k == key) {
                if (withValues && value > s.values[i]) {
                    LONGS.setRelease(s.values, i, value);
                }
                if (Integer.compareUnsigned(expiry, s.expiries[i]) > 0) {
                    s.expiries[i] = expiry;
                }
                return;
            }
        }
        if ((long) (size + deleted + 1) * 100 > (long) s.keys.length * MAX_LOAD_PERCENT) {
            rebuild(size + 1);
            put(key, value, expiresAtSecond);
            return;
        }
        if (withValues) {
            s.values[i] = value;
        }
        s.expiries[i] = expiry;
        LONGS.setRelease(s.keys, i, key); // publishes value and expiry with it
        size++;
    }

    /** Removes {@code key}; returns whether it was present. */
    boolean remove(long key) {
        if (key == EMPTY || key == DELETED) {
            return false;
        }
        Slots s = slots;
        for (int i = s.home(key); ; i = (i + 1) & s.mask) {
            long k = s.keys[i];
            if (k == key) {
                LONGS.setRelease(s.keys, i, DELETED);
                size--;
                deleted++;
                return true;
            }
            if (k == EMPTY) {
                return false;
            }
        }
    }

    /** Removes entries whose expiry is before {@code cutoffSecond}; returns how many. */
    int removeExpired(long cutoffSecond) {
        Slots s = slots;
        int removed = 0;
        for (int i = 0; i < s.keys.length; i++) {
            long k = s.keys[i];
            if (k != EMPTY && k != DELETED && Integer.toUnsignedLong(s.expiries[i]) < cutoffSecond) {
                LONGS.setRelease(s.keys, i, DELETED);
                removed++;
            }
        }
        size -= removed;
        deleted += removed;
        if (deleted * 4 > s.keys.length) {
            rebuild(size);
        }
        return removed;
    }

    /** Copies the live entries into fresh arrays sized for {@code entries}, then publishes them. */
    private void rebuild(int entries) {
        Slots old = slots;
        Slots fresh = new Slots(capacityFor(entries), withValues);
        for (int i = 0; i < old.keys.length; i++) {
            long k = old.keys[i];
            if (k != EMPTY && k != DELETED) {
                int j = fresh.home(k);
                while (fresh.keys[j] != EMPTY) {
                    j = (j + 1) & fresh.mask;
                }
                fresh.keys[j] = k;
                fresh.expiries[j] = old.expiries[i];
                if (withValues) {
                    fresh.values[j] = old.values[i];
                }
            }
        }
        deleted = 0;
        slots = fresh; // volatile write: readers now see the complete new arrays
    }

    /** The smallest power of two with room for {@code entries} at {@value #REBUILD_LOAD_PERCENT}% load. */
    static int capacityFor(int entries) {
        long needed = Math.max(MIN_CAPACITY, (long) entries * 100 / REBUILD_LOAD_PERCENT + 1);
        if (needed > 1 << 30) {
            throw new IllegalStateException("revocation table cannot hold " + entries + " entries");
        }
        return Integer.highestOneBit((int) needed - 1) << 1;
    }
}
