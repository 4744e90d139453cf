package dev.tokenauthority.authority.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The revocation log's entries, the authority's one state row (the last sequence taken and the
 * global watermark), and the per-user watermarks ({@code token_invalidated_at}, kept on each
 * user's row): what a revocation writes and the feed streams.
 */
public interface RevocationLogStore {

    record LogRow(long sequence, Instant recordedAt, String kind, String subject, Instant effectiveAt,
            Instant expiresAt, String payload, long entryId) {
    }

    /** A place in the log: a sequence and the id of the entry there (0, 0 for an empty log). */
    record Position(long sequence, long entryId) {
        public static final Position START = new Position(0, 0);
    }

    /**
     * Takes the next {@code count} sequence numbers. The UPDATE locks the single authority_state
     * row until the transaction ends, so appends are serialised and commit in sequence order: a
     * reader that sees sequence n has already been able to see every sequence below n.
     */
    int bumpSequenceBy(int count);

    long lastSequence();

    /** The end of the log: the last sequence taken and the id of its entry (0 if compacted or none). */
    Position head();

    /** The id of the entry at {@code sequence}, empty if the log holds no entry there. */
    Optional<Long> entryIdAt(long sequence);

    /**
     * Appends one entry per subject, all of one kind, as one statement: sequences and entry ids
     * count up from {@code first} and {@code firstEntryId} in the order of {@code subjects}.
     */
    void insertAll(long first, long firstEntryId, Instant recordedAt, String kind, List<String> subjects,
            Instant effectiveAt, Instant expiresAt, String payload);

    /**
     * Wakes every replica's feed when the transaction commits: on PostgreSQL a NOTIFY on
     * {@link RevocationLog#CHANNEL}, delivered at commit; H2 has no notifications, so nothing.
     */
    void notifyAtCommit();

    int setGlobalWatermark(Instant at);

    /** Moves the user's {@code token_invalidated_at}: their tokens issued before {@code at} are dead. */
    int setUserWatermark(String userId, Instant at);

    Optional<Instant> globalWatermark();

    List<LogRow> findAfter(long after, int limit);

    /** Entries from {@code from} on, in order: the first one, if it is {@code from}, proves the log still holds it. */
    List<LogRow> findFrom(long from, int limit);

    List<LogRow> findBetween(long after, long upTo, int limit);

    /**
     * Deletes entries that expired before {@code cutoff}, except the last one: the log's end stays
     * readable, so a subscriber positioned there can prove its position and resume.
     */
    int deleteExpiredBefore(Instant cutoff);
}
