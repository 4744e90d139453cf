package dev.tokenauthority.sidecar.state;

import dev.tokenauthority.api.v1.DenialReason;
import dev.tokenauthority.sidecar.jose.JwkSet;
import java.util.Optional;

/**
 * What the validator reads from the mirrored revocation feed. Implementations answer without locking and without
 * allocating on the no-revocation path; identifiers are passed as {@link TokenIds}, which keep their hashes so that a
 * cached token's ids are hashed once per snapshot key, not on every check.
 */
public interface RevocationState {

    /** The authority's current signing keys; {@link JwkSet#empty()} until the feed has delivered them. */
    JwkSet signingKeys();

    /**
     * The authority's maximum access-token lifetime (exp - iat) in seconds, as the feed published it with the
     * signing keys; {@link InMemoryRevocationState#DEFAULT_MAX_TOKEN_LIFETIME} until the feed has said otherwise.
     */
    long maxTokenLifetimeSeconds();

    /**
     * Why a token with these identifiers is dead, checked in this order: TOKEN_REVOKED (its jti), SESSION_REVOKED,
     * TOKEN_SUSPENDED (its session is suspended), USER_TOKENS_REVOKED (its session began,
     * {@code sessionStartMicros}, at or before the user's watermark), ALL_TOKENS_REVOKED (at or before the global
     * watermark); empty if none applies.
     */
    Optional<DenialReason> revocationReason(TokenIds ids, long sessionStartMicros);
}
