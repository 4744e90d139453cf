package dev.tokenauthority.authority.token;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.revocation.Revocations;
import dev.tokenauthority.authority.token.RevocationLogStore.LogRow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

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

    /**
     * Entry ids are a random base plus the entry's place in its append: they only have to differ,
     * with overwhelming probability, from whatever entry a subscriber saw at the same sequence in
     * a log that went back. Kept below 2^62 so adding a batch's size never overflows; never 0,
     * which means "unknown".
     */
    private static long randomEntryIdBase() {
        return ThreadLocalRandom.current().nextLong(1, 1L << 62);
    }

    private final Consumer<List<LogRow>> onCommit;
    private final RevocationCounter counter;

    /**
     * @param onCommit receives the appended entries after their transaction commits (this
     *                 process's feed publishes them without reading them back; other replicas'
     *                 feeds are woken through the store)
     */
    public RevocationLog(Consumer<List<LogRow>> onCommit) {
        this(onCommit, RevocationCounter.NONE);
    }

    /** A log whose committed entries are also counted by kind, by {@code counter}. */
    public RevocationLog(Consumer<List<LogRow>> onCommit, RevocationCounter counter) {
        this.onCommit = onCommit;
        this.counter = counter;
    }

    /** Appends an entry and returns its sequence. Must run inside the change's transaction. */
    public long append(Transaction tx, Instant now, RevocationKind kind, String subject, Instant effectiveAt,
            Instant expiresAt, String payload) {
        return append(tx, now, kind, Collections.singletonList(subject), effectiveAt, expiresAt, payload);
    }

    /**
     * Appends one entry per subject, all of one kind and lifetime, with consecutive sequences, and
     * returns the last sequence (0 for none). Must run inside the change's transaction.
     */
    public long appendAll(Transaction tx, Instant now, RevocationKind kind, List<String> subjects, Instant effectiveAt,
            Instant expiresAt) {
        return subjects.isEmpty() ? 0 : append(tx, now, kind, subjects, effectiveAt, expiresAt, null);
    }

    private long append(Transaction tx, Instant now, RevocationKind kind, List<String> subjects, Instant effectiveAt,
            Instant expiresAt, String payload) {
        RevocationLogStore store = tx.store(RevocationLogStore.class);
        store.bumpSequenceBy(subjects.size());
        long last = store.lastSequence();
        long first = last - subjects.size() + 1;
        // As stored: both databases keep timestamps to the microsecond.
        Instant recordedAt = micros(now);
        long firstEntryId = randomEntryIdBase();
        store.insertAll(first, firstEntryId, recordedAt, kind.name(), subjects, micros(effectiveAt), micros(expiresAt),
                payload);
        List<LogRow> rows = new ArrayList<>(subjects.size());
        for (String subject : subjects) {
            rows.add(new LogRow(first + rows.size(), recordedAt, kind.name(), subject, micros(effectiveAt),
                    micros(expiresAt), payload, firstEntryId + rows.size()));
        }
        store.notifyAtCommit();
        tx.afterCommit(() -> {
            onCommit.accept(rows);
            counter.committed(kind, rows.size());
        });
        return last;
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
