package dev.tokenauthority.sidecar.state;

import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.v1.HashedEntries;
import dev.tokenauthority.api.v1.RevocationEntry;

/**
 * Collects the entries of one feed snapshot (SnapshotBegin, SnapshotChunk*, SnapshotEnd) into fresh tables that no
 * reader can see until {@link InMemoryRevocationState#applySnapshot} publishes them. Not thread-safe; one per
 * snapshot, used by the feed thread.
 */
public final class RevocationSnapshotBuilder {

    private final long sequence;
    private final RevocationTables tables;
    /** Whether the snapshot named its key: only then do hashed entries mean anything. */
    private final boolean keyed;
    private long entryCount;
    private boolean built;

    /**
     * @param sequence the snapshot's sequence (SnapshotBegin.sequence)
     * @param expectedRevokedTokens a sizing hint for the largest table, 0 if unknown
     */
    public RevocationSnapshotBuilder(long sequence, int expectedRevokedTokens) {
        this(sequence, expectedRevokedTokens, IdHasher.random(), false);
    }

    /**
     * A builder for a hashed snapshot, whose ids are hashed under {@code hasher} (SnapshotBegin.id_hash_key): the
     * state built keeps that key, for later events and lookups too.
     */
    public RevocationSnapshotBuilder(long sequence, int expectedRevokedTokens, IdHasher hasher) {
        this(sequence, expectedRevokedTokens, hasher, true);
    }

    private RevocationSnapshotBuilder(long sequence, int expectedRevokedTokens, IdHasher hasher, boolean keyed) {
        this.sequence = sequence;
        this.tables = new RevocationTables(expectedRevokedTokens, hasher);
        this.keyed = keyed;
    }

    /**
     * Adds one entry.
     *
     * @throws IllegalArgumentException if the entry is empty or has an invalid JWK set; the snapshot should then be
     *     abandoned
     */
    public RevocationSnapshotBuilder add(RevocationEntry entry) {
        if (built) {
            throw new IllegalStateException("snapshot already applied");
        }
        tables.apply(entry);
        entryCount++;
        return this;
    }

    /** Adds every entry of a chunk. */
    public RevocationSnapshotBuilder addAll(Iterable<RevocationEntry> entries) {
        for (RevocationEntry entry : entries) {
            add(entry);
        }
        return this;
    }

    /**
     * Adds a chunk's hashed entries.
     *
     * @throws IllegalArgumentException if they are malformed, or the snapshot named no key (they would all miss);
     *     the snapshot should then be abandoned
     */
    public RevocationSnapshotBuilder addHashed(HashedEntries hashed) {
        if (built) {
            throw new IllegalStateException("snapshot already applied");
        }
        if (!keyed) {
            throw new IllegalArgumentException("hashed entries in a snapshot that named no id hash key");
        }
        entryCount += tables.applyHashed(hashed);
        return this;
    }

    /** The snapshot's sequence. */
    public long sequence() {
        return sequence;
    }

    /** Entries added so far, to compare with SnapshotEnd.entry_count. */
    public long entryCount() {
        return entryCount;
    }

    RevocationTables build() {
        if (built) {
            throw new IllegalStateException("snapshot already applied");
        }
        built = true;
        return tables;
    }
}
