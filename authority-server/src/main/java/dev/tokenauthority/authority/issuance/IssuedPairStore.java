package dev.tokenauthority.authority.issuance;

import dev.tokenauthority.authority.token.RefreshToken;
import java.time.Instant;

/**
 * The writes of a newly issued token pair: the refresh token and the record of its access token.
 * They share their session, user, client and issue time; an implementation may send them as one
 * round trip.
 */
public interface IssuedPairStore {

    /** Records a session's first pair, or (the session already locked and touched) its next one. */
    void insert(RefreshToken refresh, String jti, Instant accessExpiresAt);

    /**
     * Records another access token for an already issued refresh token: a retry within the reuse
     * grace gets the same refresh token again with a fresh access token.
     */
    void insertAccessToken(RefreshToken refresh, String jti, Instant issuedAt, Instant accessExpiresAt);
}
