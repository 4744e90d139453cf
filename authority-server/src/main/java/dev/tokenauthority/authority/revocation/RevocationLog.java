package dev.tokenauthority.authority.revocation;

import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.storage.RevocationLogDao;
import dev.tokenauthority.authority.storage.RevocationLogDao.LogRow;
import dev.tokenauthority.authority.storage.Tx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The durable, sequenced log of revocation-relevant changes that the feed streams to sidecars.
 *
 * <p>Appends happen in the same transaction as the change they describe, so neither exists
 * without the other. Sequence numbers from concurrent transactions could become visible out of
 * order if they came from a database sequence (a later one committing first, and a reader
 * skipping the earlier one forever). Instead every append first increments the single
 * {@code authority_state} row: the row lock serialises appending transactions until they end,
 * so commit order equals sequence order on both H2 and PostgreSQL. Revocations are rare next
 * to validations, so the serialisation costs nothing that matters; refresh rotation does not
 * append.
 */
public final class RevocationLog {

    /** The PostgreSQL notification channel that wakes every replica's feed when an entry commits. */
    public static final String CHANNEL = "token_authority_revocations";

    private static final String INSERT = """
            INSERT INTO revocation_log (sequence, recorded_at, kind, subject, effective_at, expires_at, payload)
            VALUES (:sequence, :recordedAt, :kind, :subject, :effectiveAt, :expiresAt, :payload)
            """;

    private final Database.Dialect dialect;
    private final Consumer<List<LogRow>> onCommit;

    /** One entry to append. */
    public record Entry(RevocationKind kind, String subject, Instant effectiveAt, Instant expiresAt, String payload) {
    }

    /**
     * @param dialect  on PostgreSQL every append also sends NOTIFY, delivered to listening
     *                 replicas when the transaction commits
     * @param onCommit receives the appended entries after their transaction commits (this
     *                 process's feed publishes them without reading them back)
     */
    public RevocationLog(Database.Dialect dialect, Consumer<List<LogRow>> onCommit) {
        this.dialect = dialect;
        this.onCommit = onCommit;
    }

    /** Appends an entry and returns its sequence. Must run inside the change's transaction. */
    public long append(Tx handle, Instant now, RevocationKind kind, String subject, Instant effectiveAt,
            Instant expiresAt, String payload) {
        return appendAll(handle, now, List.of(new Entry(kind, subject, effectiveAt, expiresAt, payload)));
    }

    /**
     * Appends entries with consecutive sequences in one batch and returns the last sequence (0 for
     * none). Must run inside the change's transaction.
     */
    public long appendAll(Tx handle, Instant now, List<Entry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        RevocationLogDao dao = handle.attach(RevocationLogDao.class);
        dao.bumpSequenceBy(entries.size());
        long last = dao.lastSequence();
        long sequence = last - entries.size();
        PreparedBatch batch = handle.prepareBatch(INSERT);
        List<LogRow> rows = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            // As stored: both databases keep timestamps to the microsecond.
            LogRow row = new LogRow(++sequence, micros(now), entry.kind().name(), entry.subject(),
                    micros(entry.effectiveAt()), micros(entry.expiresAt()), entry.payload());
            batch.bind("sequence", row.sequence()).bind("recordedAt", row.recordedAt()).bind("kind", row.kind())
                    .bind("subject", row.subject()).bind("effectiveAt", row.effectiveAt())
                    .bind("expiresAt", row.expiresAt()).bind("payload", row.payload()).add();
            rows.add(row);
        }
        batch.execute();
        if (dialect == Database.Dialect.POSTGRESQL) {
            handle.execute("NOTIFY " + CHANNEL);
        }
        handle.afterCommit(() -> onCommit.accept(rows));
        return last;
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
