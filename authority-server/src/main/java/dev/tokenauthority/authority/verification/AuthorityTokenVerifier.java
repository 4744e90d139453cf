package dev.tokenauthority.authority.verification;

import dev.tokenauthority.authority.Transaction;
import dev.tokenauthority.authority.Transactions;
import dev.tokenauthority.authority.crypto.BouncyCastle;
import dev.tokenauthority.authority.issuance.AccessTokenSigner;
import dev.tokenauthority.authority.keys.SigningKey;
import dev.tokenauthority.authority.keys.SigningKeys;
import dev.tokenauthority.authority.token.AccessTokenClaims;
import dev.tokenauthority.authority.token.AccessTokenStore;
import dev.tokenauthority.authority.token.RevocationLogStore;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.token.SessionStore;
import dev.tokenauthority.authority.token.TokenPolicy;
import dev.tokenauthority.authority.user.User;
import dev.tokenauthority.authority.user.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies this authority's access tokens on the authority itself (introspection, admin calls,
 * RFC 7009 revocation), against the database rather than the feed: signature by kid against a
 * published key (EdDSA only), {@code typ at+jwt}, issuer, lifetime with the allowed skew, then
 * the jti, session (revoked or suspended), user (disabled or watermark) and global revocation
 * state.
 *
 * <p>The rule has two implementations, named for where they run. The sidecars' is
 * {@code SidecarTokenVerifier} (signature and claims, from the key set the feed delivers) with
 * {@code TokenValidator} applying the same liveness rule over the feed's revocation state, both in
 * the sidecar's {@code validation} package. The denial cases both must agree on are one table,
 * {@code DenialCases} in this module's tests, run against both by the sidecar's
 * {@code LivenessContract}.
 */
public final class AuthorityTokenVerifier {

    /** Tokens longer than this are refused unparsed, as the sidecars do. */
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final SigningKeys keys;
    private final TokenPolicy policy;
    private final Transactions transactor;
    private final Clock clock;

    public AuthorityTokenVerifier(SigningKeys keys, TokenPolicy policy, Transactions transactor, Clock clock) {
        this.keys = keys;
        this.policy = policy;
        this.transactor = transactor;
        this.clock = clock;
    }

    /** The claims of a live, unrevoked access token, or empty for any failure whatever. */
    public Optional<AccessTokenClaims> verify(String token) {
        return verifySignatureAndClaims(token).filter(this::isLive);
    }

    /**
     * The claims of a token this authority signed whose type, issuer and lifetime hold, without
     * reading the database: whether it has been revoked is {@link #isLive}'s to say.
     */
    public Optional<AccessTokenClaims> verifySignatureAndClaims(String token) {
        return decode(token, true);
    }

    /** Whether nothing has revoked the token, its session or its user since it was issued (read now). */
    public boolean isLive(AccessTokenClaims claims) {
        return transactor.read(tx -> isLive(tx, claims));
    }

    /**
     * The claims of a token this authority signed, even if it has expired or been revoked, or
     * empty if it is not ours. For RFC 7009, where an expired token is simply already dead.
     */
    public Optional<AccessTokenClaims> decodeSignedToken(String token) {
        return decode(token, false);
    }

    private Optional<AccessTokenClaims> decode(String token, boolean enforceClaims) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
                .setJwsProviderContext(BouncyCastle.SIGNATURE_PROVIDER_CONTEXT)
                .setVerificationKeyResolver((jws, nesting) -> keys.find(jws.getKeyIdHeaderValue())
                        .map(SigningKey::publicKey)
                        .orElseThrow(() -> new UnresolvableKeyException("unknown signing key")));
        if (enforceClaims) {
            builder.setRequireJwtId()
                    .setRequireSubject()
                    .setRequireIssuedAt()
                    .setRequireExpirationTime()
                    .setExpectedIssuer(policy.issuer())
                    .setSkipDefaultAudienceValidation()
                    .setExpectedType(true, "at+jwt")
                    .setAllowedClockSkewInSeconds((int) policy.clockSkew().toSeconds())
                    .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()));
        } else {
            // The signature is still verified; only the claim checks are skipped.
            builder.setSkipAllValidators();
        }
        try {
            AccessTokenClaims claims = toClaims(builder.build().processToClaims(token));
            return policy.issuer().equals(claims.issuer()) ? Optional.of(claims) : Optional.empty();
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static AccessTokenClaims toClaims(JwtClaims claims) throws MalformedClaimException {
        String scope = claims.getStringClaimValue("scope");
        long micros = claims.hasClaim(AccessTokenSigner.ISSUED_AT_MICROS)
                ? claims.getClaimValue(AccessTokenSigner.ISSUED_AT_MICROS, Long.class)
                : claims.getIssuedAt().getValue() * 1_000_000L;
        return new AccessTokenClaims(claims.getJwtId(), claims.getSubject(), claims.getStringClaimValue("client_id"),
                claims.getStringClaimValue("sid"),
                scope == null || scope.isEmpty() ? List.of() : List.of(scope.split(" ")),
                claims.getAudience(), claims.getIssuer(),
                Instant.EPOCH.plus(micros, ChronoUnit.MICROS),
                Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
    }

    private static boolean isLive(Transaction tx, AccessTokenClaims claims) {
        boolean tokenLive = tx.store(AccessTokenStore.class).findByJti(claims.jti())
                .map(record -> record.revokedAt() == null)
                .orElse(false);
        SessionStore sessions = tx.store(SessionStore.class);
        Optional<Session> session = sessions.findById(claims.sessionId());
        if (!tokenLive || session.isEmpty() || session.get().status() != SessionStatus.ACTIVE
                || sessions.isSuspended(claims.sessionId())) {
            return false;
        }
        // Watermarks kill every token of a session begun at or before them, whenever it was issued
        // (as sidecars judge them by auth_time_us): a force logout revokes the session's rows after
        // it has returned, and a refresh racing it may issue a token meanwhile.
        Instant sessionStart = session.get().createdAt();
        Optional<User> user = tx.store(UserStore.class).findById(claims.subject());
        return user.isPresent() && !user.get().disabled()
                && isAfterWatermark(sessionStart, user.get().tokenInvalidatedAt())
                && isAfterWatermark(sessionStart, tx.store(RevocationLogStore.class).globalWatermark().orElse(null));
    }

    /** A session begun at or before a watermark (a user's token_invalidated_at, or the global one) is dead. */
    private static boolean isAfterWatermark(Instant sessionStart, Instant watermark) {
        return watermark == null || sessionStart.isAfter(watermark);
    }
}
