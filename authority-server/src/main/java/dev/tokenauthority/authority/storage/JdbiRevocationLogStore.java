package dev.tokenauthority.authority.storage;

import dev.tokenauthority.authority.token.RevocationLog;
import dev.tokenauthority.authority.token.RevocationLogStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The SQL behind {@link RevocationLogStore}. */
final class JdbiRevocationLogStore implements RevocationLogStore {

    private static final RowMapper<LogRow> ROW = ConstructorMapper.of(LogRow.class);
    private static final RowMapper<Position> POSITION = ConstructorMapper.of(Position.class);

    private final Handle handle;
    private final Database.Dialect dialect;

    JdbiRevocationLogStore(Handle handle, Database.Dialect dialect) {
        this.handle = handle;
        this.dialect = dialect;
    }

    @Override
    public int bumpSequenceBy(int count) {
        return handle.createUpdate("UPDATE authority_state SET last_sequence = last_sequence + :count WHERE id = 1")
                .bind("count", count).execute();
    }

    @Override
    public long lastSequence() {
        return handle.createQuery("SELECT last_sequence FROM authority_state WHERE id = 1").mapTo(Long.class).one();
    }

    @Override
    public Position head() {
        return handle.createQuery("""
                SELECT s.last_sequence AS sequence, COALESCE(l.entry_id, 0) AS entry_id
                FROM authority_state s LEFT JOIN revocation_log l ON l.sequence = s.last_sequence
                WHERE s.id = 1
                """).map(POSITION).one();
    }

    @Override
    public Optional<Long> entryIdAt(long sequence) {
        return handle.createQuery("SELECT entry_id FROM revocation_log WHERE sequence = :sequence")
                .bind("sequence", sequence).mapTo(Long.class).findOne();
    }

    @Override
    public void insertAll(long first, long firstEntryId, Instant recordedAt, String kind, List<String> subjects,
            Instant effectiveAt, Instant expiresAt, String payload) {
        handle.createUpdate("""
                INSERT INTO revocation_log (sequence, recorded_at, kind, subject, effective_at, expires_at, payload,
                                            entry_id)
                SELECT CAST(:first AS BIGINT) + e.n - 1, CAST(:recordedAt AS TIMESTAMP WITH TIME ZONE), :kind, e.subject,
                       CAST(:effectiveAt AS TIMESTAMP WITH TIME ZONE), CAST(:expiresAt AS TIMESTAMP WITH TIME ZONE),
                       CAST(:payload AS VARCHAR(16384)), CAST(:firstEntryId AS BIGINT) + e.n - 1
                FROM UNNEST(:subjects) WITH ORDINALITY AS e(subject, n)
                """).bind("first", first).bind("recordedAt", recordedAt).bind("kind", kind)
                .bindArray("subjects", String.class, subjects).bind("effectiveAt", effectiveAt)
                .bind("expiresAt", expiresAt).bind("payload", payload).bind("firstEntryId", firstEntryId)
                .execute();
    }

    @Override
    public void notifyAtCommit() {
        if (dialect == Database.Dialect.POSTGRESQL) {
            handle.execute("NOTIFY " + RevocationLog.CHANNEL);
        }
    }

    @Override
    public int setGlobalWatermark(Instant at) {
        return handle.createUpdate("UPDATE authority_state SET global_invalidated_at = :at WHERE id = 1")
                .bind("at", at).execute();
    }

    @Override
    public int setUserWatermark(String userId, Instant at) {
        return handle.createUpdate("UPDATE users SET token_invalidated_at = :at, updated_at = :at WHERE id = :id")
                .bind("at", at).bind("id", userId).execute();
    }

    @Override
    public Optional<Instant> globalWatermark() {
        return handle.createQuery("SELECT global_invalidated_at FROM authority_state WHERE id = 1")
                .mapTo(Instant.class).findOne();
    }

    @Override
    public List<LogRow> findAfter(long after, int limit) {
        return handle.createQuery("SELECT * FROM revocation_log WHERE sequence > :after ORDER BY sequence LIMIT :limit")
                .bind("after", after).bind("limit", limit).map(ROW).list();
    }

    @Override
    public List<LogRow> findFrom(long from, int limit) {
        return handle.createQuery("SELECT * FROM revocation_log WHERE sequence >= :from ORDER BY sequence LIMIT :limit")
                .bind("from", from).bind("limit", limit).map(ROW).list();
    }

    @Override
    public List<LogRow> findBetween(long after, long upTo, int limit) {
        return handle.createQuery("""
                SELECT * FROM revocation_log WHERE sequence > :after AND sequence <= :upTo
                ORDER BY sequence LIMIT :limit
                """).bind("after", after).bind("upTo", upTo).bind("limit", limit).map(ROW).list();
    }

    @Override
    public int deleteExpiredBefore(Instant cutoff) {
        return handle.createUpdate("""
                DELETE FROM revocation_log WHERE expires_at < :cutoff
                AND sequence < (SELECT last_sequence FROM authority_state WHERE id = 1)
                """).bind("cutoff", cutoff).execute();
    }
}
