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
            Instant expiresAt, String payload) {
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

    @SqlUpdate("UPDATE authority_state SET global_invalidated_at = :at WHERE id = 1")
    int setGlobalWatermark(Instant at);

    @SqlQuery("SELECT global_invalidated_at FROM authority_state WHERE id = 1")
    Optional<Instant> globalWatermark();


    @SqlQuery("SELECT * FROM revocation_log WHERE sequence > :after ORDER BY sequence LIMIT :limit")
    List<LogRow> findAfter(long after, int limit);

    @SqlQuery("""
            SELECT * FROM revocation_log WHERE sequence > :after AND sequence <= :upTo
            ORDER BY sequence LIMIT :limit
            """)
    List<LogRow> findBetween(long after, long upTo, int limit);

    @SqlUpdate("DELETE FROM revocation_log WHERE expires_at < :now")
    int deleteExpired(Instant now);
}
