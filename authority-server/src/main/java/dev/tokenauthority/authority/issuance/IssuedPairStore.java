package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.token.RefreshToken;
import java.time.Instant;

/**
 * The writes of a newly issued token pair: the refresh token, the record of its access token and,
 * on a rotation, the session's last-seen time. They share their session, user, client and issue
 * time; an implementation may send them as one round trip.
 */
public interface IssuedPairStore {

    /** Records the first pair of a new session. */
    void insert(RefreshToken refresh, String jti, Instant accessExpiresAt);

    /** Records the next pair of a session and marks the session seen at the pair's issue time. */
    void touchSessionAndInsert(RefreshToken refresh, String jti, Instant accessExpiresAt);

    /**
     * Records another access token for an already issued refresh token: a retry within the reuse
     * grace gets the same refresh token again with a fresh access token. The session is not
     * touched: the rotation being repeated marked it seen at most the grace ago.
     */
    void insertAccessToken(RefreshToken refresh, String jti, Instant issuedAt, Instant accessExpiresAt);
}
