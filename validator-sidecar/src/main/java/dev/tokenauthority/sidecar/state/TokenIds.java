package dev.tokenauthority.sidecar.state;

import dev.tokenauthority.api.IdHasher;

/**
 * A token's three revocable ids (jti, session, subject) and their hashes under the key of the tables that last
 * checked them. The key changes only with a snapshot (each carries its own, see {@link IdHasher}), so a cached token
 * hashes its ids about once per snapshot rather than on every check; and since the hashes are always taken under the
 * key of the very tables being read, a snapshot that changes the key can never make a lookup miss.
 */
public final class TokenIds {

    /** Hashes of the three ids under {@code hasher}. */
    record Hashes(IdHasher hasher, long tokenId, long sessionId, long userId) {
    }

    private final String tokenId;
    private final String sessionId;
    private final String userId;
    /** The last hashes taken; replaced whole, so a reader sees one consistent set. */
    private volatile Hashes hashes;

    public TokenIds(String tokenId, String sessionId, String userId) {
        this.tokenId = tokenId;
        this.sessionId = sessionId;
        this.userId = userId;
    }

    /** The ids' hashes under {@code hasher}, computed when they were last taken under another key. */
    Hashes under(IdHasher hasher) {
        Hashes last = hashes;
        if (last != null && last.hasher() == hasher) {
            return last;
        }
        Hashes fresh = new Hashes(hasher, hasher.hash(tokenId), hasher.hash(sessionId), hasher.hash(userId));
        hashes = fresh;
        return fresh;
    }
}
