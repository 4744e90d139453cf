package dev.tokenauthority.sidecar.state;

import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_ALL_TOKENS_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_SESSION_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_REVOKED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_TOKEN_SUSPENDED;
import static dev.tokenauthority.api.v1.DenialReason.DENIAL_REASON_USER_TOKENS_REVOKED;

import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.RevocationRetention;
import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.api.v1.FeedEvent;
import dev.tokenauthority.sidecar.jose.JwkSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The sidecar's mirror of the authority's revocation feed: revoked jtis and sessions, suspended sessions, per-user
 * and global watermarks, and the signing keys.
 *
 * <h2>Design</h2>
 * <b>Concurrency.</b> Many validator threads read, the feed client writes (one message at a time). Reads take no
 * lock: they load the current {@link RevocationTables} from a volatile field once per decision and probe its
 * {@link HashedIdTable}s, which are
 * safe for lock-free reading while a single writer updates them (see that class). The write methods are
 * {@code synchronized} only to keep writers single-file; readers never touch the monitor.
 *
 * <p><b>Snapshots and deltas.</b> A snapshot (SPIRE style: build privately, then swap) is collected by a
 * {@link RevocationSnapshotBuilder} into fresh tables and published with one volatile write, so readers see the
 * whole old state or the whole new one. A delta (one {@link FeedEvent}) updates the current tables in place: copying
 * a million-entry table per event would cost milliseconds and megabytes each time. Deltas only add revocations,
 * raise watermarks and extend expiries (a resume removes a suspension), so a reader racing with a delta sees the
 * state just before or just after it.
 *
 * <p><b>Memory.</b> Identifiers are stored as 64-bit keyed SipHash values ({@link IdHasher}, under the key of the
 * snapshot the tables came from, see {@link TokenIds}: false-positive chance
 * ~5e-14 per lookup at a million entries, and a false positive only ever denies), with expiries as 32-bit seconds, in
 * primitive open-addressing arrays: about 25 bytes per revoked token at a million entries.
 *
 * <p><b>Expiry.</b> An entry's {@code expires_at} is when it can no longer affect a live token at a validator with
 * no clock skew (feed.proto). The validator still accepts a token up to its clock skew after "exp", so {@link #sweep}
 * keeps entries for a {@code retention} margin past their expiry, derived from that skew by
 * {@link RevocationRetention#atValidator}.
 *
 * <p><b>Ordering.</b> The feed delivers events in sequence order without gaps; events at or below the applied
 * sequence are duplicates and ignored, which keeps a re-delivered suspend/resume pair from being applied out of
 * order. Detecting gaps and re-subscribing is the feed client's job.
 */
public final class InMemoryRevocationState implements RevocationState {


    /**
     * Maximum access-token lifetime assumed until the feed publishes the authority's (and for an authority that does
     * not): the authority's default maximum, one hour. Before the first keys arrive every token is UNKNOWN_KEY anyway.
     */
    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(1);

    private static final Optional<DenialReason> TOKEN_REVOKED = Optional.of(DENIAL_REASON_TOKEN_REVOKED);
    private static final Optional<DenialReason> SESSION_REVOKED = Optional.of(DENIAL_REASON_SESSION_REVOKED);
    private static final Optional<DenialReason> TOKEN_SUSPENDED = Optional.of(DENIAL_REASON_TOKEN_SUSPENDED);
    private static final Optional<DenialReason> USER_TOKENS_REVOKED = Optional.of(DENIAL_REASON_USER_TOKENS_REVOKED);
    private static final Optional<DenialReason> ALL_TOKENS_REVOKED = Optional.of(DENIAL_REASON_ALL_TOKENS_REVOKED);

    private final Duration retention;
    private volatile RevocationTables tables;
    private volatile long appliedSequence;
    /** The entry id at {@link #appliedSequence}: with it, the position the feed client resumes from. */
    private volatile long appliedEntryId;

    /**
     * An empty state (no keys: every token is UNKNOWN_KEY) that keeps entries for the largest clock
     * skew a validator accepts, so it serves a validator with any skew.
     */
    public InMemoryRevocationState() {
        this(RevocationRetention.atValidator(RevocationRetention.MAX_VALIDATOR_CLOCK_SKEW));
    }

    /**
     * An empty state keeping entries {@code retention} past their expiry: for a validator, {@link
     * RevocationRetention#atValidator} of its clock skew.
     */
    public InMemoryRevocationState(Duration retention) {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        this.retention = retention;
        RevocationTables empty = new RevocationTables(0, IdHasher.random());
        empty.signingKeys = JwkSet.empty();
        empty.maxTokenLifetimeSeconds = DEFAULT_MAX_TOKEN_LIFETIME.toSeconds();
        this.tables = empty;
    }

    // ---- reads: lock-free ----

    @Override
    public JwkSet signingKeys() {
        return tables.signingKeys;
    }

    @Override
    public long maxTokenLifetimeSeconds() {
        return tables.maxTokenLifetimeSeconds;
    }

    @Override
    public Optional<DenialReason> revocationReason(TokenIds ids, long sessionStartMicros) {
        RevocationTables t = tables;
        TokenIds.Hashes hashes = ids.under(t.hasher);
        if (t.revokedTokens.contains(hashes.tokenId())) {
            return TOKEN_REVOKED;
        }
        if (t.revokedSessions.contains(hashes.sessionId())) {
            return SESSION_REVOKED;
        }
        if (t.suspendedSessions.contains(hashes.sessionId())) {
            return TOKEN_SUSPENDED;
        }
        if (sessionStartMicros <= t.userWatermarks.value(hashes.userId(), RevocationTables.NO_WATERMARK)) {
            return USER_TOKENS_REVOKED;
        }
        if (sessionStartMicros <= t.globalWatermarkMicros) {
            return ALL_TOKENS_REVOKED;
        }
        return Optional.empty();
    }

    /** The feed sequence the state reflects: the last snapshot's or event's; 0 before the first. */
    public long appliedSequence() {
        return appliedSequence;
    }

    /** The entry id at {@link #appliedSequence()} (0 if unknown); read by the single writer, with the sequence. */
    public long appliedEntryId() {
        return appliedEntryId;
    }

    /** How long past their expiry entries are kept. */
    public Duration retention() {
        return retention;
    }

    /** Current entry counts, for metrics and tests. */
    public RevocationCounts counts() {
        RevocationTables t = tables;
        return new RevocationCounts(t.revokedTokens.size(), t.revokedSessions.size(), t.suspendedSessions.size(),
                t.userWatermarks.size());
    }

    // ---- writes: one at a time ----

    /**
     * Replaces the whole state with a completed snapshot, atomically for readers. The snapshot's signing keys replace
     * the current ones (keys it does not hold stop verifying); unchanged keys are carried over so that their cached
     * tokens keep hitting. If the snapshot carried no signing keys, the current keys are kept: a snapshot that lost
     * them must not turn every token into UNKNOWN_KEY.
     */
    public void applySnapshot(RevocationSnapshotBuilder snapshot) {
        applySnapshot(snapshot, 0);
    }

    /** {@link #applySnapshot(RevocationSnapshotBuilder)}, whose log entry at its sequence has {@code entryId}. */
    public void applySnapshot(RevocationSnapshotBuilder snapshot, long entryId) {
        applySnapshot(snapshot, snapshot.sequence(), entryId);
    }

    /**
     * {@link #applySnapshot(RevocationSnapshotBuilder)} for a snapshot that ends at {@code sequence} (its SnapshotEnd),
     * which may be past the sequence it began at: a shared snapshot carries the log's entries after its shared part.
     *
     * @throws IllegalArgumentException if {@code sequence} is before the snapshot's beginning; nothing is applied then
     */
    public synchronized void applySnapshot(RevocationSnapshotBuilder snapshot, long sequence, long entryId) {
        if (sequence < snapshot.sequence()) {
            throw new IllegalArgumentException("a snapshot that began at " + snapshot.sequence() + " cannot end at "
                    + sequence);
        }
        RevocationTables fresh = snapshot.build();
        if (fresh.signingKeys == null) {
            fresh.signingKeys = tables.signingKeys;
            fresh.maxTokenLifetimeSeconds = tables.maxTokenLifetimeSeconds;
        } else {
            fresh.signingKeys = fresh.signingKeys.keepingUnchanged(tables.signingKeys);
        }
        tables = fresh;
        appliedSequence = sequence;
        appliedEntryId = entryId;
    }

    /**
     * Applies one feed event if its sequence is above {@link #appliedSequence()}.
     *
     * @return whether it was applied (false for a duplicate)
     * @throws IllegalArgumentException for an empty entry or an invalid JWK set; the state is then unchanged
     */
    public synchronized boolean apply(FeedEvent event) {
        if (event.getSequence() <= appliedSequence) {
            return false;
        }
        tables.apply(event.getEntry());
        appliedSequence = event.getSequence();
        appliedEntryId = event.getEntryId();
        return true;
    }

    /** Drops entries that expired more than the retention margin before {@code now}; returns how many. */
    public synchronized int sweep(Instant now) {
        return tables.removeExpired(now.minus(retention).getEpochSecond());
    }

    /**
     * Entry counts of each table.
     *
     * @param revokedTokens revoked jtis
     * @param revokedSessions revoked session ids
     * @param suspendedSessions suspended session ids
     * @param userWatermarks users with a watermark
     */
    public record RevocationCounts(int revokedTokens, int revokedSessions, int suspendedSessions, int userWatermarks) {
    }
}
