package dev.tokenauthority.authority.revocation;

import dev.tokenauthority.authority.storage.Database;
import dev.tokenauthority.authority.storage.RevocationLogDao;
import dev.tokenauthority.authority.storage.Tx;
import java.time.Instant;

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

    private final Database.Dialect dialect;
    private final Runnable onCommit;

    /**
     * @param dialect  on PostgreSQL every append also sends NOTIFY, delivered to listening
     *                 replicas when the transaction commits
     * @param onCommit wakes this process's feed after the appending transaction commits
     */
    public RevocationLog(Database.Dialect dialect, Runnable onCommit) {
        this.dialect = dialect;
        this.onCommit = onCommit;
    }

    /** Appends an entry and returns its sequence. Must run inside the change's transaction. */
    public long append(Tx handle, Instant now, RevocationKind kind, String subject, Instant effectiveAt,
            Instant expiresAt, String payload) {
        RevocationLogDao dao = handle.attach(RevocationLogDao.class);
        dao.bumpSequence();
        long sequence = dao.lastSequence();
        dao.insert(sequence, now, kind.name(), subject, effectiveAt, expiresAt, payload);
        if (dialect == Database.Dialect.POSTGRESQL) {
            handle.execute("NOTIFY " + CHANNEL);
        }
        handle.afterCommit(onCommit);
        return sequence;
    }
}
