package dev.tokenauthority.authority.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(RevocationLogDao.LogRow.class)
public interface RevocationLogDao {

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
    @SqlUpdate("UPDATE authority_state SET last_sequence = last_sequence + :count WHERE id = 1")
    int bumpSequenceBy(int count);

    @SqlQuery("SELECT last_sequence FROM authority_state WHERE id = 1")
    long lastSequence();

    /** The end of the log: the last sequence taken and the id of its entry (0 if compacted or none). */
    @SqlQuery("""
            SELECT s.last_sequence AS sequence, COALESCE(l.entry_id, 0) AS entry_id
            FROM authority_state s LEFT JOIN revocation_log l ON l.sequence = s.last_sequence
            WHERE s.id = 1
            """)
    @RegisterConstructorMapper(Position.class)
    Position head();

    /** The id of the entry at {@code sequence}, empty if the log holds no entry there. */
    @SqlQuery("SELECT entry_id FROM revocation_log WHERE sequence = :sequence")
    Optional<Long> entryIdAt(long sequence);

    @SqlUpdate("UPDATE authority_state SET global_invalidated_at = :at WHERE id = 1")
    int setGlobalWatermark(Instant at);

    @SqlQuery("SELECT global_invalidated_at FROM authority_state WHERE id = 1")
    Optional<Instant> globalWatermark();


    @SqlQuery("SELECT * FROM revocation_log WHERE sequence > :after ORDER BY sequence LIMIT :limit")
    List<LogRow> findAfter(long after, int limit);

    /** Entries from {@code from} on, in order: the first one, if it is {@code from}, proves the log still holds it. */
    @SqlQuery("SELECT * FROM revocation_log WHERE sequence >= :from ORDER BY sequence LIMIT :limit")
    List<LogRow> findFrom(long from, int limit);

    @SqlQuery("""
            SELECT * FROM revocation_log WHERE sequence > :after AND sequence <= :upTo
            ORDER BY sequence LIMIT :limit
            """)
    List<LogRow> findBetween(long after, long upTo, int limit);

    /**
     * Deletes entries that expired before {@code cutoff}, except the last one: the log's end stays
     * readable, so a subscriber positioned there can prove its position and resume.
     */
    @SqlUpdate("""
            DELETE FROM revocation_log WHERE expires_at < :cutoff
            AND sequence < (SELECT last_sequence FROM authority_state WHERE id = 1)
            """)
    int deleteExpiredBefore(Instant cutoff);
}
