package dev.tokenauthority.sidecar.state;

import com.google.protobuf.Timestamp;
import dev.tokenauthority.api.IdHasher;
import dev.tokenauthority.api.v1.HashedEntries;
import dev.tokenauthority.api.v1.RevocationEntry;
import java.util.List;
import dev.tokenauthority.sidecar.jose.JwkSet;

/**
 * One generation of revocation state: the tables a snapshot builds and deltas then update in place. Only the single
 * writer of {@link InMemoryRevocationState} (or a {@link RevocationSnapshotBuilder} before publication) mutates it.
 */
final class RevocationTables {

    /** "No watermark": every real issue time is later. */
    static final long NO_WATERMARK = Long.MIN_VALUE;

    /** The key every id in these tables is hashed under: the snapshot's, or a random one. */
    final IdHasher hasher;
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

    RevocationTables(int expectedEntries, IdHasher hasher) {
        this.hasher = hasher;
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
                    hasher.hash(entry.getRevokedToken().getJti()), 0,
                    expiry(entry.getRevokedToken().hasExpiresAt(), entry.getRevokedToken().getExpiresAt()));
            case REVOKED_SESSION -> revokedSessions.put(
                    hasher.hash(entry.getRevokedSession().getSessionId()), 0,
                    expiry(entry.getRevokedSession().hasExpiresAt(), entry.getRevokedSession().getExpiresAt()));
            case TOKEN_SUSPENSION -> {
                var suspension = entry.getTokenSuspension();
                long session = hasher.hash(suspension.getSessionId());
                if (suspension.getSuspended()) {
                    suspendedSessions.put(session, 0, expiry(suspension.hasExpiresAt(), suspension.getExpiresAt()));
                } else {
                    suspendedSessions.remove(session);
                }
            }
            case USER_WATERMARK -> {
                var watermark = entry.getUserWatermark();
                userWatermarks.put(hasher.hash(watermark.getUserId()), micros(watermark.getInvalidatedAt()),
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
     * Applies a snapshot's hashed entries (feed.proto's HashedEntries), whose ids are hashed under {@link #hasher}.
     *
     * @return how many entries they hold
     * @throws IllegalArgumentException if an id list and its offsets differ in length, or a hash is a reserved value;
     *     the snapshot should then be abandoned
     */
    int applyHashed(HashedEntries hashed) {
        long base = hashed.getBaseSecond();
        int tokens = sameLength("revoked token", hashed.getRevokedTokenHashesList(),
                hashed.getRevokedTokenExpiryOffsetsList());
        int sessions = sameLength("revoked session", hashed.getRevokedSessionHashesList(),
                hashed.getRevokedSessionExpiryOffsetsList());
        int users = sameLength("watermark", hashed.getWatermarkUserHashesList(),
                hashed.getWatermarkInvalidatedOffsetsMicrosList());
        sameLength("watermark", hashed.getWatermarkUserHashesList(), hashed.getWatermarkExpiryOffsetsList());
        for (int i = 0; i < tokens; i++) {
            revokedTokens.put(hashed.getRevokedTokenHashes(i), 0,
                    saturatedSum(base, hashed.getRevokedTokenExpiryOffsets(i)));
        }
        for (int i = 0; i < sessions; i++) {
            revokedSessions.put(hashed.getRevokedSessionHashes(i), 0,
                    saturatedSum(base, hashed.getRevokedSessionExpiryOffsets(i)));
        }
        for (int i = 0; i < users; i++) {
            long second = saturatedSum(base, Math.floorDiv(hashed.getWatermarkInvalidatedOffsetsMicros(i), 1_000_000L));
            long micros = Math.floorMod(hashed.getWatermarkInvalidatedOffsetsMicros(i), 1_000_000L);
            userWatermarks.put(hashed.getWatermarkUserHashes(i), micros(second, micros),
                    saturatedSum(base, hashed.getWatermarkExpiryOffsets(i)));
        }
        return tokens + sessions + users;
    }

    private static int sameLength(String what, List<Long> hashes, List<Long> offsets) {
        if (hashes.size() != offsets.size()) {
            throw new IllegalArgumentException("hashed entries: " + hashes.size() + " " + what + " hashes but "
                    + offsets.size() + " offsets");
        }
        return hashes.size();
    }

    /** base + offset, clamped to the long range: a hostile offset cannot wrap an expiry into the past. */
    private static long saturatedSum(long base, long offset) {
        long sum = base + offset;
        return ((base ^ sum) & (offset ^ sum)) < 0 ? (base < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
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
        return micros(timestamp.getSeconds(), timestamp.getNanos() / 1_000);
    }

    private static long micros(long second, long microsOfSecond) {
        long seconds = Math.max(0, Math.min(MAX_WATERMARK_SECOND, second));
        return seconds * 1_000_000L + microsOfSecond;
    }

    int removeExpired(long cutoffSecond) {
        return revokedTokens.removeExpired(cutoffSecond) + revokedSessions.removeExpired(cutoffSecond)
                + suspendedSessions.removeExpired(cutoffSecond) + userWatermarks.removeExpired(cutoffSecond);
    }
}
