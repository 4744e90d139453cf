package dev.tokenauthority.sidecar.state;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.v1.RevocationEntry;
import dev.tokenauthority.sidecar.jose.JwkSet;

/**
 * One generation of revocation state: the tables a snapshot builds and deltas then update in place. Only the single
 * writer of {@link InMemoryRevocationState} (or a {@link RevocationSnapshotBuilder} before publication) mutates it.
 */
final class RevocationTables {

    /** "No watermark": every real issue time is later. */
    static final long NO_WATERMARK = Long.MIN_VALUE;

    final HashedIdTable revokedTokens;
    final HashedIdTable revokedSessions;
    final HashedIdTable suspendedSessions;
    /** user id hash to watermark (micros since the epoch). */
    final HashedIdTable userWatermarks;
    volatile long globalWatermarkMicros = NO_WATERMARK;
    /**
     * Null until an entry sets it; {@link InMemoryRevocationState} then carries the previous set over. Each
     * SIGNING_KEYS entry replaces it whole, so a key the authority stopped publishing stops verifying at once.
     */
    volatile JwkSet signingKeys;
    /** Published with the signing keys; 0 until an entry sets it, like {@link #signingKeys}. */
    volatile long maxTokenLifetimeSeconds;

    RevocationTables(int expectedEntries) {
        revokedTokens = new HashedIdTable(false, expectedEntries);
        revokedSessions = new HashedIdTable(false, 0);
        suspendedSessions = new HashedIdTable(false, 0);
        userWatermarks = new HashedIdTable(true, 0);
    }

    /**
     * Applies one entry. Watermarks and expiries only ever move forward here; only a snapshot can lower them.
     *
     * @throws IllegalArgumentException if the entry is empty or carries an invalid JWK set; nothing is changed then
     */
    void apply(RevocationEntry entry) {
        switch (entry.getEntryCase()) {
            case REVOKED_TOKEN -> revokedTokens.put(
                    IdHasher.hash(entry.getRevokedToken().getJti()), 0,
                    expiry(entry.getRevokedToken().hasExpiresAt(), entry.getRevokedToken().getExpiresAt()));
            case REVOKED_SESSION -> revokedSessions.put(
                    IdHasher.hash(entry.getRevokedSession().getSessionId()), 0,
                    expiry(entry.getRevokedSession().hasExpiresAt(), entry.getRevokedSession().getExpiresAt()));
            case TOKEN_SUSPENSION -> {
                var suspension = entry.getTokenSuspension();
                long session = IdHasher.hash(suspension.getSessionId());
                if (suspension.getSuspended()) {
                    suspendedSessions.put(session, 0, expiry(suspension.hasExpiresAt(), suspension.getExpiresAt()));
                } else {
                    suspendedSessions.remove(session);
                }
            }
            case USER_WATERMARK -> {
                var watermark = entry.getUserWatermark();
                userWatermarks.put(IdHasher.hash(watermark.getUserId()), micros(watermark.getInvalidatedAt()),
                        expiry(watermark.hasExpiresAt(), watermark.getExpiresAt()));
            }
            case GLOBAL_WATERMARK -> globalWatermarkMicros =
                    Math.max(globalWatermarkMicros, micros(entry.getGlobalWatermark().getInvalidatedAt()));
            case SIGNING_KEYS -> {
                JwkSet keys = JwkSet.parse(entry.getSigningKeys().getJwksJson()).keepingUnchanged(signingKeys);
                maxTokenLifetimeSeconds = lifetime(entry.getSigningKeys().getMaxAccessTokenLifetimeSeconds());
                signingKeys = keys;
            }
            case ENTRY_NOT_SET -> throw new IllegalArgumentException("revocation entry has no content");
        }
    }

    /**
     * An authority that does not publish its maximum lifetime (0) gets the default; the authority's own default
     * maximum, so tokens of an authority configured for longer are refused: failing closed.
     */
    private static long lifetime(long published) {
        return published > 0 ? published : InMemoryRevocationState.DEFAULT_MAX_TOKEN_LIFETIME.toSeconds();
    }

    /** A missing expiry means "keep until a snapshot replaces it": failing closed beats forgetting a revocation. */
    private static long expiry(boolean present, Timestamp expiresAt) {
        return present ? expiresAt.getSeconds() : HashedIdTable.MAX_EXPIRY;
    }

    /** Latest second a watermark may name (year 9999, as for token NumericDates); later values are clamped. */
    private static final long MAX_WATERMARK_SECOND = 253_402_300_799L;

    /**
     * Microseconds since the epoch, truncated like the token's iat_us. Seconds are clamped to [0, year 9999] so that
     * no input overflows; clamping a far-future watermark keeps it in the future, so it still fails closed.
     */
    static long micros(Timestamp timestamp) {
        long seconds = Math.max(0, Math.min(MAX_WATERMARK_SECOND, timestamp.getSeconds()));
        return seconds * 1_000_000L + timestamp.getNanos() / 1_000;
    }

    int removeExpired(long cutoffSecond) {
        return revokedTokens.removeExpired(cutoffSecond) + revokedSessions.removeExpired(cutoffSecond)
                + suspendedSessions.removeExpired(cutoffSecond) + userWatermarks.removeExpired(cutoffSecond);
    }
}
